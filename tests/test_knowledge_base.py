"""The rule base rests only on law the knowledge base holds; dated law has no gaps or overlaps."""

from __future__ import annotations

import datetime as dt
import typing

import pytest

from ipsa.engine.model import VehicleFormId
from ipsa.engine.scenarios import scenario_counts
from ipsa.knowledge_base import load
from ipsa.rules import all_rules

KB = load()


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.id)
def test_every_citation_resolves(rule):
    for ref in rule.citations:
        KB.resolve(ref)  # raises on an unknown instrument or article
    assert rule.citations, f"{rule.id} cites nothing"


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.id)
def test_every_rule_has_scenarios_where_it_holds_and_fails(rule):
    assert scenario_counts().get(rule.id, 0) >= 2, f"{rule.id} needs at least one holding and one failing scenario"


def test_rule_ids_follow_the_convention_and_are_unique():
    ids = [r.id for r in all_rules()]
    assert len(ids) == len(set(ids))
    for rule in all_rules():
        assert rule.id.startswith(rule.jurisdiction + "-")


def test_a_verified_article_names_where_it_was_read_and_quotes_its_words():
    """Verified means read at an official or authoritative source: the address, the version or date, the words."""
    missing = [f"{i.id} Art {number}" for i in KB.instruments.values() for number, a in i.articles.items() if a.lacks_evidence()]
    assert missing == []


def test_every_unverified_citation_says_why():
    """An article a rule cites unverified, or an instrument it cites as a whole, carries the reason."""
    silent = set()
    for rule in all_rules():
        for ref in rule.citations:
            instrument = KB.instruments[ref.instrument]
            article = instrument.articles.get(ref.article) if ref.article else None
            if article is not None and not article.verified and not article.unverified_reason:
                silent.add(f"{ref.instrument} Art {ref.article}")
            if ref.article is None and not instrument.unverified_reason:
                silent.add(ref.instrument)
    assert sorted(silent) == []


def test_an_instrument_that_ceased_to_apply_names_its_successor():
    for instrument in KB.instruments.values():
        if instrument.effective_to is None:
            assert instrument.successor is None, instrument.id
            continue
        assert instrument.status in ("superseded", "repealed"), instrument.id
        if instrument.status == "superseded":
            successor = KB.instruments[instrument.successor]
            assert successor.effective_from == instrument.effective_to + dt.timedelta(days=1), instrument.id


def test_dated_parameters_cover_every_day_from_first_value_without_gaps():
    sweep = [dt.date(2000, 1, 1) + dt.timedelta(days=d) for d in range(0, 365 * 30, 7)]
    for parameter in KB.parameters.values():
        start = parameter.values[0].from_
        for day in sweep:
            value = parameter.value_on(day)
            if day < start:
                assert value is None
            elif parameter.values[-1].until is None:
                assert value is not None, f"{parameter.id} has a gap on {day}"


def test_vat_rate_reference_changes_when_the_vat_law_takes_effect():
    assert KB.parameter("cn.vat.intangibles_rate", dt.date(2025, 12, 31)).reference.instrument == "CN-CAISHUI-2016-36"
    assert KB.parameter("cn.vat.intangibles_rate", dt.date(2026, 1, 1)).reference.instrument == "CN-VAT-LAW"


@pytest.mark.parametrize("year", range(2000, 2031, 2))
def test_a_rule_applies_only_while_its_dated_parameters_have_values(year):
    """Before the law sets a rate or deadline, the rule that applies it is not in force; assessing still works."""
    from ipsa.engine.assess import engine
    from tests.conftest import assess_mapping, example_mapping

    day = dt.date(year, 6, 30)
    in_force = {r.id for r in engine().rules_in_force(day)}
    for rule in all_rules():
        if rule.id in in_force:
            assert all(KB.parameter(pid, day) is not None for pid in rule.parameters), rule.id
    fired = {f.rule_id for f in assess_mapping(example_mapping("cn_licence_special_plan"), day).findings}
    assert fired <= in_force
    if day < dt.date(2007, 6, 1):
        assert "CN-BR-008" not in in_force  # its clawback window starts with the Bankruptcy Law of 2007-06-01


def test_vehicle_forms_in_the_schema_match_the_knowledge_base():
    assert set(typing.get_args(VehicleFormId)) == set(KB.vehicles)


def test_unavailable_forms_say_why():
    for vehicle in KB.vehicles.values():
        assert vehicle.available or vehicle.reason


SWEEP = [dt.date(2000, 1, 1) + dt.timedelta(days=d) for d in range(0, 365 * 40, 5)]


