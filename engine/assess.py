"""The pipeline: Deal -> DealGraph -> facts -> inference -> Assessment. Each stage is a plain function."""

from __future__ import annotations

import datetime as dt
import gc
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from typing import Callable, Iterator

from ipsa.engine.text import N_, joined, msg
from ipsa.engine.assessment import (
    Assessment, ChainStep, Citation, DealSummary, Displaced, FactRecord, Finding, NoteSummary, PartySummary,
    StructureEdge, TraceEntry, status_table,
)
from ipsa.engine.facts import derive_facts, derive_risk_facts
from ipsa.engine.graph import DealGraph, country, in_eu
from ipsa.engine.inference import InferenceEngine, InferenceResult, RawFinding
from ipsa.engine.jurisdiction import jurisdictions, name_of
from ipsa.engine.loading import LoadedDeal
from ipsa.engine.risk import RiskOptions, analyse
from ipsa.engine.rulekit import AREAS, STATUS_ORDER, Rule
from ipsa.knowledge_base import CitationRef, KnowledgeBase, load as load_knowledge_base
from ipsa.rules import all_rules, rulebase_version

IPSA_VERSION = "0.1.0"


@cache
def engine() -> InferenceEngine:
    """The process-wide inference engine over the whole rule base (rule sets register lazily, once)."""
    kb = load_knowledge_base()

    def param(pid: str, day: dt.date) -> float | None:
        value = kb.parameter(pid, day)
        return value.value if value else None

    def instrument_in_force(instrument_id: str, day: dt.date) -> bool:
        return kb.instruments[instrument_id].in_force_on(day)

    return InferenceEngine(all_rules(), rulebase_version().replace(".", "_").replace("+", "_"), param, instrument_in_force)


LAST_COVERED = dt.date(2100, 12, 31)  # ipsa states the law as known on its version date; it does not forecast beyond


@cache
def covered_dates() -> tuple[dt.date, dt.date]:
    """The dates the rule base speaks to: from the first day on which any rule is in force (its own dates, its
    instruments' and its parameters') to LAST_COVERED. Before it no rule of any jurisdiction applies, so an
    assessment would say nothing, which a memo must not present as a clean result."""
    return first_day_of(None) or LAST_COVERED, LAST_COVERED


@cache
def first_day_of(jurisdiction: str | None) -> dt.date | None:
    """The first day on which any rule of the jurisdiction (of any, with None) is in force: rules start on their own
    date or an instrument's, so only those days need trying."""
    kb = load_knowledge_base()
    starts = sorted({r.effective_from for r in all_rules() if r.effective_from and jurisdiction in (None, r.jurisdiction)}
                    | {i.effective_from for i in kb.instruments.values() if i.effective_from})
    inference = engine()
    return next((d for d in starts if any(jurisdiction in (None, r.jurisdiction) for r in inference.rules_in_force(d))), None)


def _citation(kb: KnowledgeBase, ref: CitationRef) -> Citation:
    return Citation(**kb.resolve(ref).model_dump())


def rule_citations(kb: KnowledgeBase, rule: Rule, as_of: dt.date) -> list[Citation]:
    """A rule's own citations plus the references of the dated parameters it used on `as_of`."""
    refs = list(rule.citations)
    for pid in rule.parameters:
        value = kb.parameter(pid, as_of)
        if value is not None and value.reference not in refs:
            refs.append(value.reference)
    return [_citation(kb, ref) for ref in refs]


