"""What changes for one deal between two dates, and which change in the law caused it (`ipsa lawdiff`).

The deal is assessed under the law in force on each date (without the risk model, whose figures move with time
rather than law); findings are compared by rule and subject, and each difference is traced to what the knowledge
base dates: a rule's own window, an instrument taking effect or ceasing to apply (with its successor), a dated
parameter's new value, or a revision of an incorporated list. A difference no dated law explains is said to come
from the facts being read on another date (elapsed time, deadlines).
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from ipsa.engine.assessment import Finding
from ipsa.engine.loading import LoadedDeal
from ipsa.engine.rulekit import Rule
from ipsa.knowledge_base import KnowledgeBase, load as load_knowledge_base


class LawChange(BaseModel):
    """One change in the law held by ipsa between the two dates."""

    on: dt.date
    what: str


class FindingChange(BaseModel):
    rule_id: str
    about: str
    change: str  # added, removed, changed, or handed_over (the same finding now rests on the successor law)
    previous_rule: str | None = None  # for handed_over: the rule of the earlier law
    before: str | None  # status: conclusion, on the first date
    after: str | None
    because: list[str]  # the changes in the law that explain it


class LawDiff(BaseModel):
    deal: str
    from_date: dt.date
    to_date: dt.date
    findings: list[FindingChange]
    law_changes: list[LawChange]  # every change in the law the rules this deal engages rest on, in date order


def _between(day: dt.date | None, start: dt.date, end: dt.date) -> bool:
    return day is not None and start < day <= end


def _rule_changes(rule: Rule, kb: KnowledgeBase, start: dt.date, end: dt.date) -> list[LawChange]:
    """The dated law under `rule` that changes after `start` up to `end` (end-exclusive ends count the day after)."""
    out: list[LawChange] = []
    if _between(rule.effective_from, start, end):
        out.append(LawChange(on=rule.effective_from, what=f"{rule.id} applies from {rule.effective_from}"))
    if rule.effective_to and start <= rule.effective_to < end:
        out.append(LawChange(on=rule.effective_to + dt.timedelta(days=1), what=f"{rule.id} applies only until {rule.effective_to}"))
    for ref in rule.citations:
        instrument = kb.instruments[ref.instrument]
        if _between(instrument.effective_from, start, end):
            out.append(LawChange(on=instrument.effective_from, what=f"{instrument.title_en} takes effect on {instrument.effective_from}"))
        if instrument.effective_to and start <= instrument.effective_to < end:
            successor = kb.instruments[instrument.successor].title_en if instrument.successor in kb.instruments else None
            out.append(LawChange(on=instrument.effective_to + dt.timedelta(days=1),
                                 what=f"{instrument.title_en} ceases to apply after {instrument.effective_to}"
                                 + (f" (replaced by the {successor})" if successor else "")))
    for pid in rule.parameters:
        parameter = kb.parameters[pid]
        before, after = parameter.value_on(start), parameter.value_on(end)
        if before != after:
            on = after.from_ if after else (before.until + dt.timedelta(days=1) if before and before.until else end)
            basis = kb.resolve((after or before).reference).label
            if before and after and before.value == after.value:
                what = f"{parameter.description}: unchanged at {after.value:g}, now resting on {basis}"
            else:
                what = (f"{parameter.description}: {f'{before.value:g}' if before else 'no value'} -> "
                        f"{f'{after.value:g}' if after else 'no value'} ({basis})")
            out.append(LawChange(on=on, what=what))
    for lid in rule.lists:
        held = kb.lists[lid]
        before, after = held.value_on(start), held.value_on(end)
        if before != after:
            added = sorted(set(after.members if after else []) - set(before.members if before else []))
            removed = sorted(set(before.members if before else []) - set(after.members if after else []))
            out.append(LawChange(on=after.from_ if after else end, what=f"{held.description} revised on "
                                 f"{after.from_ if after else end}: added {', '.join(added) or 'none'}; removed {', '.join(removed) or 'none'}"))
    unique = {(c.on, c.what): c for c in out}  # a rule citing several articles of one instrument names it once
    return [unique[key] for key in sorted(unique)]


def _keyed(findings: list[Finding]) -> dict[tuple[str, str], Finding]:
    return {(f.rule_id, f.about): f for f in findings}


def _said(f: Finding | None) -> str | None:
    return f"{f.status}: {f.conclusion}" if f else None


def _handovers(old: dict, new: dict) -> dict[tuple[str, str], tuple[str, str]]:
    """Findings that only moved from one era's rule to its successor's: about the same subject, the same status and
    the same words, found by a rule of the same jurisdiction and area on one date and another rule on the other."""
    gone = {k: f for k, f in old.items() if k not in new}
    came = {k: f for k, f in new.items() if k not in old}
    pairs: dict[tuple[str, str], tuple[str, str]] = {}
    for key, finding in sorted(came.items()):
        match = next((k for k, f in sorted(gone.items()) if k[1] == key[1] and k not in pairs.values()
                      and (f.jurisdiction, f.area, f.status, f.conclusion) == (finding.jurisdiction, finding.area,
                                                                               finding.status, finding.conclusion)), None)
        if match:
            pairs[key] = match
    return pairs


def lawdiff(loaded: LoadedDeal, from_date: dt.date, to_date: dt.date) -> LawDiff:
    """The deal assessed under the law of each date, and what changed with the reason in the law."""
    from ipsa.engine import pipeline
    from ipsa.rules import all_rules

    start, end = sorted((from_date, to_date))
    options = dict(risk=False, advice=False)
    before = pipeline.run(loaded, pipeline.Options(as_of=from_date, as_of_named="--from", **options))
    after = pipeline.run(loaded, pipeline.Options(as_of=to_date, as_of_named="--to", **options))
    kb = load_knowledge_base()
    rules = {r.id: r for r in all_rules()}
    old, new = _keyed(before.findings), _keyed(after.findings)
    changes = []
    handed = _handovers(old, new)
    for key in sorted(old.keys() | new.keys()):
        a, b = old.get(key), new.get(key)
        if a and b and (a.status, a.conclusion) == (b.status, b.conclusion) or key in handed.values():
            continue
        because = [c.what for c in _rule_changes(rules[key[0]], kb, start, end)]
        previous = handed.get(key)
        if previous:
            because = [c.what for c in _rule_changes(rules[previous[0]], kb, start, end)] + because
        changes.append(FindingChange(
            rule_id=key[0], about=key[1], previous_rule=previous[0] if previous else None,
            change="handed_over" if previous else "added" if a is None else "removed" if b is None else "changed",
            before=_said(old.get(previous) if previous else a), after=_said(b),
            because=list(dict.fromkeys(because)) or [
                "no change in the law ipsa holds explains it: the facts are read on another date (time elapsed, deadlines passed)"]))
    engaged = {f.rule_id for f in [*before.findings, *after.findings]} | {
        r.id for r in rules.values() if r.jurisdiction in set(before.jurisdictions_assessed) | set(after.jurisdictions_assessed)}
    law = {(c.on, c.what): c for rid in sorted(engaged) for c in _rule_changes(rules[rid], kb, start, end)}
    return LawDiff(deal=loaded.deal.deal.name, from_date=from_date, to_date=to_date, findings=changes,
                   law_changes=[law[key] for key in sorted(law)])
