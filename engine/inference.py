"""The one adapter around durable_rules; it makes the engine's known defects unreachable.

What `../shared/research/durable-rules.md` found, and what this module does about each:

1. At most 1024 open sessions per ruleset, then memory corruption -> exactly one open session at a time (a lock),
   deleted in a `finally` after every deal.
2. Deleting sessions while the default Host's dispatcher thread runs can segfault -> a Host whose dispatcher
   never starts (no timers or asynchronous actions are used).
3. `delete_state` on a session where no action ran frees uninitialised memory -> a sentinel fact and rule that
   fire once in every session.
4. Fact identity is a 32-bit hash and duplicates are reported, not compared -> every fact carries a unique id,
   each fact is asserted on its own so its return code is seen, and a duplicate signal is an error.
5. A batch with an unmatched fact raises before actions run -> facts go in one at a time; "not handled" is
   expected (a fact no rule wants) and the actions run afterwards from the session's handle.

6. (Found here.) A pattern joining on `id` stops matching once a second fact of that kind is present -> the rule
   kit refuses any pattern that mentions `id`; rules join on domain fields.
7. (Found here, by the mutation tests.) The engine's JSON parser rejects numbers with a signed exponent, which
   Python writes for small and large floats (`1e-06`, `1e+20`): assert_fact fails with error 204 -> base facts are
   serialised with every number in plain positional notation (`engine_json`), and a rule whose conclusion carries
   such a float is refused with a clear error.

Rules are written in ipsa's own condition language (`ipsa.engine.conditions`); `compile_condition` turns a condition
into durable_rules' pattern expression, and this is the only module that imports durable_rules. A conclusion
whose data does not fit its declared kind (`ipsa.engine.factkinds`) is an error of the rule that drew it.

Exceptions raised inside actions are stored by durable_rules and later rules keep firing; here every action is
wrapped, its exception recorded and re-raised as `RuleEngineError` once the session is closed. The adapter keeps
its own trace of every firing: the rule, the facts it matched and what it produced.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import operator
import threading
import traceback
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import durable_rules_engine
from durable import engine as durable_engine
from durable.lang import c as _c, m as _m, when_all

from ipsa.engine.conditions import And, Compare, Condition, Ref
from ipsa.engine.factkinds import FactKindError, check_conclusion
from ipsa.engine.rulekit import Conclude, Find, Match, Rule

SENTINEL_KIND = "__ipsa_sentinel__"
_ENGINE_ONLY_DROP = ("text", "because")


class RuleEngineError(RuntimeError):
    """A rule's action raised, or the engine reported something it must not (a duplicate fact)."""


class _QuietHost(durable_engine.Host):
    """A Host without the background dispatcher threads (defect 2)."""

    def _run(self) -> None:  # noqa: D401 - deliberately does nothing
        return None


@dataclass
class Firing:
    rule_id: str
    matched: list[str]
    produced: list[str]


@dataclass
class RawFinding:
    id: str
    rule_id: str
    status: str
    about: str
    says: str
    figures: dict[str, float]
    remediation: str | None
    because: list[str]
    params: dict[str, float]


@dataclass
class InferenceResult:
    facts: dict[str, dict[str, Any]]  # base facts and conclusions by id
    findings: list[RawFinding]
    firings: list[Firing]
    displaced: list[tuple[RawFinding, str]] = field(default_factory=list)

    def conclusions(self) -> list[dict[str, Any]]:
        return [f for f in self.facts.values() if "rule" in f]


def _exponent_floats(value: Any) -> bool:
    """True if json.dumps would write some float in `value` with an exponent (magnitude below 1e-4 or at least
    1e16), or if it holds a non-finite float. Facts are flat, so this is one pass in the common case."""
    kind = type(value)
    if kind is float:
        magnitude = abs(value)
        return value != 0 and not (1e-4 <= magnitude < 1e16)
    if kind is dict:
        return any(_exponent_floats(v) for v in value.values() if type(v) in _CONTAINERS_AND_FLOATS)
    if kind is list or kind is tuple:
        return any(_exponent_floats(v) for v in value if type(v) in _CONTAINERS_AND_FLOATS)
    return False