class _Findings:
    """Builds one assessment's findings. A rule's citations and a fact's step in a chain of reasoning are made once
    and shared (they are frozen): thousands of findings cite the same few rules and rest on the same facts."""

    def __init__(self, result: InferenceResult, rules: dict[str, Rule], kb: KnowledgeBase, as_of: dt.date):
        self.result, self.rules, self.kb, self.as_of = result, rules, kb, as_of
        self._citations: dict[str, list[Citation]] = {}
        self._steps: dict[str, ChainStep] = {}

    def citations(self, rule: Rule) -> list[Citation]:
        cited = self._citations.get(rule.id)
        if cited is None:
            cited = self._citations[rule.id] = rule_citations(self.kb, rule, self.as_of)
        return cited

    def step(self, fact_id: str) -> ChainStep:
        made = self._steps.get(fact_id)
        if made is None:
            fact = self.result.facts[fact_id]
            if "rule" in fact:
                made = ChainStep(kind="conclusion", id=fact_id, text=fact["text"], rule_id=fact["rule"],
                                 citations=self.citations(self.rules[fact["rule"]]))
            else:
                made = ChainStep(kind="fact", id=fact_id, text=fact["text"])
            self._steps[fact_id] = made
        return made

    def chain(self, roots: list[str]) -> list[ChainStep]:
        """The facts and conclusions behind a finding, premises before what follows from them."""
        steps: list[ChainStep] = []
        seen: set[str] = set()
        for root in roots:
            self._visit(root, steps, seen)
        return steps

    def _visit(self, fact_id: str, steps: list[ChainStep], seen: set[str]) -> None:
        # A method, not a closure that calls itself: such a closure is a reference cycle, and through it every
        # finding kept the whole inference result alive until the cyclic collector came by.
        if fact_id in seen:
            return
        seen.add(fact_id)
        fact = self.result.facts[fact_id]
        if "rule" in fact:
            for premise in fact["because"]:
                self._visit(premise, steps, seen)
        steps.append(self.step(fact_id))

    def finding(self, raw: RawFinding, reasoning: bool = True) -> Finding:
        rule = self.rules[raw.rule_id]
        return Finding(
            id=raw.id, rule_id=rule.id, jurisdiction=rule.jurisdiction, area=rule.area, status=raw.status, about=raw.about,
            conclusion=raw.says, requirement=rule.requirement, law=rule.law, citations=self.citations(rule),
            because=self.chain(raw.because) if reasoning else [],
            remediation=None if raw.status in ("pass", "info") and raw.remediation is None else (raw.remediation or rule.remediation),
            figures={k: round(v, 6) for k, v in sorted(raw.figures.items())},
            tags=sorted(rule.tags),
        )


def deal_jurisdictions(g: DealGraph) -> list[str]:
    """Every jurisdiction whose law the deal engages: the SPV's, each patent office's, each payer's, each originator's."""
    deal = g.deal
    touched = {country(deal.spv.jurisdiction)}
    office_owner = {office: j.code for j in jurisdictions() for office in j.offices}  # EP -> EU
    touched |= {office_owner.get(p.office, p.office) for p in g.pooled_patents if p.office != "WO"}  # WO files no patent
    touched |= {country(deal.party(lic.licensee).tax_residence or deal.party(lic.licensee).jurisdiction) for lic in g.pooled_licences}
    touched |= {country(deal.party(o).jurisdiction) for o in g.originators}
    touched |= {"EU" if in_eu(j) else country(j) for j in deal.regulation.investor_jurisdictions}
    if any(in_eu(j) for j in touched):
        touched.add("EU")  # the Union's securitisation and tax law reaches its member states
    return sorted(touched)


def _summary(g: DealGraph, kb: KnowledgeBase, jurisdictions: list[str]) -> DealSummary:
    deal = g.deal
    spv = deal.party(deal.spv.party)
    return DealSummary(
        name=deal.deal.name, client=deal.deal.client, counsel=deal.deal.counsel, governing_law=deal.deal.governing_law,
        currency=deal.deal.currency, spv_party=spv.id, spv_name=spv.name, spv_form=deal.spv.form,
        spv_form_name=kb.vehicles[deal.spv.form].name, spv_jurisdiction=deal.spv.jurisdiction,
        parties=[PartySummary(id=p.id, name=p.name, roles=list(p.roles), jurisdiction=p.jurisdiction) for p in deal.parties],
        patents=len(deal.patents), pooled_patents=len(g.pooled_patents),
        patent_offices=sorted({p.office for p in g.pooled_patents}), licences=len(deal.licences),
        pooled_licences=len(g.pooled_licences),
        notes=[NoteSummary(id=n.id, amount=n.amount, coupon=n.coupon, seniority=n.seniority, legal_final=n.legal_final,
                           investor_type=n.investor_type) for n in sorted(deal.notes, key=lambda n: (n.seniority, n.id))],
        notes_total=sum(n.amount for n in deal.notes), jurisdictions=jurisdictions,
    )


