"""The SPV advisor: rank the vehicles each jurisdiction offers, and propose fixes that re-assessment proves.

Every proposal and every vehicle variant is a list of `Change`s applied to the deal, which is then validated and
assessed again with the same seed: what a proposal cures or creates, and how the risk figures move, is measured,
never asserted.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from ipsa.engine.text import N_, msg
from ipsa.engine.advisor.changes import Change, apply_changes, deal_mapping, revalidate
from ipsa.engine.advisor.proposals import Candidate, candidates, insurance_candidate
from ipsa.engine.assess import assess, deal_jurisdictions
from ipsa.engine.assessment import Advice, Assessment, Diff, Figures, Proposal, VehicleOption
from ipsa.engine.graph import DealGraph, country
from ipsa.engine.jurisdiction import by_code
from ipsa.engine.loading import DealInputError, LoadedDeal
from ipsa.engine.risk import RiskOptions
from ipsa.knowledge_base import load as load_knowledge_base

def _variant_risk(risk: RiskOptions | None) -> RiskOptions | None:
    """Each variant is assessed as the base was (same paths, seed, stresses and screening choices), so that a
    change in a figure is the change's doing; pool selection is not re-run for variants."""
    return None if risk is None else replace(risk, select=False, progress=None)


def _figures(a: Assessment) -> Figures:
    r = a.risk
    senior = r.senior() if r else None
    return Figures(
        senior_pd=senior.pd if senior else None, senior_pd_se=senior.pd_se if senior else None,
        senior_expected_loss=senior.expected_loss if senior else None, dscr_min_p5=r.dscr_min_p5 if r else None,
        required_enhancement=r.enhancement.required_enhancement if r and r.enhancement else None,
    )


def _keyed(a: Assessment) -> dict[tuple[str, str], str]:
    """(rule, subject) -> the worst status found for it."""
    order = {"fail": 0, "risk": 1, "pass": 2, "info": 3}
    out: dict[tuple[str, str], str] = {}
    for f in a.findings:
        key = (f.rule_id, f.about)
        if key not in out or order[f.status] < order[out[key]]:
            out[key] = f.status
    return out


def compare(before: Assessment, after: Assessment) -> Diff:
    old, new = _keyed(before), _keyed(after)
    bad = ("fail", "risk")
    cured = [msg("{rule} {status} about {item}", rule=r, status=s, item=a)
             for (r, a), s in sorted(old.items()) if s in bad and new.get((r, a)) not in bad]
    created = [msg("{rule} {status} about {item}", rule=r, status=s, item=a)
               for (r, a), s in sorted(new.items()) if s in bad and old.get((r, a)) not in bad]
    changed = [f"{r} about {a}: {old[(r, a)]} -> {new[(r, a)]}" for (r, a) in sorted(old.keys() & new.keys())
               if old[(r, a)] != new[(r, a)] and old[(r, a)] in bad and new[(r, a)] in bad]
    count = lambda m, s: sum(1 for v in m.values() if v == s)  # noqa: E731
    return Diff(cured=cured, created=created, changed=changed, before=_figures(before), after=_figures(after),
                fails_before=count(old, "fail"), fails_after=count(new, "fail"),
                risks_before=count(old, "risk"), risks_after=count(new, "risk"))


def effect(diff: Diff) -> float:
    """Fails removed weigh most, then risks, then the fall in senior default probability (in points)."""
    score = 10.0 * (diff.fails_before - diff.fails_after) + 3.0 * (diff.risks_before - diff.risks_after)
    score += 1.0 * len(diff.changed)
    if diff.before.senior_pd is not None and diff.after.senior_pd is not None:
        score += 100.0 * (diff.before.senior_pd - diff.after.senior_pd)
    return round(score, 6)


def _proposal(loaded: LoadedDeal, base: Assessment, candidate: Candidate, risk: RiskOptions | None) -> Proposal | None:
    try:
        after = assess(revalidate(loaded, candidate.changes, candidate.id), base.as_of, risk, reasoning=False)
    except DealInputError:
        return None  # a proposal that does not fit this deal's data is not offered
    diff = compare(base, after)
    return Proposal(id=candidate.id, title=candidate.title, why=candidate.why,
                    changes=[c.describe() for c in candidate.changes], diff=diff, effect=effect(diff))


