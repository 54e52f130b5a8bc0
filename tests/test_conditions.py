"""ipsa's condition language and fact kinds: the tree, its checks when the rule base loads, conclusions checked at
run time, the rule tags a lawyer reviews, and either/or conditions that fire once however many branches hold."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path

import pytest

from ipsa.engine.conditions import And, Compare, Or, Ref, this, earlier
from ipsa.engine.factkinds import KINDS, FactKindError, RoleConflict, fields_of
from ipsa.engine.inference import InferenceEngine, RuleEngineError, compile_condition
from ipsa.engine.reference import ReferenceEvaluator, holds
from ipsa.engine.rulekit import TAGS, Conclude, On, Rule, RuleDefinitionError
from ipsa.knowledge_base import load as load_knowledge_base
from ipsa.rules import all_rules, in_force_window
from tests.conftest import EXAMPLE_NAMES, EXAMPLES, example_mapping

DAY = dt.date(2026, 1, 1)
_VERSIONS = itertools.count()  # rule sets register once per name: each test engine gets its own
RULES_DIR = Path(__file__).resolve().parents[1] / "rules"


def _rule(when, then=lambda x: [], tags=("policy",), rule_id="XX-C-001"):
    return Rule(id=rule_id, jurisdiction="XX", area="tax", requirement="test", law="test", citations=(),
                remediation="test", when=when, then=then, tags=tags)


# -- the tree --------------------------------------------------------------------------------------------------------

def test_conditions_are_an_inspectable_tree():
    condition = (this.office == "CN") & ~this.registered & (this.patent == earlier.gap.about)
    assert isinstance(condition, And) and len(condition.parts) == 3
    office, registered, join = condition.parts
    assert (office.field.name, office.op, office.value) == ("office", "==", "CN")
    assert (registered.field.name, registered.op, registered.value) == ("registered", "==", False)
    assert isinstance(join.value, Ref) and (join.value.alias, join.value.name) == ("gap", "about")
    either = this.eu_investors | this.originator_in_eu
    assert isinstance(either, Or) and [(c.field.name, c.value) for c in either.parts] == [("eu_investors", True),
                                                                                          ("originator_in_eu", True)]
    assert [c.op for c in ((this.price > 0) & (this.price <= 1)).comparisons()] == [">", "<="]


def test_python_and_or_are_refused():
    with pytest.raises(TypeError, match="combine conditions with &"):
        (this.office == "CN") and (this.registered == False)  # noqa: E712
    with pytest.raises(TypeError, match="literal or an `earlier` field"):
        this.office == this.country


def test_conditions_compile_to_durable_rules_own_expressions():
    from durable.lang import c, m

    ours = compile_condition(((this.office == "CN") & ~this.registered) | (this.patent == earlier.gap.about))
    theirs = ((m.office == "CN") & (m.registered == False)) | (m.patent == c.gap.about)  # noqa: E712
    assert ours.define() == theirs.define()


def test_reference_interprets_the_tree():
    condition = (this.office == "CN") & (~this.registered | (this.days_since >= 90)) & (this.patent == earlier.gap.about)
    bound = {"gap": {"about": "p1"}}
    assert holds(condition, {"office": "CN", "registered": False, "days_since": 1, "patent": "p1"}, bound)
    assert holds(condition, {"office": "CN", "registered": True, "days_since": 90, "patent": "p1"}, bound)
    assert not holds(condition, {"office": "CN", "registered": True, "days_since": 89, "patent": "p1"}, bound)
    assert not holds(condition, {"office": "CN", "registered": False, "days_since": 1, "patent": "p2"}, bound)


def test_only_the_adapter_knows_durable_rules():
    assert [str(p) for p in RULES_DIR.rglob("*.py") if "durable" in p.read_text()] == []
    importers = {p.name for p in (RULES_DIR.parent / "engine").rglob("*.py")
                 if re.search(r"^\s*(from|import) durable", p.read_text(), re.M)}
    assert importers == {"inference.py"}


def test_a_literal_the_engine_cannot_parse_is_refused():
    eng = InferenceEngine([_rule((On("t", "transfer", this.price > 1e-06),))], f"test_literal_{next(_VERSIONS)}",
                          lambda p, d: None)
    with pytest.raises(RuleEngineError, match="defect 7"):
        eng.run([], DAY)


# -- checks when the rule base loads ---------------------------------------------------------------------------------

@pytest.mark.parametrize("when, message", [
    ((On("t", "transfre"),), r"XX-C-001.*no fact kind 'transfre'"),
    ((On("t", "transfer", this.prise > 0),), r"XX-C-001.*transfer has no field 'prise'"),
    ((On("pool", "pool_patent", this.patent == earlier.gap.about),), r"XX-C-001.*joins to 'gap', which no earlier pattern binds"),
    ((On("pool", "pool_patent", this.patent == earlier.gap.about), On("gap", "spv_lacks_title")), r"joins to 'gap'"),
    ((On("gap", "spv_lacks_title"), On("pool", "pool_patent", this.patent == earlier.gap.patent)),
     r"XX-C-001.*gap\.patent, a field its kind does not declare"),
    ((On("link", "title_link", this.registered == "no"),), r"XX-C-001.*compares registered \(bool\) with 'no'"),
    ((On("link", "title_link", this.position == 1.5),), r"compares position \(int\) with 1.5"),
    ((On("link", "title_link", this.office > "A"),), r"orders office, which is str"),
    ((On("gap", "spv_lacks_title"), On("pool", "pool_patent", this.links == earlier.gap.about)),
     r"compares links \(int\) with gap\.about \(str\)"),
    ((On("t", "transfer", this.patent_offices == "CN"),), r"compares patent_offices \(list\[str\]\) with 'CN'"),
    ((On("t", "transfer"), On("t", "transfer")), r"bound twice"),
])
def test_a_rule_naming_what_is_not_declared_is_refused(when, message):
    with pytest.raises(RuleDefinitionError, match=message):
        _rule(when)


def test_identity_reserved_aliases_and_foreign_expressions_are_refused():
    with pytest.raises(ValueError, match="matches on 'id'"):
        On("t", "transfer", this.id == "transfer:t1")
    with pytest.raises(ValueError, match="matches on 'id'"):
        On("t", "transfer", this.transfer == earlier.other.id)
    with pytest.raises(ValueError, match="reserved"):
        On("m", "transfer")
    with pytest.raises(TypeError, match="not an ipsa condition"):
        On("t", "transfer", "price > 0")


def test_rules_need_known_tags():
    with pytest.raises(RuleDefinitionError, match="XX-C-001 has no tag"):
        _rule((On("t", "transfer"),), tags=())
    with pytest.raises(RuleDefinitionError, match=r"XX-C-001 has unknown tags \['recording'\]"):
        _rule((On("t", "transfer"),), tags=("registration", "recording"))


# -- facts and conclusions fit their kinds ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_derived_facts_carry_exactly_their_declared_fields(name):
    from ipsa.engine.facts import derive_facts
    from ipsa.engine.graph import DealGraph
    from ipsa.engine.loading import validate_mapping

    deal = validate_mapping(example_mapping(name), name, EXAMPLES).deal
    facts = derive_facts(DealGraph(deal), deal.deal.as_of)
    assert len({f["id"] for f in facts}) == len(facts)
    for fact in facts:
        assert set(fact) - {"id", "kind", "text"} == set(fields_of(fact["kind"])), fact["id"]
        assert None not in fact.values()


def test_a_fact_never_carries_none():
    with pytest.raises(FactKindError, match="role_conflict.party must be str, not None"):
        RoleConflict(party=None, conflict="servicer_is_originator")


@pytest.mark.parametrize("kind, data, message", [
    ("sale_may_be_loan", {"country": "CN", "indicators": "three"}, r"sale_may_be_loan\.indicators must be int, not 'three'"),
    ("sale_may_be_loan", {"country": "CN"}, r"lacks \['indicators'\]"),
    ("sale_may_be_loan", {"country": "CN", "indicators": 1, "price": 2.0}, r"has undeclared \['price'\]"),
    ("sale_may_be_loan", {"country": "CN", "indicators": 1, "id": "x"}, r"has undeclared \['id'\]"),
    ("sale_may_be_a_loan", {}, r"'sale_may_be_a_loan' is not a declared conclusion kind"),
    ("transfer", {}, r"'transfer' is not a declared conclusion kind"),
])
@pytest.mark.parametrize("evaluator", ["engine", "reference"])
def test_a_conclusion_that_does_not_fit_its_kind_is_an_error_at_run_time(kind, data, message, evaluator):
    rule = _rule((On("t", "transfer", this.price > 0),), lambda x: [Conclude(kind, x.t["transfer"], "says", data)])
    eng = InferenceEngine([rule], f"test_conclusion_kinds_{next(_VERSIONS)}", lambda p, d: None)
    run = eng.run if evaluator == "engine" else ReferenceEvaluator(eng).run
    with pytest.raises(RuleEngineError, match=rf"(?s)XX-C-001.*{message}"):
        run([{"id": "transfer:t1", "kind": "transfer", "text": "", "transfer": "t1", "price": 5.0}], DAY)


def test_the_examples_conclude_only_declared_kinds():
    from ipsa.engine.assess import engine
    from ipsa.engine.facts import derive_facts
    from ipsa.engine.graph import DealGraph
    from ipsa.engine.loading import validate_mapping

    concluded = set()
    for name in EXAMPLE_NAMES:
        mapping = example_mapping(name)
        mapping["regulation"]["investor_jurisdictions"] = ["DE", "GB"]
        deal = validate_mapping(mapping, name, EXAMPLES).deal
        result = engine().run(derive_facts(DealGraph(deal), deal.deal.as_of), deal.deal.as_of)
        concluded |= {f["kind"] for f in result.conclusions()}
    assert concluded and concluded <= set(KINDS)


# -- tags ------------------------------------------------------------------------------------------------------------

# What the advisor keys on, rule by rule, for a lawyer to review.
ADVISOR_TAGS = {
    "registration": {"CN-BR-001", "CN-BR-002", "CN-BR-003", "JP-BR-001", "JP-BR-002", "JP-BR-003", "VN-BR-001", "VN-BR-002",
                     "VN-BR-003", "VN-BR-015", "US-BR-001", "GB-BR-001", "VN-BR-013"},
    "notice": {"CN-BR-005", "CN-BR-006", "JP-BR-005", "JP-BR-006", "JP-BR-007", "US-BR-005", "US-BR-006", "VN-BR-005",
               "VN-BR-006", "VN-BR-016", "CN-BR-017"},
    "pledge": {"CN-BR-016"},
    "perfection": {"US-BR-002", "US-BR-003", "JP-BR-007"},
    "commingling": {"CN-BR-011", "US-BR-010", "JP-BR-012", "VN-BR-011", "VN-BR-020", "CN-BR-006", "US-BR-006", "JP-BR-006",
                    "VN-BR-006", "VN-BR-016"},
    "backup_servicer": {"CN-BR-012", "JP-BR-013", "US-BR-011", "VN-BR-012", "VN-BR-021"},
    "separateness": {"US-SPV-002", "JP-SPV-002", "VN-SPV-003", "VN-SPV-005", "CN-SPV-004"},
    "true_sale": {"CN-BR-009", "CN-BR-010", "JP-BR-009", "JP-BR-010", "US-BR-007", "US-BR-008", "VN-BR-009", "VN-BR-010",
                  "VN-BR-019"},
    "clawback": {"CN-BR-008", "JP-BR-011", "US-BR-009", "US-BR-013", "VN-BR-008", "VN-BR-018"},
    "withholding": {"CN-TAX-001", "JP-TAX-002", "US-TAX-002", "VN-TAX-003", "GB-TAX-001", "EU-TAX-001"},
    "retention": {"US-SUP-003", "EU-SUP-002", "GB-SUP-002", "GB-SUP-006", "CN-SUP-004"},
    "transparency": {"EU-SUP-003", "GB-SUP-003", "GB-SUP-007"},
    "eligible_assets": {"CN-SUP-002"},
    "patent_in_trust": {"CN-SPV-003", "CN-BR-004"},
    "vehicle_notification": {"JP-SUP-001"},
    "legal_opinion": {"CN-BR-014", "CN-BR-015", "JP-BR-015", "US-BR-014", "US-SPV-003"},
}


@pytest.mark.parametrize("tag", sorted(ADVISOR_TAGS))
def test_the_rules_behind_each_advisor_tag(tag):
    assert {r.id for r in all_rules() if tag in r.tags} == ADVISOR_TAGS[tag]


def test_every_rule_is_tagged_from_a_vocabulary_that_is_all_used():
    assert all(r.tags for r in all_rules())
    assert {t for r in all_rules() for t in r.tags} == set(TAGS)


# -- either/or conditions fire once ----------------------------------------------------------------------------------

_DEFAULTS = {str: "x", int: 0, float: 0.0, bool: False}


def _alternatives(rule):
    return [node for on in rule.when if on.where is not None for node in on.where.nodes() if isinstance(node, Or)]


def _equalities(branch):
    return {c.field.name: c.value for c in branch.comparisons() if c.op == "==" and not isinstance(c.value, Ref)}


def _pairs_conflicting(alternative):
    """For each two branches: do they require one field to equal different literals (so no fact meets both)?"""
    equalities = [_equalities(branch) for branch in alternative.parts]
    return [any(a[f] != b[f] for f in a.keys() & b.keys()) for i, a in enumerate(equalities) for b in equalities[i + 1:]]


def _candidates(declared, values):
    yield _DEFAULTS.get(declared, [])
    for value in values:
        yield value
        if declared is bool:
            yield not value
        elif declared is str:
            yield f"{value}_other"
        else:
            for step in ((1, -1, 0.5, -0.5) if declared is float else (1, -1)):
                yield value + step


def _fact_where_every_branch_holds(on, bound, index):
    """A fact of the pattern's kind meeting every comparison in its condition, every branch of an Or included."""
    comparisons = list(on.where.comparisons()) if on.where is not None else []
    fact = {"id": f"{on.kind}:{index}", "kind": on.kind, "text": "a test fact"}
    for name, declared in fields_of(on.kind).items():
        mine = [c for c in comparisons if c.field.name == name]
        targets = [bound[c.value.alias][c.value.name] if isinstance(c.value, Ref) else c.value for c in mine]
        fact[name] = next(v for v in _candidates(declared, targets)
                          if all(holds(Compare(c.field, c.op, t), {name: v}, {}) for c, t in zip(mine, targets)))
    assert holds(on.where, fact, bound) if on.where is not None else True
    return fact