def test_consecutive_dated_values_leave_no_gap_and_no_overlap():
    for parameter in KB.parameters.values():
        for earlier, later in zip(parameter.values, parameter.values[1:]):
            if earlier.until is not None:
                assert later.from_ == earlier.until + dt.timedelta(days=1), f"{parameter.id}: gap or overlap at {later.from_}"
    for earlier, later in (("CN-CAISHUI-2016-36", "CN-VAT-LAW"), ("UK-SECR-ONSHORED", "UK-SECR-2024")):
        ends, starts = KB.instruments[earlier].effective_to, KB.instruments[later].effective_from
        assert starts == ends + dt.timedelta(days=1), f"{earlier} -> {later}"


# Rules that state the same requirement under successive laws: on every day from the first one's start exactly
# one of each pair applies (no gap, no overlap).
ERA_PAIRS = [
    ("CN-TAX-004", "CN-TAX-002"), ("CN-TAX-007", "CN-TAX-006"),
    ("GB-SUP-005", "GB-SUP-001"), ("GB-SUP-006", "GB-SUP-002"), ("GB-SUP-007", "GB-SUP-003"), ("GB-SUP-008", "GB-SUP-004"),
    ("GB-SUP-010", "GB-SUP-009"), ("GB-SPV-002", "GB-SPV-001"),
    ("VN-BR-015", "VN-BR-003"), ("VN-BR-016", "VN-BR-006"), ("VN-BR-017", "VN-BR-007"), ("VN-BR-018", "VN-BR-008"),
    ("VN-BR-019", "VN-BR-010"), ("VN-BR-020", "VN-BR-011"), ("VN-BR-021", "VN-BR-012"), ("VN-SPV-004", "VN-SPV-002"),
    ("VN-SPV-005", "VN-SPV-003"), ("VN-SUP-004", "VN-SUP-001"), ("VN-SUP-005", "VN-SUP-003"),
]


@pytest.mark.parametrize("earlier,later", ERA_PAIRS)
def test_successive_laws_hand_over_without_gap_or_overlap(earlier, later):
    from ipsa.rules import in_force_window

    rules = {r.id: r for r in all_rules()}
    start, end = in_force_window(rules[earlier])
    next_start, _ = in_force_window(rules[later])
    assert end is not None and next_start == end + dt.timedelta(days=1)
    for day in SWEEP:
        applying = [rid for rid in (earlier, later) if _applies(rules[rid], day)]
        if day >= start:
            assert len(applying) == 1, f"{day}: {applying}"
        else:
            assert applying == []


def _applies(rule, day):
    from ipsa.rules import in_force_window

    start, end = in_force_window(rule)
    return (start is None or start <= day) and (end is None or day <= end)


def test_the_engine_applies_each_rule_exactly_within_its_window():
    """The rule book's stated window and the engine's choice of rules agree on every swept day."""
    from ipsa.engine.assess import engine

    for day in SWEEP[::6]:
        in_force = {r.id for r in engine().rules_in_force(day)}
        for rule in all_rules():
            assert (rule.id in in_force) == _applies(rule, day), f"{rule.id} on {day}"


def test_every_instrument_a_rule_cites_is_in_force_whenever_the_rule_applies():
    from ipsa.engine.assess import engine

    for day in SWEEP[::10]:
        for rule in engine().rules_in_force(day):
            for ref in rule.citations:
                assert KB.instruments[ref.instrument].in_force_on(day), f"{rule.id} cites {ref.instrument} on {day}"


def test_every_knowledge_base_file_is_read_by_the_fast_parse_as_ruamel_reads_it():
    """The knowledge base is read on every run: libyaml reads each file (a tenth of ruamel's time), and every item
    validates to what ruamel's reading gives (dates arrive as text and are read by the models)."""
    from importlib import resources

    from ruamel.yaml import YAML

    import ipsa.knowledge_base as knowledge_base
    from ipsa.engine.plainyaml import plain_yaml

    root = resources.files("ipsa.knowledge_base")
    files = [entry for folder in root.iterdir() if folder.is_dir() and not folder.name.startswith("_")
             for entry in folder.iterdir() if entry.name.endswith(".yaml")]
    assert len(files) >= 12
    for entry in files:
        model = knowledge_base.FILES[entry.name]
        fast = plain_yaml(entry.read_bytes().decode("utf-8"), list)
        assert fast is not None, entry
        ruamel = YAML(typ="safe").load(entry.read_bytes())
        assert [model.model_validate(item) for item in fast] == [model.model_validate(item) for item in ruamel], entry