def _vehicle_changes(loaded: LoadedDeal, form_id: str) -> tuple[list[Change], list[str]]:
    """The changes that put the deal into `form_id`, and the companion changes a lawyer should know about."""
    kb = load_knowledge_base()
    form = kb.vehicles[form_id]
    deal = loaded.deal
    spv_party = deal.party(deal.spv.party)
    seat = by_code()[form.jurisdiction].spv_seat or form.jurisdiction
    changes = [Change(set="spv.form", value=form_id)]
    companions: list[str] = []
    if country(deal.spv.jurisdiction) != form.jurisdiction:
        changes += [Change(set="spv.jurisdiction", value=seat), Change(set=f"parties[{spv_party.id}].jurisdiction", value=seat),
                    Change(set=f"parties[{spv_party.id}].tax_residence", value=form.jurisdiction)]
        companions.append(msg("formation in {seat} instead of {jurisdiction}", seat=seat, jurisdiction=deal.spv.jurisdiction))
    manager = deal.party(deal.spv.manager) if deal.spv.manager else None
    if form.manager_types and (manager is None or manager.entity_type not in form.manager_types):
        kind = form.manager_types[0]
        changes += [Change(append="parties", value={"id": "manager-to-appoint", "name": msg("{kind} (to be appointed)", kind=kind.replace('_', ' ').title()),
                                                    "roles": ["manager", "trustee"], "jurisdiction": form.jurisdiction, "entity_type": kind}),
                    Change(set="spv.manager", value="manager-to-appoint")]
        companions.append(msg("a {kind} as manager or trustee", kind=kind.replace('_', ' ')))
    return changes, companions


def _tax_leakage(a: Assessment, loaded: LoadedDeal) -> tuple[float | None, dict[str, float]]:
    """Tax the structure loses over the deal's life, from the findings' figures and the forecast royalties."""
    kb = load_knowledge_base()
    r = a.risk
    if r is None:
        return None, {}
    years = r.tenor_years
    detail: dict[str, float] = {N_("withholding"): 0.0, N_("transfer_taxes"): 0.0, N_("entity_tax"): 0.0}
    for f in a.findings:
        if f.status == "risk" and "annual_tax" in f.figures:
            detail["withholding"] += f.figures["annual_tax"] * years
        for key in ("vat", "stamp_duty"):
            detail["transfer_taxes"] += f.figures.get(key, 0.0)
    collections = sum(r.collections_mean)
    interest = sum(c.balance * n.coupon * c.wal_years for c, n in zip(r.classes, sorted(loaded.deal.notes, key=lambda n: (n.seniority, n.id))))
    price = sum(t.price or 0.0 for t in loaded.deal.transfers if t.to == loaded.deal.spv.party)
    spread = max(collections - interest - price, 0.0)
    rate = next((f.figures["entity_tax_rate"] for f in a.findings if "entity_tax_rate" in f.figures), None)
    if rate is None and any(f.rule_id == "US-TAX-001" and f.status == "fail" for f in a.findings):
        value = kb.parameter("us.cit.rate", a.as_of)
        rate = value.value if value else None
    if rate:
        detail["entity_tax"] = rate * spread
    return round(sum(detail.values()), 2), {k: round(v, 2) for k, v in detail.items()}