def _param(pid, day):
    value = load_knowledge_base().parameter(pid, day)
    return value.value if value else None


EITHER_OR = [r for r in all_rules() if _alternatives(r)]


def test_there_are_either_or_rules_of_both_sorts():
    assert {r.id for r in EITHER_OR} >= {"EU-SUP-001", "GB-SUP-001", "CN-SUP-005", "US-TAX-001"}
    assert any(not any(any(_pairs_conflicting(a)) for a in _alternatives(r)) for r in EITHER_OR)


@pytest.mark.parametrize("rule", EITHER_OR, ids=[r.id for r in EITHER_OR])
def test_an_either_or_rule_fires_once_when_every_branch_holds(rule):
    alternatives = _alternatives(rule)
    if any(any(_pairs_conflicting(a)) for a in alternatives):
        assert all(all(_pairs_conflicting(a)) for a in alternatives), "an either/or only partly exclusive: test it"
        pytest.skip("its branches compare one field with different values, so no fact meets two of them")
    bound, facts = {}, []
    for index, on in enumerate(rule.when):
        bound[on.alias] = _fact_where_every_branch_holds(on, bound, index)
        facts.append(bound[on.alias])
    for alternative in alternatives:
        on = next(on for on in rule.when if on.where is not None and alternative in list(on.where.nodes()))
        assert all(holds(branch, bound[on.alias], bound) for branch in alternative.parts)
    start, end = in_force_window(rule)
    day = end or max(start or DAY, DAY)
    eng = InferenceEngine([rule], "test_either_or_every_rule", _param)
    result = eng.run(facts, day)
    assert [f.rule_id for f in result.firings] == [rule.id]
    assert len({f.id for f in result.findings}) == len(result.findings)