def structure(g: DealGraph) -> list[StructureEdge]:
    """The arrows of the deal-structure diagram: transfers, pooled licences, royalty payments and credit support."""
    deal = g.deal
    edges = [StructureEdge(source=t.from_party, target=t.to, kind="transfer", label=t.method.replace("_", " "))
             for t in deal.transfers]
    edges += [StructureEdge(source=lic.licensor, target=lic.licensee, kind="licence", label=N_("licence")) for lic in g.pooled_licences]
    edges += [StructureEdge(source=p.licensee, target=p.account_holder, kind="royalties", label=N_("royalties")) for p in g.royalty_paths()]
    edges += [StructureEdge(source=w.provider, target=deal.spv.party, kind="credit_support", label=w.kind)
              for w in deal.credit_enhancement.wraps]
    return edges


def _unstated(deal, path: str) -> bool:
    value = deal
    for name in path.split("."):
        value = getattr(value, name)
        if value is None:
            return True
    return False


def assumptions_made(g: DealGraph) -> list[str]:
    """Where the deal description is silent, what ipsa assumed, in the words a memo uses."""
    deal = g.deal
    out = []
    covenants = {"separateness_covenants": N_("separateness covenants"), "non_petition": N_("non-petition undertakings"),
                 "limited_recourse": N_("limited-recourse terms"), "activities_limited": N_("a limit on the SPV's activities"),
                 "orphan": N_("orphan ownership of the SPV")}
    silent = [words for field, words in covenants.items() if getattr(deal.spv, field) is None]
    if silent:
        out.append(msg("The deal description does not state {covenants}; each is treated as absent.",
                       covenants=joined(silent, ", ")))
    if deal.tax.gross_up is None and g.cross_border_flows():
        out.append(N_("It does not say whether licensees gross up for withholding tax; we assume they do not."))
    for jurisdiction in jurisdictions():
        out += [a.says for a in jurisdiction.form_assumptions if a.form == deal.spv.form and _unstated(deal, a.missing)]
    unrated = [p.name for p in deal.parties if ("licensee" in p.roles or "insurer" in p.roles or "guarantor" in p.roles)
               and p.rating in (None, "NR") and p.default_probability is None]
    if unrated:
        out.append(N_("No rating or default probability is given for ") + joined(unrated, ", ")
                   + N_("; the risk model treats each as rated BB (ipsa's assumption)."))
    undated = [p.number for p in g.pooled_patents if p.expiry_date is None]
    if undated:
        out.append(N_("No expiry date is given for ") + joined(undated, ", ") + N_("; the risk model keeps those patents alive to the legal final."))
    if deal.servicing is None:
        out.append(N_("No servicing arrangements are described; servicing risk is not assessed."))
    return out


@contextmanager
def older_objects_set_aside() -> Iterator[Callable[[], None]]:
    """While the block runs, the cyclic garbage collector leaves alone the objects that existed before it (the deal,
    the rule and knowledge bases, the advisor's base assessment). An assessment of a 2,000-patent deal allocates
    enough to set off a few full collections, each of which traversed all of those again (a third or more of its
    time).
    The block is handed `set_aside`, which leaves alone, from then on, what the block has made so far as well: an
    assessment's facts and inference result, which it reads to the end, while a 10,000-patent deal's findings set off
    full collections that traversed them (a quarter of its time).
    While the block runs, full collections are ten times rarer (after 100 younger ones, not 10): what is set aside no
    longer counts among the long-lived objects whose growth paces them, so they came every 70,000 allocations and each
    traversed all a stage had made so far (14 s of a 10,000-patent deal's advice; peak memory is the same either way).
    Garbage among them is collected after the block. A block inside another (the advisor's variants inside its
    run) sets aside as the outer one does, which collects after it. Where something else has frozen objects already
    (a server about to fork), the collector is left as it is: unfreezing would undo that, and `set_aside` does
    nothing."""
    if _SETTING_ASIDE.get():
        yield gc.freeze
        return
    if gc.get_freeze_count():
        yield lambda: None
        return
    gc.freeze()
    inside = _SETTING_ASIDE.set(True)
    thresholds = gc.get_threshold()
    gc.set_threshold(thresholds[0], thresholds[1], max(thresholds[2], 100))  # CPython: 10
    try:
        yield gc.freeze
    finally:
        gc.set_threshold(*thresholds)
        _SETTING_ASIDE.reset(inside)
        gc.unfreeze()


_SETTING_ASIDE: ContextVar[bool] = ContextVar("ipsa_setting_aside", default=False)  # inside older_objects_set_aside


