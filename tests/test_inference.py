"""The durable_rules adapter: defects unreachable, exceptions surfaced, chains traced, runs deterministic."""

from __future__ import annotations

import datetime as dt

import pytest

from ipsa.engine.assess import engine
from ipsa.engine.factkinds import Conclusion, FactKind, kind
from ipsa.engine.inference import InferenceEngine, RuleEngineError
from ipsa.engine.rulekit import Conclude, Find, On, Rule, earlier, this
from tests.conftest import EXAMPLE_NAMES, assess_mapping, example_mapping

DAY = dt.date(2026, 1, 1)


@kind("thing")
class Thing(FactKind):
    """A fact kind for these tests alone."""

    name: str
    bad: bool
    left: bool
    right: bool


@kind("step_one")
class StepOne(Conclusion):
    """A test conclusion carrying only its subject."""


@kind("step_two")
class StepTwo(Conclusion):
    """A conclusion drawn from StepOne."""


@kind("engaged")
class Engaged(Conclusion):
    """Concluded by an either/or rule."""


def _rule(rule_id, when, then):
    return Rule(id=rule_id, jurisdiction="XX", area="tax", requirement="test", law="test", citations=(),
                remediation="test", when=when, then=then, tags=("policy",))


def test_exception_inside_an_action_is_raised_not_swallowed():
    def broken(x):
        raise KeyError("typo in an action")
        yield  # pragma: no cover

    eng = InferenceEngine([_rule("XX-T-001", (On("a", "thing"),), broken)], "test_broken", lambda p, d: None)
    with pytest.raises(RuleEngineError, match="(?s)XX-T-001.*typo in an action"):
        eng.run([{"id": "thing:1", "kind": "thing", "text": "a thing"}], DAY)
    # the engine is usable afterwards: the failed session was closed
    with pytest.raises(RuleEngineError):
        eng.run([{"id": "thing:2", "kind": "thing", "text": "another"}], DAY)


def test_chained_conclusions_and_trace():
    rules = [
        _rule("XX-T-001", (On("a", "thing", this.bad),),
              lambda x: [Conclude("step_one", x.a["name"], "first")]),
        _rule("XX-T-002", (On("one", "step_one"), On("a", "thing", this.name == earlier.one.about)),
              lambda x: [Conclude("step_two", x.a["name"], "second")]),
        _rule("XX-T-003", (On("two", "step_two"),), lambda x: [Find("fail", x.two["about"], "third")]),
    ]
    eng = InferenceEngine(rules, "test_chain", lambda p, d: None)
    result = eng.run([{"id": "t1", "name": "t1", "kind": "thing", "bad": True, "text": ""},
                      {"id": "t2", "name": "t2", "kind": "thing", "bad": False, "text": ""}], DAY)
    assert [(f.rule_id, f.about) for f in result.findings] == [("XX-T-003", "t1")]
    assert [f.rule_id for f in result.firings] == ["XX-T-001", "XX-T-002", "XX-T-003"]
    step_two = next(f for f in result.facts.values() if f["kind"] == "step_two")
    step_one = result.facts[next(i for i in step_two["because"] if i.startswith("step_one"))]
    assert step_one["because"] == ["t1"]


def test_reserved_aliases_and_identity_joins_are_refused():
    with pytest.raises(ValueError, match="reserved"):
        On("s", "thing")
    with pytest.raises(ValueError, match="matches on 'id'"):
        On("a", "thing", this.id == earlier.other.about)


def test_duplicate_fact_ids_are_an_error():
    eng = InferenceEngine([_rule("XX-T-001", (On("a", "thing"),), lambda x: [])], "test_dup", lambda p, d: None)
    with pytest.raises(RuleEngineError, match="share the id"):
        eng.run([{"id": "x", "kind": "thing", "text": ""}, {"id": "x", "kind": "thing", "text": ""}], DAY)


def test_deal_with_no_findings_closes_its_session_safely():
    eng = InferenceEngine([_rule("XX-T-001", (On("a", "thing"),), lambda x: [])], "test_empty", lambda p, d: None)
    for _ in range(3):
        assert eng.run([], DAY).findings == []


def test_more_sessions_than_the_engine_limit():
    """1,024 open sessions corrupt durable_rules; each run here closes its own, so 1,500 runs are fine."""
    deal = example_mapping("cn_licence_special_plan")
    first = assess_mapping(deal)
    from ipsa.engine.facts import derive_facts
    from ipsa.engine.graph import DealGraph
    from ipsa.engine.loading import validate_mapping
    from tests.conftest import EXAMPLES

    facts = derive_facts(DealGraph(validate_mapping(deal, "<t>", EXAMPLES).deal), first.as_of)
    for _ in range(1500):
        result = engine().run(facts, first.as_of)
    assert len(result.findings) == len(first.findings) + len(first.displaced)


