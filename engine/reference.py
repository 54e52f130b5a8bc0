"""A plain-Python evaluation of the same rule conditions: the benchmark's baseline and a cross-check of the adapter.

It interprets each rule's ipsa condition tree (`ipsa.engine.conditions`) with ordinary loops: every combination
of facts that satisfies a rule's patterns, in order, fires the rule once; conclusions become facts and the loop
runs until nothing new fires. It reuses the rules' own `then` functions, the adapter's conclusion facts and its
override step, so any difference from `InferenceEngine.run` is a difference in matching alone.
"""

from __future__ import annotations

import datetime as dt
import operator
from typing import Any, Callable, Iterable

from ipsa.engine.conditions import And, Condition, Or, Ref
from ipsa.engine.inference import InferenceEngine, InferenceResult, RawFinding, _stable_hash, conclusion_fact
from ipsa.engine.rulekit import Conclude, Find, Match, Rule

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}


def holds(condition: Condition, fact: dict[str, Any], bound: dict[str, dict[str, Any]]) -> bool:
    """Does `fact` satisfy `condition`, given the facts earlier patterns bound (by alias)?"""
    if isinstance(condition, And):
        return all(holds(part, fact, bound) for part in condition.parts)
    if isinstance(condition, Or):
        return any(holds(part, fact, bound) for part in condition.parts)
    value = condition.value
    if isinstance(value, Ref):
        value = bound[value.alias].get(value.name)
    name = condition.field.name
    return name in fact and _COMPARE[condition.op](fact[name], value)


class ReferenceEvaluator:
    """Evaluates the rules in force with loops instead of durable_rules; same inputs and outputs as the engine."""

    def __init__(self, engine: InferenceEngine):
        self._engine = engine

    @staticmethod
    def _matches(rule: Rule, by_kind: dict[str, list[dict]]) -> Iterable[dict[str, dict]]:
        def extend(index: int, bound: dict[str, dict]) -> Iterable[dict[str, dict]]:
            if index == len(rule.when):
                yield dict(bound)
                return
            on = rule.when[index]
            for fact in by_kind.get(on.kind, ()):
                if on.where is None or holds(on.where, fact, bound):
                    bound[on.alias] = fact
                    yield from extend(index + 1, bound)
                    del bound[on.alias]

        yield from extend(0, {})

    def run(self, facts: list[dict[str, Any]], as_of: dt.date) -> InferenceResult:
        rules = self._engine.rules_in_force(as_of)
        params = self._engine._params_for(rules, as_of)
        known = {f["id"]: f for f in facts}
        by_kind: dict[str, list[dict]] = {}
        for fact in facts:
            by_kind.setdefault(fact["kind"], []).append(fact)
        fired: set[tuple[str, tuple[str, ...]]] = set()
        findings: list[RawFinding] = []
        changed = True
        while changed:
            changed = False
            for rule in rules:
                for bound in list(self._matches(rule, by_kind)):
                    match_ids = [bound[on.alias]["id"] for on in rule.when]
                    if (rule.id, tuple(match_ids)) in fired:
                        continue
                    fired.add((rule.id, tuple(match_ids)))
                    rule_params = params.get(rule.id, {})
                    for index, outcome in enumerate(rule.then(Match(bound, as_of, rule_params))):
                        key = _stable_hash(rule.id, match_ids, index)
                        if isinstance(outcome, Conclude):
                            fact = conclusion_fact(rule, outcome, match_ids, key)
                            known[fact["id"]] = fact
                            by_kind.setdefault(fact["kind"], []).append(fact)
                            changed = True
                        elif isinstance(outcome, Find):
                            findings.append(RawFinding(
                                id=f"{rule.id}:{outcome.about}:{key}", rule_id=rule.id, status=outcome.status,
                                about=outcome.about, says=outcome.says, figures=dict(outcome.figures),
                                remediation=outcome.remediation, because=match_ids, params=rule_params,
                            ))
        result = InferenceResult(known, findings, [])
        self._engine._apply_overrides(result)
        return result
