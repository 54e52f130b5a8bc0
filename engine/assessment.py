"""The one result of assessing a deal: findings with their reasoning, the trace, and what identifies the run."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ipsa.engine.risk import CashFlows, RiskReport  # noqa: F401  (CashFlows: what the reports read of a cash-flow log)
from ipsa.engine.rulekit import AREAS, STATUS_ORDER


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class Citation(_Out):
    instrument: str
    article: str | None
    title_en: str
    title_original: str
    year: int
    source: str
    gist: str | None
    verified: bool
    quote: str | None = None
    read: str | None = None
    unverified_reason: str | None = None

    @property
    def label(self) -> str:
        return f"{self.title_en}, Art. {self.article}" if self.article else self.title_en


class ChainStep(_Out):
    # The empty defaults of these output models are factories: pydantic deep-copies a literal `[]` or `{}` default
    # for every instance, and a large deal makes hundreds of thousands of steps and findings.
    kind: Literal["fact", "conclusion"]
    id: str
    text: str
    rule_id: str | None = None
    citations: list[Citation] = Field(default_factory=list)


class Finding(_Out):
    id: str
    rule_id: str
    jurisdiction: str
    area: str
    status: Literal["fail", "risk", "pass", "info"]
    about: str
    conclusion: str
    requirement: str
    law: str
    citations: list[Citation]
    because: list[ChainStep]
    remediation: str | None
    figures: dict[str, float] = Field(default_factory=dict)
    # What the rule is about (registration, notice, commingling, ...), as the rule declares.
    tags: list[str] = Field(default_factory=list)


class Displaced(_Out):
    finding_id: str
    rule_id: str
    by_rule: str


class TraceEntry(_Out):
    step: int
    rule_id: str
    matched: list[str]
    produced: list[str]


class FactRecord(_Out):
    id: str
    kind: str
    text: str


class NoteSummary(_Out):
    id: str
    amount: float
    coupon: float
    seniority: int
    legal_final: dt.date
    investor_type: str


class PartySummary(_Out):
    id: str
    name: str
    roles: list[str]
    jurisdiction: str


class DealSummary(_Out):
    name: str
    client: str
    counsel: str
    governing_law: str
    currency: str
    spv_party: str
    spv_name: str
    spv_form: str
    spv_form_name: str
    spv_jurisdiction: str
    parties: list[PartySummary]
    patents: int
    pooled_patents: int
    patent_offices: list[str]
    licences: int
    pooled_licences: int
    notes: list[NoteSummary]
    notes_total: float
    jurisdictions: list[str]


class StructureEdge(_Out):
    """One arrow of the deal-structure diagram between two parties."""

    source: str
    target: str
    kind: Literal["transfer", "licence", "royalties", "credit_support"]
    label: str


class RunOptions(_Out):
    """What the assessment was asked to compute: with the input hash and rule-base version, enough to reproduce it."""

    as_of: dt.date
    risk: bool
    paths: int | None
    seed: int | None
    stress: str | None = None
    advice: bool


# -- the advisor's results (computed by ipsa.engine.advisor, carried inside the assessment) ---------------------

class Figures(BaseModel):
    senior_pd: float | None
    senior_pd_se: float | None
    senior_expected_loss: float | None
    dscr_min_p5: float | None
    required_enhancement: float | None


class Diff(BaseModel):
    """What a change does: findings cured, created or changed, and the risk figures before and after."""

    cured: list[str]
    created: list[str]
    changed: list[str]
    before: Figures
    after: Figures
    fails_before: int
    fails_after: int
    risks_before: int
    risks_after: int


class Proposal(BaseModel):
    id: str
    title: str
    why: str
    changes: list[str]
    diff: Diff
    effect: float


class VehicleOption(BaseModel):
    form: str
    name: str
    jurisdiction: str
    available: bool
    reason: str | None
    rank: int | None
    current: bool
    fails: int
    risks: int
    tax_leakage: float | None
    tax_detail: dict[str, float]
    steps: list[str]
    investors: str
    companion_changes: list[str]
    remaining: list[str]
    tested: bool


class Advice(BaseModel):
    deal: str
    as_of: dt.date
    currency: str
    current_form: str
    vehicles: list[VehicleOption]
    plan: list[Proposal]
    insurance: Proposal | None
    not_evaluated: list[str]


class Assessment(_Out):
    ipsa_version: str
    rule_base_version: str
    knowledge_base_digest: str
    as_of: dt.date
    source: str
    input_sha256: str
    deal: DealSummary
    jurisdictions_assessed: list[str]
    not_assessed: list[str]
    status_table: dict[str, dict[str, str]]
    findings: list[Finding]
    displaced: list[Displaced]
    trace: list[TraceEntry]
    facts: list[FactRecord]
    assumptions: list[str] = []  # what the assessment assumed where the deal description is silent
    risk: RiskReport | None = None
    advice: Advice | None = None  # the advisor's ranking and plan, measured against this very assessment
    structure: list[StructureEdge] = []  # the deal-structure diagram's arrows
    jurisdiction_names: dict[str, str] = {}  # each jurisdiction code the assessment names, in English
    options: RunOptions | None = None
    # The message behind each text above that has names or figures in it (English text -> template and values), so
    # a memo in another language can translate the template and fill the same values (ipsa.engine.text).
    messages: dict[str, dict[str, Any]] = {}

    def worst(self) -> str:
        statuses = [f.status for f in self.findings]
        return min(statuses, key=STATUS_ORDER.__getitem__) if statuses else "none"

    def authorities(self) -> list[Citation]:
        """Every instrument and article the findings cite, once each, in a stable order."""
        seen: dict[tuple[str, str | None], Citation] = {}
        for finding in self.findings:
            for citation in finding.citations:
                seen.setdefault((citation.instrument, citation.article), citation)
            for step in finding.because:
                for citation in step.citations:
                    seen.setdefault((citation.instrument, citation.article), citation)
        return sorted(seen.values(), key=lambda c: (c.instrument, _article_key(c.article)))


def _article_key(article: str | None) -> tuple[int, str]:
    if article is None:
        return (-1, "")
    digits = "".join(ch for ch in article if ch.isdigit())
    return (int(digits) if digits else 0, article)


def status_table(findings: list[Finding], jurisdictions: list[str]) -> dict[str, dict[str, str]]:
    table = {j: {area: "none" for area in AREAS} for j in jurisdictions}
    for finding in findings:
        row = table.setdefault(finding.jurisdiction, {area: "none" for area in AREAS})
        current = row[finding.area]
        if current == "none" or STATUS_ORDER[finding.status] < STATUS_ORDER[current]:
            row[finding.area] = finding.status
    return table