def assess(loaded: LoadedDeal, as_of: dt.date | None = None, risk: RiskOptions | None = None,
           reasoning: bool = True) -> Assessment:
    """Assess one validated deal as of a date (the deal's own as-of date unless given); with `risk`, run the
    numeric risk core first and let the rule base reason on its results.

    `reasoning` False leaves out what only a reader of this assessment would use: each finding's chain of facts and
    conclusions (`because` is empty), the inference trace and the fact records. Every finding, status, figure and
    risk result is the same. The advisor assesses its variants so: it compares their findings and figures with the
    deal's and never shows their reasoning, which is a third of a large deal's assessment."""
    with older_objects_set_aside() as set_aside:
        return _assess(loaded, as_of, risk, set_aside, reasoning)


def _assess(loaded: LoadedDeal, as_of: dt.date | None, risk: RiskOptions | None,
            set_aside: Callable[[], None], reasoning: bool = True) -> Assessment:
    """`set_aside` is called as each stage's results are made (`older_objects_set_aside`)."""
    kb = load_knowledge_base()
    deal = loaded.deal
    day = as_of or deal.deal.as_of
    g = DealGraph(deal)
    facts = derive_facts(g, day)
    set_aside()
    report = analyse(g, day, risk) if risk is not None else None
    if report is not None:
        facts += derive_risk_facts(g, report)
    set_aside()
    inference = engine()
    result = inference.run(facts, day)
    rules = inference.rules
    set_aside()

    made = _Findings(result, rules, kb, day)
    findings = sorted(
        (made.finding(raw, reasoning) for raw in result.findings),
        key=lambda f: (f.jurisdiction, AREAS.index(f.area), STATUS_ORDER[f.status], f.rule_id, f.about, f.id),
    )
    set_aside()
    touched = deal_jurisdictions(g)
    covered = sorted({r.jurisdiction for r in rules.values()})
    in_force = {r.jurisdiction for r in inference.rules_in_force(day)}
    assessed = [j for j in touched if j in covered and j in in_force]
    not_assessed = [
        msg("{j}: the rule base does not yet cover this jurisdiction; the deal touches it, and no "
            "finding here means nothing was checked.", j=j)
        for j in touched if j not in covered
    ] + [
        msg("{j}: none of the rule base's {j2} rules applies on {day} (the first takes effect on {j3}); "
            "no finding here means nothing was checked.",
            j=j, j2=name_of(j), day=day, j3=first_day_of(j))
        for j in touched if j in covered and j not in in_force
    ]
    unassessed_offices = sorted({p.office for p in g.pooled_patents if p.office in ("EP", "WO")})
    if unassessed_offices:
        not_assessed.append(
            msg("Patents filed with {unassessed_offices}: a European patent is a bundle of national patents "
                "and an international application is not a patent; their transfers must be checked in each "
                "designated or national office, which ipsa does not do.",
                unassessed_offices=joined(unassessed_offices, ", ")))
    if deal.other_ip:
        not_assessed.append(
            msg("{other_ip} trademark, copyright or other IP item(s): their licences' cash is modelled in "
                "the risk analysis, but the rule base's requirements on title, transfer and recording are "
                "checked for patents only.", other_ip=len(deal.other_ip)))
    trace = sorted(result.firings, key=lambda f: (f.rule_id, f.matched))
    return Assessment(
        ipsa_version=IPSA_VERSION,
        rule_base_version=rulebase_version(),
        knowledge_base_digest=kb.digest,
        as_of=day,
        source=loaded.source,
        input_sha256=loaded.input_sha256,
        deal=_summary(g, kb, touched),
        jurisdictions_assessed=assessed,
        not_assessed=not_assessed,
        status_table=status_table(findings, assessed),
        findings=findings,
        displaced=sorted((Displaced(finding_id=f.id, rule_id=f.rule_id, by_rule=by) for f, by in result.displaced),
                         key=lambda d: d.finding_id),
        trace=[TraceEntry(step=n + 1, rule_id=f.rule_id, matched=f.matched, produced=f.produced)
               for n, f in enumerate(trace)] if reasoning else [],
        facts=[FactRecord(id=f["id"], kind=f["kind"], text=f["text"]) for f in facts] if reasoning else [],
        assumptions=assumptions_made(g),
        risk=report,
        structure=structure(g),
        jurisdiction_names={j: name_of(j) for j in touched},
    )
