"""Screening: which patents can back the notes, which are priced by the forecast, and a quality score for each.

Two kinds of defect, a decision recorded in the note for issue #4:
- exclusion defects: the patent cannot back the notes at all (lapsed, expired or revoked, past its expiry date,
  maintenance unpaid, still a pending application, pledged to a third party and not released, a chain-of-title
  gap where registration is a condition of effect, or no licence income). Excluded unless the user keeps it.
- modelled defects: the patent backs the notes but with a risk the forecast prices (under invalidation or
  litigation, maintenance due or in grace, expiring before the notes' legal final). Kept unless the user asks for
  a strict pool.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ipsa.engine.text import N_, msg
from ipsa.engine.graph import DealGraph
from ipsa.engine.jurisdiction import registration_decides_transfer
from ipsa.engine.model import Patent

# ipsa's quality-score weights (L): the success factors Odasso & Ughetto (2011) name (residual patent life,
# invention quality, market, diversification) turned into a 0-100 score; the weights are ipsa's, not published.
SCORE_WEIGHTS = {"residual_life": 0.30, "challenge": 0.25, "income": 0.20, "family": 0.10, "claims": 0.15}


@dataclass(frozen=True)
class Defect:
    code: str
    reason: str
    excludes: bool


@dataclass
class ScreenedPatent:
    patent: str
    number: str
    office: str
    defects: list[Defect] = field(default_factory=list)
    score: float = 0.0
    kept_by_user: bool = False

    @property
    def excluded(self) -> bool:
        return not self.kept_by_user and any(d.excludes for d in self.defects)


def _years(start: dt.date, end: dt.date) -> float:
    return (end - start).days / 365.25


def screen(g: DealGraph, as_of: dt.date, keep: frozenset[str] = frozenset(), strict: bool = False) -> list[ScreenedPatent]:
    """Screen every patent in the pool or under a pooled licence; `keep` overrides exclusion, `strict` excludes
    modelled defects too."""
    deal = g.deal
    legal_final = max(n.legal_final for n in deal.notes)
    licensed = {pid: lic for lic in g.pooled_licences for pid in lic.patents}
    income = {lic.id: g.expected_annual_royalty(lic) for lic in g.pooled_licences}
    weight: dict[str, float] = {}
    for lic in g.pooled_licences:
        for pid in lic.patents:
            weight[pid] = weight.get(pid, 0.0) + income[lic.id] / len(lic.patents)
    top_weight = max(weight.values(), default=0.0) or 1.0
    families: dict[str, int] = {}
    for patent in deal.patents:
        families[patent.family or patent.id] = families.get(patent.family or patent.id, 0) + 1
    ids = {p.id for p in g.pooled_patents} | set(licensed)
    out = []
    for patent in (p for p in deal.patents if p.id in ids):
        defects = _defects(g, patent, as_of, legal_final, patent.id in licensed, strict)
        out.append(ScreenedPatent(
            patent=patent.id, number=patent.number, office=patent.office, defects=defects,
            score=_score(patent, as_of, weight.get(patent.id, 0.0) / top_weight, families[patent.family or patent.id]),
            kept_by_user=patent.id in keep,
        ))
    return out


def _defects(g: DealGraph, patent: Patent, as_of: dt.date, legal_final: dt.date, licensed: bool, strict: bool) -> list[Defect]:
    found: list[Defect] = []

    def add(code: str, reason: str, excludes: bool) -> None:
        found.append(Defect(code, reason, excludes or strict))

    if patent.status in ("lapsed", "expired", "revoked"):
        add(patent.status, msg("the patent is {status}", status=patent.status), True)
    elif patent.expiry_date and patent.expiry_date <= as_of:
        add("expired", msg("the patent expired on {expiry_date}", expiry_date=patent.expiry_date), True)
    if patent.status == "pending":
        add("pending", N_("the application has not been granted"), True)
    if patent.maintenance == "unpaid":
        add("maintenance_unpaid", N_("maintenance fees are unpaid"), True)
    elif patent.maintenance in ("due", "in_grace"):
        add("maintenance_due", msg("a maintenance fee is {maintenance}; the forecast prices the lapse risk",
                                   maintenance=patent.maintenance.replace('_', ' ')), False)
    for challenge in patent.challenges:
        if challenge.status == "pending":
            add("challenged", (msg("an {kind} is pending; the forecast prices invalidation", kind=challenge.kind.replace("_", " "))
                               if _article(challenge.kind) == "an" else
                               msg("a {kind} is pending; the forecast prices invalidation", kind=challenge.kind.replace("_", " "))), False)
        elif challenge.status == "claims_cancelled":
            add("invalidated", msg("claims were cancelled in a {kind}", kind=challenge.kind.replace('_', ' ')), True)
    for encumbrance in patent.encumbrances:
        if not encumbrance.released and encumbrance.holder != g.spv and encumbrance.kind in ("pledge", "security_interest", "lien"):
            add("encumbered", msg("a {kind} held by {value} is not released",
                                  kind=encumbrance.kind.replace('_', ' '), value=encumbrance.holder or 'a third party'), True)
    if patent.expiry_date and as_of < patent.expiry_date < legal_final:
        add("expires_before_legal_final",
            msg("it expires on {expiry_date}, before the notes' legal final of {legal_final}; the forecast "
                "cuts its royalties off then", expiry_date=patent.expiry_date, legal_final=legal_final), False)
    chain = g.chain_of_title(patent.id)
    if chain.links and not chain.reaches_spv and not licensed:
        add("title_gap", N_("its chain of title does not reach the SPV"), True)
    if chain.reaches_spv and patent.office in registration_decides_transfer() and not chain.all_registered:
        add("title_gap", msg("a transfer in its chain is not registered with the {office} office, where registration is "
                             "a condition of effect", office=patent.office), True)
    if not licensed:
        add("no_income", N_("no pooled licence pays royalties for it"), True)
    return found


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _score(patent: Patent, as_of: dt.date, income_share: float, family_size: int) -> float:
    residual = max(_years(as_of, patent.expiry_date), 0.0) / 20 if patent.expiry_date else 0.5
    pending = [c for c in patent.challenges if c.status == "pending"]
    cancelled = any(c.status == "claims_cancelled" for c in patent.challenges)
    upheld = any(c.status == "claims_upheld" for c in patent.challenges)
    challenge = 0.0 if cancelled else (0.4 if pending else (0.9 if upheld else 1.0))
    parts = {
        "residual_life": min(residual, 1.0), "challenge": challenge, "income": income_share,
        "family": min(family_size / 3, 1.0), "claims": min((patent.claims or 10) / 20, 1.0),
    }
    return round(100 * sum(SCORE_WEIGHTS[k] * v for k, v in parts.items()), 1)
