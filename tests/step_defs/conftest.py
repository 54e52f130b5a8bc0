"""Step definitions for features/: edits a lawyer can read, applied to an example deal, and checks on the result."""

from __future__ import annotations

import datetime as dt

import pytest
from pytest_bdd import given, parsers, then, when

from tests.conftest import assess_mapping, example_mapping


@pytest.fixture
def world():
    return {}


def _by_id(items, ident):
    for item in items:
        if item["id"] == ident:
            return item
    raise AssertionError(f"no item with id {ident!r}")


def _findings(world, rule_id, about=None):
    return [f for f in world["assessment"].findings if f.rule_id == rule_id and (about is None or f.about == about)]


def _one(world, rule_id, about):
    found = _findings(world, rule_id, about)
    assert len(found) == 1, f"expected one finding of {rule_id} about {about}, got {[(f.status, f.about) for f in found]}"
    return found[0]


# -- the deal ---------------------------------------------------------------------------------------------------

@given(parsers.parse('the example deal "{name}"'))
def given_example(world, name):
    world["deal"] = example_mapping(name)


@given(parsers.parse('the manager of the SPV is a "{entity_type}"'))
def manager_type(world, entity_type):
    deal = world["deal"]
    _by_id(deal["parties"], deal["spv"]["manager"])["entity_type"] = entity_type


@given(parsers.parse('the SPV form is "{form}"'))
def spv_form(world, form):
    world["deal"]["spv"]["form"] = form


@given(parsers.parse('the SPV is tax resident in "{country}"'))
def spv_residence(world, country):
    deal = world["deal"]
    _by_id(deal["parties"], deal["spv"]["party"])["tax_residence"] = country


@given(parsers.parse('a treaty rate of {rate:g} applies to royalties from "{payer}" to "{payee}"'))
def treaty_rate(world, rate, payer, payee):
    world["deal"].setdefault("tax", {}).setdefault("treaty_rates", []).append(
        {"payer": payer, "payee": payee, "royalty_rate": rate, "treaty": f"{payer}-{payee} arrangement"})


@given("the licensees gross up for withholding tax")
def gross_up(world):
    world["deal"].setdefault("tax", {})["gross_up"] = True


@given(parsers.parse('transfer "{transfer}" is made by "{method}"'))
def transfer_method(world, transfer, method):
    _by_id(world["deal"]["transfers"], transfer)["method"] = method


@given(parsers.parse('transfer "{transfer}" is registered with the "{office}" patent office on "{day}"'))
def transfer_registered(world, transfer, office, day):
    _by_id(world["deal"]["transfers"], transfer).setdefault("registrations", []).append({"office": office, "date": day})


@given(parsers.parse('transfer "{transfer}" is made for {price:d} against an appraised value of {appraised:d}'))
def transfer_price(world, transfer, price, appraised):
    item = _by_id(world["deal"]["transfers"], transfer)
    item["price"], item["appraised_value"] = price, appraised


@given(parsers.parse('transfer "{transfer}" is removed'))
def transfer_removed(world, transfer):
    world["deal"]["transfers"] = [t for t in world["deal"]["transfers"] if t["id"] != transfer]


@given(parsers.parse('licensee "{party}" is notified of transfer "{transfer}" on "{day}"'))
def licensee_notified(world, party, transfer, day):
    _by_id(world["deal"]["transfers"], transfer).setdefault("notices", []).append({"party": party, "date": day})


@given(parsers.parse('licence "{licence}" is granted by "{party}"'))
def licence_granted_by(world, licence, party):
    _by_id(world["deal"]["licences"], licence)["licensor"] = party


@given(parsers.parse('the plan was filed with AMAC on "{day}"'))
def amac_filed(world, day):
    filings = world["deal"]["regulation"]["filings"]
    filings[:] = [f for f in filings if f["regulator"] != "AMAC"] + [{"regulator": "AMAC", "kind": "special plan filing", "date": day}]


@given("no filing was made with AMAC")
def amac_not_filed(world):
    filings = world["deal"]["regulation"]["filings"]
    filings[:] = [f for f in filings if f["regulator"] != "AMAC"]


@given(parsers.parse('note class "{note}" is sold to "{investor_type}" investors'))
def note_investors(world, note, investor_type):
    _by_id(world["deal"]["notes"], note)["investor_type"] = investor_type


@given(parsers.parse("the plan has {count:d} investors"))
def investor_count(world, count):
    world["deal"]["regulation"]["investor_count"] = count


@given(parsers.parse('the originator "{party}" is a "{entity_type}"'))
def originator_type(world, party, entity_type):
    _by_id(world["deal"]["parties"], party)["entity_type"] = entity_type


# -- assessing --------------------------------------------------------------------------------------------------

@when("the deal is assessed")
def assessed(world):
    world["assessment"] = assess_mapping(world["deal"])


@when(parsers.parse('the deal is assessed as of "{day}"'))
def assessed_as_of(world, day):
    world["assessment"] = assess_mapping(world["deal"], dt.date.fromisoformat(day))


# -- what the law says about it ---------------------------------------------------------------------------------

@then(parsers.parse('rule "{rule_id}" finds "{status}" about "{about}"'))
def finds(world, rule_id, status, about):
    assert _one(world, rule_id, about).status == status


@then(parsers.parse('rule "{rule_id}" makes no finding'))
def no_finding(world, rule_id):
    assert _findings(world, rule_id) == []


@then(parsers.parse('rule "{rule_id}" makes no finding about "{about}"'))
def no_finding_about(world, rule_id, about):
    assert _findings(world, rule_id, about) == []


@then(parsers.parse('a conclusion "{kind}" is drawn about "{about}"'))
def conclusion_drawn(world, kind, about):
    steps = [s for f in world["assessment"].findings for s in f.because]
    assert any(s.kind == "conclusion" and s.id.startswith(f"{kind}:{about}:") for s in steps)


@then(parsers.parse('no conclusion "{kind}" is drawn about "{about}"'))
def conclusion_not_drawn(world, kind, about):
    produced = {p for t in world["assessment"].trace for p in t.produced}
    assert not any(p.startswith(f"{kind}:{about}:") for p in produced)


@then(parsers.parse('the reasoning of rule "{rule_id}" about "{about}" runs through "{first}" then "{second}"'))
def reasoning(world, rule_id, about, first, second):
    chain = [s.rule_id for s in _one(world, rule_id, about).because if s.kind == "conclusion"]
    assert chain == [first, second]


@then(parsers.parse('the finding of rule "{rule_id}" about "{about}" cites "{instrument}" article "{article}"'))
def cites_article(world, rule_id, about, instrument, article):
    cited = {(c.instrument, c.article) for c in _one(world, rule_id, about).citations}
    assert (instrument, article) in cited


@then(parsers.parse('the finding of rule "{rule_id}" about "{about}" cites "{instrument}"'))
def cites(world, rule_id, about, instrument):
    assert instrument in {c.instrument for c in _one(world, rule_id, about).citations}


@then(parsers.parse('the finding of rule "{rule_id}" about "{about}" is displaced by "{by_rule}"'))
def displaced(world, rule_id, about, by_rule):
    assert _findings(world, rule_id, about) == []
    assert any(d.rule_id == rule_id and d.by_rule == by_rule and f":{about}:" in d.finding_id
               for d in world["assessment"].displaced)


@then(parsers.parse('the figure "{name}" of rule "{rule_id}" about "{about}" is about {value:g}'))
def figure(world, name, rule_id, about, value):
    assert _one(world, rule_id, about).figures[name] == pytest.approx(value, abs=5e-4)