def test_same_deal_same_findings_and_trace():
    deal = example_mapping("cn_licence_special_plan")
    a, b = assess_mapping(deal), assess_mapping(deal)
    assert a.model_dump() == b.model_dump()


def test_rules_not_in_force_do_not_run():
    deal = example_mapping("cn_licence_special_plan")
    before = assess_mapping(deal, dt.date(2022, 6, 30))
    after = assess_mapping(deal, dt.date(2022, 7, 1))
    assert "CN-TAX-003" not in {f.rule_id for f in before.findings}
    assert "CN-TAX-003" in {f.rule_id for f in after.findings}


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
@pytest.mark.parametrize("day", ["2016-06-30", "2024-10-31", "2026-09-30", "2038-01-01"])
def test_durable_rules_and_the_plain_python_reference_agree(name, day):
    """The same conditions evaluated by loops give the same findings, displacements and conclusions."""
    import datetime as dt

    from ipsa.engine.assess import engine
    from ipsa.engine.facts import derive_facts
    from ipsa.engine.graph import DealGraph
    from ipsa.engine.loading import validate_mapping
    from ipsa.engine.reference import ReferenceEvaluator
    from tests.conftest import EXAMPLES, example_mapping

    mapping = example_mapping(name)
    mapping["regulation"]["investor_jurisdictions"] = ["DE", "GB"]  # engage the EU and UK rules too
    deal = validate_mapping(mapping, name, EXAMPLES).deal
    as_of = dt.date.fromisoformat(day)
    facts = derive_facts(DealGraph(deal), as_of)
    by_engine = engine().run(facts, as_of)
    by_loops = ReferenceEvaluator(engine()).run(facts, as_of)

    def summary(result):
        return (sorted((f.id, f.status, f.says) for f in result.findings),
                sorted((f.id, by) for f, by in result.displaced),
                sorted(f["id"] for f in result.conclusions()))

    assert summary(by_engine) == summary(by_loops)
    assert by_engine.findings, "the comparison must not be vacuous"


def test_facts_with_tiny_or_huge_numbers_reach_the_engine():
    """Defect 7: durable_rules cannot parse '1e-06'; the adapter writes such numbers positionally."""
    from ipsa.engine.inference import engine_json

    assert engine_json({"a": 1e-06, "b": 1e20, "c": 0.25, "d": [True, "x"]}) == '{"a":0.000001,"b":100000000000000000000.0,"c":0.25,"d":[true,"x"]}'
    mapping = example_mapping("cn_licence_special_plan")
    transfer = next(t for t in mapping["transfers"] if t["id"] == "t-optics")
    transfer["price"], transfer["appraised_value"] = 9, 8500000  # price ratio rounds to 1e-06
    found = {(f.rule_id, f.about) for f in assess_mapping(mapping).findings}
    assert ("CN-BR-008", "t-optics") in found


def test_either_or_condition_with_both_branches_true_fires_once():
    """durable_rules expands `a | b` into one rule per branch; with both true the rule still concludes once."""
    rules = [
        _rule("XX-T-001", (On("a", "thing", this.left | this.right),),
              lambda x: [Conclude("engaged", x.a["name"], "engaged"), Find("info", x.a["name"], "engaged")]),
        _rule("XX-T-002", (On("e", "engaged"),), lambda x: [Find("risk", x.e["about"], "follows")]),
    ]
    eng = InferenceEngine(rules, "test_either_or", lambda p, d: None)
    result = eng.run([{"id": "thing:1", "kind": "thing", "text": "t", "name": "one", "left": True, "right": True}], DAY)
    assert sorted(f.rule_id for f in result.findings) == ["XX-T-001", "XX-T-002"]
    assert [f.rule_id for f in result.firings].count("XX-T-001") == 1


@pytest.mark.parametrize("home, investors", [("GB", ["GB", "US"]), ("DE", ["DE", "FR"]), ("IE", ["GB", "IE"])])
def test_originator_and_investors_in_the_same_regime_is_assessed(home, investors):
    """An EU or UK originator that also has investors there engages both branches of the regime's scope rule."""
    deal = example_mapping("us_royalty_llc")
    next(p for p in deal["parties"] if "originator" in p["roles"])["jurisdiction"] = home
    deal.setdefault("regulation", {})["investor_jurisdictions"] = investors
    assessment = assess_mapping(deal)
    regime = "GB" if "GB" in (home, *investors) else "EU"
    scope = [f for f in assessment.findings if f.rule_id == f"{regime}-SUP-001"]
    assert len(scope) == 1
    fired = [(t.rule_id, tuple(t.matched)) for t in assessment.trace]
    assert len(fired) == len(set(fired)), "a rule fired twice on the same facts"