_CONTAINERS_AND_FLOATS = frozenset({float, dict, list, tuple})


def _number(value: float) -> str:
    """A float in positional notation, which durable_rules' parser accepts (it rejects '1e-06' and '1e+20')."""
    if value != value or value in (float("inf"), float("-inf")):
        raise RuleEngineError(f"a fact carries the non-finite number {value!r}")
    text = repr(value)
    if "e" not in text and "E" not in text:
        return text
    fixed = format(value, ".20f").rstrip("0")
    return fixed + "0" if fixed.endswith(".") else fixed


def _positional(value: Any) -> str:
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(str(k), ensure_ascii=False)}:{_positional(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_positional(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def engine_json(value: Any) -> str:
    """JSON for durable_rules: like json.dumps, but numbers never use exponent notation (defect 7)."""
    if _exponent_floats(value):
        return _positional(value)
    return _ENGINE_JSON.encode(value)


def _stable_hash(*parts: Any) -> str:
    return hashlib.sha1(_HASHED_JSON.encode(parts).encode()).hexdigest()[:12]


# json.dumps with options builds an encoder on every call (a few microseconds, and it is called for every fact and
# conclusion: a million times for a 10,000-patent deal's advice); these are the same encoders, built once.
_ENGINE_JSON = json.JSONEncoder(ensure_ascii=False, allow_nan=False)
_HASHED_JSON = json.JSONEncoder(sort_keys=True, default=str)


_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}


def compile_condition(condition: Condition) -> Any:
    """The durable_rules expression for an ipsa condition: `this.f` -> `m.f`, `earlier.a.f` -> `c.a.f`."""
    if isinstance(condition, Compare):
        value = condition.value
        if isinstance(value, Ref):
            value = getattr(getattr(_c, value.alias), value.name)
        elif _exponent_floats(value):
            raise RuleEngineError(f"the literal {value!r} cannot be written for the engine (defect 7)")
        return _OPERATORS[condition.op](getattr(_m, condition.field.name), value)
    parts = [compile_condition(part) for part in condition.parts]
    return functools.reduce(operator.and_ if isinstance(condition, And) else operator.or_, parts)


def conclusion_fact(rule: Rule, outcome: Conclude, match_ids: list[str], key: str) -> dict[str, Any]:
    """The fact a rule's conclusion becomes; an error if its data does not fit the declared conclusion kind."""
    try:
        check_conclusion(outcome.kind, outcome.about, outcome.data)
    except FactKindError as exc:
        raise RuleEngineError(f"rule {rule.id} concludes {outcome.kind!r} wrongly: {exc}") from None
    return {"id": f"{outcome.kind}:{outcome.about}:{key}", "kind": outcome.kind, "about": outcome.about,
            "rule": rule.id, "text": outcome.says, "because": match_ids, **outcome.data}


class _Session:
    """Bookkeeping for one deal's run."""

    def __init__(self, base_facts: list[dict[str, Any]], as_of: dt.date, params: dict[str, dict[str, float]]):
        self.sid = str(uuid.uuid4())
        self.as_of = as_of
        self.params = params
        self.facts: dict[str, dict[str, Any]] = {}
        for fact in base_facts:
            if fact["id"] in self.facts:
                raise RuleEngineError(f"two facts share the id {fact['id']!r}")
            self.facts[fact["id"]] = fact
        self.findings: list[RawFinding] = []
        self.firings: list[Firing] = []
        self.fired: set[tuple[str, tuple[str, ...]]] = set()  # (rule, matched fact ids): a rule fires once per match
        self.errors: list[str] = []
        self.sentinel_fired = False


class InferenceEngine:
    """Registers rule sets once per process and runs one deal at a time through durable_rules."""

    _host = _QuietHost()
    _lock = threading.Lock()
    _registered: dict[str, durable_engine.Ruleset] = {}

    def __init__(self, rules: Sequence[Rule], version: str, params_on: Callable[[str, dt.date], float | None],
                 instrument_in_force: Callable[[str, dt.date], bool] = lambda _instrument, _day: True):
        ids = [r.id for r in rules]
        if len(set(ids)) != len(ids):
            raise RuleEngineError("two rules share an id")
        self.rules = {r.id: r for r in rules}
        self.version = version
        self._params_on = params_on
        self._instrument_in_force = instrument_in_force
        self._in_force: dict[dt.date, tuple[Rule, ...]] = {}
        self._overridden_by: dict[str, tuple[str, ...]] = {}
        for rule in rules:
            for displaced in rule.overrides:
                self._overridden_by[displaced] = self._overridden_by.get(displaced, ()) + (rule.id,)
        self._current: _Session | None = None
        self._consumed: frozenset[str] = frozenset()

    # -- registration -------------------------------------------------------------------------------------------

    def rules_in_force(self, as_of: dt.date) -> list[Rule]:
        """Rules whose own dates cover `as_of`, whose cited instruments are all in force then, and whose dated
        parameters all have a value then: a rule cannot rest on a law not yet (or no longer) in force."""
        if as_of not in self._in_force:
            if len(self._in_force) > 4096:
                self._in_force.clear()
            self._in_force[as_of] = self._select_in_force(as_of)
        return list(self._in_force[as_of])

    def _select_in_force(self, as_of: dt.date) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules.values()
                if r.in_force_on(as_of)
                and all(self._instrument_in_force(ref.instrument, as_of) for ref in r.citations)
                and all(self._params_on(pid, as_of) is not None for pid in r.parameters))

    def _ruleset_name(self, rules: list[Rule]) -> str:
        return f"ipsa_{self.version}_{_stable_hash(sorted(r.id for r in rules))}"

    def _action(self, rule: Rule) -> Callable[[Any], None]:
        def action(closure: Any) -> None:  # one parameter: durable_rules treats two as asynchronous
            session = self._current
            if session is None:
                return
            try:
                self._fire(session, rule, closure)
            except BaseException:  # recorded and re-raised after the session closes
                session.errors.append(f"rule {rule.id}: {traceback.format_exc()}")

        return action

    def _sentinel(self, closure: Any) -> None:
        if self._current is not None:
            self._current.sentinel_fired = True

    def _definition(self, rules: list[Rule]) -> dict[str, Any]:
        definition: dict[str, Any] = {}
        sentinel = when_all(getattr(_c, "sentinel") << (_m.kind == SENTINEL_KIND))(self._sentinel)
        definition["r_sentinel"] = sentinel.define()
        for index, rule in enumerate(rules):
            patterns = []
            for on in rule.when:
                condition = _m.kind == on.kind
                if on.where is not None:
                    condition = condition & compile_condition(on.where)
                patterns.append(getattr(_c, on.alias) << condition)
            definition[f"r_{index}"] = when_all(*patterns)(self._action(rule)).define()
        return definition

    def _ruleset(self, rules: list[Rule]) -> tuple[durable_engine.Ruleset, frozenset[str]]:
        name = self._ruleset_name(rules)
        ruleset = self._registered.get(name)
        if ruleset is None:
            self._host.register_rulesets({name: self._definition(rules)})
            ruleset = self._registered[name] = self._host.get_ruleset(name)
        return ruleset, frozenset(on.kind for r in rules for on in r.when)

    # -- running ------------------------------------------------------------------------------------------------

    def _params_for(self, rules: list[Rule], as_of: dt.date) -> dict[str, dict[str, float]]:
        return {rule.id: {pid: self._params_on(pid, as_of) for pid in rule.parameters} for rule in rules}

    def _assert(self, ruleset: durable_engine.Ruleset, fact: dict[str, Any], sid: str) -> int | None:
        """Assert one fact; return the state handle. 'Not handled' is fine, 'already observed' is an error."""
        payload = {k: v for k, v in fact.items() if k not in _ENGINE_ONLY_DROP}
        payload["sid"] = sid
        code, handle = durable_rules_engine.assert_fact(ruleset._handle, engine_json(payload))
        if code == 2:
            raise RuleEngineError(f"the engine reported fact {fact['id']!r} as a duplicate (fact-identity collision)")
        return handle

    def _fire(self, session: _Session, rule: Rule, closure: Any) -> None:
        message = closure._m
        matched = {alias: session.facts[message[alias]["id"]] for alias in (on.alias for on in rule.when)}
        match_ids = [f["id"] for f in matched.values()]
        # durable_rules expands an either/or condition into one rule per branch and fires each branch that holds,
        # so one set of facts can arrive twice; a rule concludes once per set of matched facts.
        if (rule.id, tuple(match_ids)) in session.fired:
            return
        session.fired.add((rule.id, tuple(match_ids)))
        params = session.params.get(rule.id, {})
        produced: list[str] = []
        for index, outcome in enumerate(rule.then(Match(matched, session.as_of, params))):
            key = _stable_hash(rule.id, match_ids, index)
            if isinstance(outcome, Conclude):
                fact = conclusion_fact(rule, outcome, match_ids, key)
                session.facts[fact["id"]] = fact
                produced.append(fact["id"])
                if fact["kind"] in self._consumed:
                    payload = {k: v for k, v in fact.items() if k not in _ENGINE_ONLY_DROP}
                    if _exponent_floats(payload):
                        raise RuleEngineError(f"rule {rule.id} concludes a float the engine cannot parse (defect 7); "
                                              "round it or pass it as text")
                    try:
                        closure.assert_fact(payload)
                    except durable_engine.MessageNotHandledException:
                        pass  # no rule builds on this particular conclusion
                    except durable_engine.MessageObservedException:
                        raise RuleEngineError(f"conclusion {fact['id']!r} reported as a duplicate") from None
            elif isinstance(outcome, Find):
                finding = RawFinding(
                    id=f"{rule.id}:{outcome.about}:{key}", rule_id=rule.id, status=outcome.status, about=outcome.about,
                    says=outcome.says, figures=dict(outcome.figures), remediation=outcome.remediation,
                    because=match_ids, params=params,
                )
                session.findings.append(finding)
                produced.append(finding.id)
            else:
                raise RuleEngineError(f"rule {rule.id} produced {type(outcome).__name__}, not Conclude or Find")
        session.firings.append(Firing(rule.id, match_ids, produced))

    def run(self, facts: list[dict[str, Any]], as_of: dt.date) -> InferenceResult:
        """Run one deal's facts through the rules in force on `as_of`."""
        rules = self.rules_in_force(as_of)
        params = self._params_for(rules, as_of)
        with self._lock:
            ruleset, consumed = self._ruleset(rules)
            self._consumed = consumed
            session = _Session(facts, as_of, params)
            self._current = session
            try:
                handle = self._assert(ruleset, {"id": "sentinel", "kind": SENTINEL_KIND}, session.sid)
                for fact in facts:
                    if fact["kind"] in consumed:
                        handle = self._assert(ruleset, fact, session.sid)
                failure: list[BaseException] = []
                ruleset.do_actions(handle, lambda error, _state: failure.append(error) if error else None)
                state = ruleset.get_state(session.sid)
                if failure:
                    session.errors.append(f"engine: {failure[0]!r}")
                if "exception" in state:
                    session.errors.append(f"engine action: {state['exception']}")
                if not session.sentinel_fired:
                    session.errors.append("engine: the sentinel rule did not fire")
            finally:
                self._current = None
                if session.sentinel_fired:
                    ruleset.delete_state(session.sid)
        if session.errors:
            raise RuleEngineError("; ".join(session.errors))
        result = InferenceResult(session.facts, session.findings, session.firings)
        self._apply_overrides(result)
        return result

    def _apply_overrides(self, result: InferenceResult) -> None:
        """A rule that overrides another displaces the other's findings about the same subject (data, not priority)."""
        by_rule: dict[str, set[str]] = {}
        for finding in result.findings:
            by_rule.setdefault(finding.rule_id, set()).add(finding.about)
        kept = []
        for finding in result.findings:
            displacer = next(
                (rid for rid in self._overridden_by.get(finding.rule_id, ()) if finding.about in by_rule.get(rid, set())),
                None,
            )
            if displacer:
                result.displaced.append((finding, displacer))
            else:
                kept.append(finding)
        result.findings = kept
