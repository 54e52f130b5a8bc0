"""A plain-Python evaluation of the same rule conditions: the benchmark's baseline and a cross-check of the adapter.

It reads each rule's durable_rules pattern (its JSON definition) and matches it with ordinary loops: every
combination of facts that satisfies a rule's patterns, in order, fires the rule once; conclusions become facts
and the loop runs until nothing new fires. It reuses the rules' own `then` functions and the adapter's
override step, so any difference from `InferenceEngine.run` is a difference in matching alone.
"""

from __future__ import annotations

import datetime as dt
import operator
from typing import Any, Callable, Iterable

from ipsa.engine.inference import InferenceEngine, InferenceResult, RawFinding, _stable_hash
from ipsa.engine.rulekit import Conclude, Find, Match, Rule

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "$lt": operator.lt, "$lte": operator.le, "$gt": operator.gt, "$gte": operator.ge, "$neq": operator.ne,
}


def _value(spec: Any, bound: dict[str, dict[str, Any]]) -> Any:
    """A literal, or a reference to a field of an earlier pattern ({"alias": "field"})."""
    if isinstance(spec, dict):
        (alias, name), = spec.items()
        return bound[alias].get(name)
    return spec


def _holds(node: dict[str, Any], fact: dict[str, Any], bound: dict[str, dict[str, Any]]) -> bool:
    (key, body), = node.items()
    if key == "$and":
        return all(_holds(part, fact, bound) for part in body)
    if key == "$or":
        return any(_holds(part, fact, bound) for part in body)
    if key in _COMPARE:
        (name, spec), = body.items()
        return name in fact and _COMPARE[key](fact[name], _value(spec, bound))
    return key in fact and fact[key] == _value(body, bound)  # equality: {"field": value}


class ReferenceEvaluator:
    """Evaluates the rules in force with loops instead of durable_rules; same inputs and outputs as the engine."""

    def __init__(self, engine: InferenceEngine):
        self._engine = engine
        self._patterns: dict[str, list[tuple[str, str, dict | None]]] = {
            rule.id: [(on.alias, on.kind, on.where.define() if on.where is not None else None) for on in rule.when]
            for rule in engine.rules.values()
        }

    def _matches(self, rule: Rule, by_kind: dict[str, list[dict]]) -> Iterable[dict[str, dict]]:
        def extend(index: int, bound: dict[str, dict]) -> Iterable[dict[str, dict]]:
            if index == len(self._patterns[rule.id]):
                yield dict(bound)
                return
            alias, kind, where = self._patterns[rule.id][index]
            for fact in by_kind.get(kind, ()):
                if where is None or _holds(where, fact, bound):
                    bound[alias] = fact
                    yield from extend(index + 1, bound)
                    del bound[alias]

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
                    match_ids = [bound[alias]["id"] for alias, _, _ in self._patterns[rule.id]]
                    if (rule.id, tuple(match_ids)) in fired:
                        continue
                    fired.add((rule.id, tuple(match_ids)))
                    rule_params = params.get(rule.id, {})
                    for index, outcome in enumerate(rule.then(Match(bound, as_of, rule_params))):
                        key = _stable_hash(rule.id, match_ids, index)
                        if isinstance(outcome, Conclude):
                            fact = {"id": f"{outcome.kind}:{outcome.about}:{key}", "kind": outcome.kind, "about": outcome.about,
                                    "rule": rule.id, "text": outcome.says, "because": match_ids, **outcome.data}
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