def rank_vehicles(loaded: LoadedDeal, base: Assessment, risk: RiskOptions | None,
                  stage: Callable[[str], None] = lambda _: None) -> tuple[list[VehicleOption], list[str]]:
    kb = load_knowledge_base()
    deal = loaded.deal
    touched = deal_jurisdictions(DealGraph(deal))
    not_evaluated = []
    options_out: list[VehicleOption] = []
    for jurisdiction in touched:
        forms = kb.vehicles_in(jurisdiction)
        deferred = by_code()[jurisdiction].vehicle_choice_deferred if jurisdiction in by_code() else None
        if deferred and forms:
            not_evaluated += [f"{v.name}: {deferred}" for v in forms]
            continue
        for form in forms:
            current = form.id == deal.spv.form
            if not form.available:
                options_out.append(VehicleOption(
                    form=form.id, name=form.name, jurisdiction=jurisdiction, available=False, reason=form.reason, rank=None,
                    current=current, fails=0, risks=0, tax_leakage=None, tax_detail={}, steps=[], investors=form.investors,
                    companion_changes=[], remaining=[], tested=form.tested))
                continue
            changes, companions = _vehicle_changes(loaded, form.id)
            if not current:
                stage(msg("advising: the deal as a {name}", name=form.name))
            try:
                variant = base if current else assess(revalidate(loaded, changes, form.id), base.as_of, risk, reasoning=False)
            except DealInputError as exc:
                not_evaluated.append(msg("{name}: the deal cannot be put into this form as it stands ({message})",
                                         name=form.name, message=exc.issues[0].message))
                continue
            leakage, detail = _tax_leakage(variant, loaded)
            remaining = [msg("{rule} {status}", rule=f.rule_id, status=f.status) for f in variant.findings
                         if f.status in ("fail", "risk")]
            option = VehicleOption(
                form=form.id, name=form.name, jurisdiction=jurisdiction, available=True, reason=None, rank=None, current=current,
                fails=sum(1 for f in variant.findings if f.status == "fail"), risks=sum(1 for f in variant.findings if f.status == "risk"),
                tax_leakage=leakage, tax_detail=detail, steps=form.steps, investors=form.investors,
                companion_changes=[] if current else companions, remaining=sorted(set(remaining)), tested=form.tested)
            options_out.append(option)
    # A form never used for such assets ranks after the forms in use, whatever its counts: the rule base cannot see
    # the risks nobody has yet met. Then fewer failures, fewer risks, less tax, fewer steps, fewer changes.
    ranked = sorted((o for o in options_out if o.available),
                    key=lambda o: (not o.tested, o.fails, o.risks, o.tax_leakage if o.tax_leakage is not None else float("inf"),
                                   len(o.steps), len(o.companion_changes), not o.current, o.form))
    for position, option in enumerate(ranked, start=1):
        option.rank = position
    options_out.sort(key=lambda o: (o.rank is None, o.rank or 0, o.form))
    return options_out, not_evaluated


def advise(loaded: LoadedDeal, base: Assessment, risk: RiskOptions | None, *, insurer_rating: str = "AA",
           premium_rate: float = 0.005, stage: Callable[[str], None] = lambda _: None) -> Advice:
    """Rank the vehicles and build the remediation plan for the deal `base` assessed (with `risk`, the options its
    risk analysis ran with, or None without one); every item is measured by re-assessing a changed deal (its
    findings and figures: a variant's reasoning is never shown, and is not rebuilt, `assess(reasoning=False)`)."""
    variant_risk = _variant_risk(risk)
    vehicles, not_evaluated = rank_vehicles(loaded, base, variant_risk, stage)
    plan = []
    pool = candidates(loaded, base, base.as_of)
    current = next((v for v in vehicles if v.current), None)
    best = next((v for v in vehicles if v.rank == 1), None)
    if best and not best.current and (current is None or not current.available or best.fails < current.fails):
        changes, _ = _vehicle_changes(loaded, best.form)
        why = (msg("the {name} the deal asks for is not available: {reason}", name=current.name, reason=current.reason) if current and not current.available
               else N_("it leaves fewer requirements unmet than the form now chosen"))
        pool.insert(0, Candidate(f"adopt_{best.form}", msg("Use a {name} as the SPV", name=best.name),
                                 msg("It ranks first among the vehicles the deal's jurisdictions offer, and {why}", why=why), changes))
    for number, candidate in enumerate(pool, start=1):
        stage(msg("advising: remedy {number} of {pool} ({title})", number=number, pool=len(pool), title=candidate.title))
        proposal = _proposal(loaded, base, candidate, variant_risk)
        if proposal and (proposal.diff.cured or proposal.diff.changed or proposal.effect > 0):
            plan.append(proposal)
    plan.sort(key=lambda p: (-p.effect, p.id))
    insurance = None
    wrap = insurance_candidate(loaded, insurer_rating, premium_rate) if risk is not None else None
    if wrap:
        stage("advising: a financial guarantee of the senior notes")
        insurance = _proposal(loaded, base, wrap, variant_risk)
    return Advice(deal=loaded.deal.deal.name, as_of=base.as_of, currency=loaded.deal.deal.currency,
                  current_form=loaded.deal.spv.form, vehicles=vehicles, plan=plan, insurance=insurance,
                  not_evaluated=not_evaluated)


__all__ = ["Advice", "Change", "Diff", "Proposal", "VehicleOption", "advise", "apply_changes", "compare", "deal_mapping"]
