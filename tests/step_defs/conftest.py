"""Step definitions for features/: edits a lawyer can read, applied to an example deal, and checks on the result."""

from __future__ import annotations

import datetime as dt

import pytest
from pytest_bdd import given, parsers, then, when

from tests.conftest import assess_mapping, by_id, example_mapping


@pytest.fixture
def world():
    return {}



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
    by_id(deal["parties"], deal["spv"]["manager"])["entity_type"] = entity_type


@given(parsers.parse('the SPV form is "{form}"'))
def spv_form(world, form):
    world["deal"]["spv"]["form"] = form


@given(parsers.parse('the SPV is tax resident in "{country}"'))
def spv_residence(world, country):
    deal = world["deal"]
    by_id(deal["parties"], deal["spv"]["party"])["tax_residence"] = country


@given(parsers.parse('a treaty rate of {rate:g} applies to royalties from "{payer}" to "{payee}"'))
def treaty_rate(world, rate, payer, payee):
    world["deal"].setdefault("tax", {}).setdefault("treaty_rates", []).append(
        {"payer": payer, "payee": payee, "royalty_rate": rate, "treaty": f"{payer}-{payee} arrangement"})


@given("the licensees gross up for withholding tax")
def gross_up(world):
    world["deal"].setdefault("tax", {})["gross_up"] = True


@given(parsers.parse('transfer "{transfer}" is made by "{method}"'))
def transfer_method(world, transfer, method):
    by_id(world["deal"]["transfers"], transfer)["method"] = method


@given(parsers.parse('transfer "{transfer}" is registered with the "{office}" patent office on "{day}"'))
def transfer_registered(world, transfer, office, day):
    by_id(world["deal"]["transfers"], transfer).setdefault("registrations", []).append({"office": office, "date": day})


@given(parsers.parse('transfer "{transfer}" is made for {price:d} against an appraised value of {appraised:d}'))
def transfer_price(world, transfer, price, appraised):
    item = by_id(world["deal"]["transfers"], transfer)
    item["price"], item["appraised_value"] = price, appraised


@given(parsers.parse('transfer "{transfer}" is removed'))
def transfer_removed(world, transfer):
    world["deal"]["transfers"] = [t for t in world["deal"]["transfers"] if t["id"] != transfer]


@given(parsers.parse('licensee "{party}" is notified of transfer "{transfer}" on "{day}"'))
def licensee_notified(world, party, transfer, day):
    by_id(world["deal"]["transfers"], transfer).setdefault("notices", []).append({"party": party, "date": day})


@given(parsers.parse('licence "{licence}" is granted by "{party}"'))
def licence_granted_by(world, licence, party):
    by_id(world["deal"]["licences"], licence)["licensor"] = party


@given(parsers.parse('the plan was filed with AMAC on "{day}"'))
def amac_filed(world, day):
    filings = world["deal"]["regulation"]["filings"]
    filings[:] = [f for f in filings if f["regulator"] != "AMAC"] + [{"regulator": "AMAC", "kind": "special plan filing", "date": day}]


@given(parsers.parse('no filing was made with "{regulator}"'))
def regulator_not_filed(world, regulator):
    filings = world["deal"]["regulation"]["filings"]
    filings[:] = [f for f in filings if f["regulator"] != regulator]


@given("no filing was made with AMAC")
def amac_not_filed(world):
    filings = world["deal"]["regulation"]["filings"]
    filings[:] = [f for f in filings if f["regulator"] != "AMAC"]


@given(parsers.parse('note class "{note}" is sold to "{investor_type}" investors'))
def note_investors(world, note, investor_type):
    by_id(world["deal"]["notes"], note)["investor_type"] = investor_type


@given(parsers.parse("the plan has {count:d} investors"))
def investor_count(world, count):
    world["deal"]["regulation"]["investor_count"] = count


@given(parsers.parse('the originator "{party}" is a "{entity_type}"'))
def originator_type(world, party, entity_type):
    by_id(world["deal"]["parties"], party)["entity_type"] = entity_type


def _spv_party(deal):
    return by_id(deal["parties"], deal["spv"]["party"])


def _transfer(world, transfer):
    return by_id(world["deal"]["transfers"], transfer)


def _yes(word):
    return {"yes": True, "no": False}[word]


@given(parsers.parse('the SPV is established in "{jurisdiction}"'))
def spv_established(world, jurisdiction):
    deal = world["deal"]
    deal["spv"]["jurisdiction"] = jurisdiction
    _spv_party(deal)["jurisdiction"] = jurisdiction


@given(parsers.parse('the SPV "{covenant}" is "{answer}"'))
def spv_covenant(world, covenant, answer):
    world["deal"]["spv"][covenant] = _yes(answer)


@given(parsers.parse('the SPV has an independent director'))
def spv_independent_director(world):
    _spv_party(world["deal"]).setdefault("directors", []).append({"name": "Independent director", "independent": True})


@given(parsers.parse('"{owner}" owns {share:g} of the SPV'))
def spv_owned_by(world, owner, share):
    _spv_party(world["deal"])["owners"] = [{"owner": owner, "share": share}]


@given(parsers.parse('the SPV manager or trustee is "{party}"'))
def spv_manager(world, party):
    world["deal"]["spv"]["manager"] = party


@given(parsers.parse('the SPV\'s tax classification is "{kind}"'))
def spv_tax_classification(world, kind):
    world["deal"].setdefault("tax", {})["entity_classification"] = kind


@given(parsers.parse("the SPV pays out {ratio:g} of its distributable profit"))
def spv_payout(world, ratio):
    world["deal"].setdefault("tax", {})["distribution_payout_ratio"] = ratio


@given("the SPV's payout ratio is not stated")
def spv_payout_unstated(world):
    world["deal"].setdefault("tax", {}).pop("distribution_payout_ratio", None)


@given(parsers.parse('party "{party}" is established in "{jurisdiction}"'))
def party_established(world, party, jurisdiction):
    by_id(world["deal"]["parties"], party)["jurisdiction"] = jurisdiction


@given(parsers.parse('a party "{party}" with role "{role}" is added'))
def party_added(world, party, role):
    world["deal"]["parties"].append({"id": party, "name": party.replace("-", " ").title(), "roles": [role],
                                     "jurisdiction": "US", "entity_type": "company"})


@given(parsers.parse('party "{party}" is a "{entity_type}"'))
def party_type(world, party, entity_type):
    by_id(world["deal"]["parties"], party)["entity_type"] = entity_type


@given(parsers.parse('"{party}" is named backup servicer'))
def backup_named(world, party):
    world["deal"]["servicing"]["backup_servicer"] = party


@given("no backup servicer is named")
def backup_removed(world):
    world["deal"]["servicing"].pop("backup_servicer", None)


@given(parsers.parse('licence "{licence}" pays into account "{account}"'))
def licence_pays_into(world, licence, account):
    by_id(world["deal"]["licences"], licence)["pays_to"] = account


@given(parsers.parse('licence "{licence}" is recorded with the "{office}" patent office'))
def licence_recorded(world, licence, office):
    by_id(world["deal"]["licences"], licence).setdefault("recorded_with", []).append(office)


@given(parsers.parse('licence "{licence}" is recorded with no patent office'))
def licence_unrecorded(world, licence):
    by_id(world["deal"]["licences"], licence)["recorded_with"] = []


@given(parsers.parse('licence "{licence}" covers only patent "{patent}"'))
def licence_covers(world, licence, patent):
    by_id(world["deal"]["licences"], licence)["patents"] = [patent]


@given(parsers.parse('licensee "{party}" is tax resident in "{country}"'))
def licensee_residence(world, party, country):
    by_id(world["deal"]["parties"], party)["tax_residence"] = country


@given(parsers.parse('licensee "{party}" is notified of transfer "{transfer}" on "{day}" by an instrument with a certified date'))
def licensee_notified_certified(world, party, transfer, day):
    _transfer(world, transfer).setdefault("notices", []).append({"party": party, "date": day, "certified_date": True})


@given(parsers.parse('the notice to "{party}" of transfer "{transfer}" bears no certified date'))
def notice_uncertified(world, party, transfer):
    for notice in _transfer(world, transfer).get("notices", []):
        if notice["party"] == party:
            notice["certified_date"] = False


@given(parsers.parse('transfer "{transfer}" has no perfection filings'))
def transfer_unperfected(world, transfer):
    _transfer(world, transfer)["perfection_filings"] = []


@given(parsers.parse('transfer "{transfer}" is filed in the "{registry}" registry of "{jurisdiction}" on "{day}"'))
def transfer_filed(world, transfer, registry, jurisdiction, day):
    _transfer(world, transfer).setdefault("perfection_filings", []).append(
        {"registry": registry, "jurisdiction": jurisdiction, "date": day})


@given(parsers.parse('transfer "{transfer}" is not registered with any patent office'))
def transfer_unregistered(world, transfer):
    _transfer(world, transfer)["registrations"] = []


@given(parsers.parse('transfer "{transfer}" carries "{recourse}" recourse'))
def transfer_recourse(world, transfer, recourse):
    _transfer(world, transfer)["recourse"] = recourse


@given(parsers.parse('transfer "{transfer}" obliges the seller to repurchase'))
def transfer_repurchase(world, transfer):
    _transfer(world, transfer)["repurchase_obligation"] = True


@given(parsers.parse('transfer "{transfer}" of patent "{patent}" from "{seller}" on "{day}" is added'))
def transfer_added(world, transfer, patent, seller, day):
    deal = world["deal"]
    deal["transfers"].append({"id": transfer, "from": seller, "to": deal["spv"]["party"], "method": "assignment",
                              "patents": [patent], "date": day, "price": 1000000, "appraised_value": 1050000})


@given(parsers.parse('the offering is "{offering}"'))
def offering_kind(world, offering):
    world["deal"]["regulation"]["offering"] = offering


@given(parsers.parse('the notes are also sold to investors in "{jurisdiction}"'))
def investors_in(world, jurisdiction):
    world["deal"]["regulation"].setdefault("investor_jurisdictions", []).append(jurisdiction)


@given("the notes are a single class")
def single_class(world):
    deal = world["deal"]
    deal["notes"] = deal["notes"][:1]
    for wrap in deal.get("credit_enhancement", {}).get("wraps", []):
        wrap["covers"] = [deal["notes"][0]["id"]]
    kept = {deal["notes"][0]["id"]}
    triggers = deal.get("credit_enhancement", {}).get("triggers", [])
    deal.get("credit_enhancement", {})["triggers"] = [  # a covenant of a class no longer issued goes with it
        t for t in triggers if not t.get("applies_to") or set(t["applies_to"]) <= kept]


@given(parsers.parse('note class "{note}" is rated "{rating}"'))
def note_rating(world, note, rating):
    by_id(world["deal"]["notes"], note)["target_rating"] = rating


@given("the notes have no guarantee or insurance")
def no_wraps(world):
    world["deal"].setdefault("credit_enhancement", {})["wraps"] = []


@given(parsers.parse('risk retention of {share:g} is held by "{party}" as "{form}"'))
def retention(world, share, party, form):
    world["deal"]["regulation"]["risk_retention"] = {"holder": party, "share": share, "form": form}


@given("no risk retention is held")
def no_retention(world):
    world["deal"]["regulation"].pop("risk_retention", None)


@given(parsers.parse('"{party}" is the designated reporting entity'))
def reporting_entity(world, party):
    world["deal"]["regulation"]["reporting_entity"] = party


@given(parsers.parse('the vehicle was notified to the Local Finance Bureau on "{day}" {attachment} an asset liquidation plan'))
def lfb_notified(world, day, attachment):
    reg = world["deal"]["regulation"]
    reg["filings"] = [f for f in reg.get("filings", []) if f["regulator"] != "JP_LFB"] + [
        {"regulator": "JP_LFB", "kind": "business commencement notification", "date": day}]
    reg["asset_liquidation_plan"] = attachment == "with"


@given("no notification was made to the Local Finance Bureau")
def lfb_not_notified(world):
    reg = world["deal"]["regulation"]
    reg["filings"] = [f for f in reg.get("filings", []) if f["regulator"] != "JP_LFB"]


@given(parsers.parse('licensee "{party}" was not notified of transfer "{transfer}"'))
def licensee_not_notified(world, party, transfer):
    item = _transfer(world, transfer)
    item["notices"] = [n for n in item.get("notices", []) if n["party"] != party]


@given("the SPV's only director is independent")
def spv_only_independent(world):
    _spv_party(world["deal"])["directors"] = [{"name": "Independent director", "independent": True}]


@given(parsers.parse('licence "{licence}" pays into an account held by "{party}"'))
def licence_pays_to_party(world, licence, party):
    deal = world["deal"]
    account = f"acc-{party}-operating"
    if not any(a["id"] == account for a in deal.setdefault("accounts", [])):
        deal["accounts"].append({"id": account, "holder": party, "kind": "operating"})
    by_id(deal["licences"], licence)["pays_to"] = account


@given("no treaty rate is given")
def no_treaty(world):
    world["deal"].setdefault("tax", {})["treaty_rates"] = []


@given(parsers.parse('a granted "{office}" patent "{patent}" owned by "{owner}" is added'))
def patent_added(world, office, patent, owner):
    world["deal"].setdefault("patents", []).append({
        "id": patent, "office": office, "number": f"{office} {patent}", "title": "Added patent", "owner": owner,
        "status": "granted", "filing_date": "2019-01-15", "grant_date": "2021-06-01", "expiry_date": "2039-01-15"})


@given(parsers.parse('patent "{patent}" expires on "{day}"'))
def patent_expires(world, patent, day):
    by_id(world["deal"]["patents"], patent)["expiry_date"] = day


@given(parsers.parse('note class "{note}" amounts to {amount:d}'))
def note_amount(world, note, amount):
    by_id(world["deal"]["notes"], note)["amount"] = amount


@given(parsers.parse('transfer "{transfer}" assigns the patents "{patents}"'))
def transfer_assigns(world, transfer, patents):
    _transfer(world, transfer)["patents"] = [p.strip() for p in patents.split(",")]


# -- assessing --------------------------------------------------------------------------------------------------

@when("the deal is assessed")
def assessed(world):
    world["assessment"] = assess_mapping(world["deal"])


@when("the deal is assessed with the risk model")
def assessed_with_risk(world):
    from ipsa.engine.risk import RiskOptions

    world["assessment"] = assess_mapping(world["deal"], risk=RiskOptions(paths=2000, seed=0, selection_paths=200))


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


# -- the advisor ------------------------------------------------------------------------------------------------

@when("the advisor reviews the deal")
def advisor_reviews(world):
    from ipsa.engine import pipeline
    from ipsa.engine.loading import validate_mapping
    from tests.conftest import EXAMPLES

    loaded = validate_mapping(world["deal"], str(EXAMPLES / "edited.yaml"), EXAMPLES)
    world["advice"] = pipeline.run(loaded, pipeline.Options(paths=300)).advice


def _proposal(world, ident):
    found = [p for p in world["advice"].plan if p.id == ident]
    assert found, f"no proposal {ident!r}; the plan has {[p.id for p in world['advice'].plan]}"
    return found[0]


@then(parsers.parse('the form "{form}" is listed as unavailable'))
def form_unavailable(world, form):
    option = next(v for v in world["advice"].vehicles if v.form == form)
    assert not option.available and option.rank is None and option.reason


@then(parsers.parse('the best-ranked form is "{form}"'))
def best_form(world, form):
    assert next(v for v in world["advice"].vehicles if v.rank == 1).form == form


@then(parsers.parse('the plan proposes "{ident}"'))
def plan_proposes(world, ident):
    _proposal(world, ident)


@then(parsers.parse('the plan does not propose "{ident}"'))
def plan_does_not_propose(world, ident):
    assert all(p.id != ident for p in world["advice"].plan)


@then(parsers.parse('the proposal "{ident}" cures "{rule_id}"'))
def proposal_cures(world, ident, rule_id):
    assert any(item.startswith(rule_id + " ") for item in _proposal(world, ident).diff.cured)


@then(parsers.parse('the proposal "{ident}" creates "{rule_id}"'))
def proposal_creates(world, ident, rule_id):
    assert any(item.startswith(rule_id + " ") for item in _proposal(world, ident).diff.created)


@then(parsers.parse('the proposal "{ident}" creates nothing'))
def proposal_creates_nothing(world, ident):
    assert _proposal(world, ident).diff.created == []


@then(parsers.parse('the first proposal is "{ident}"'))
def first_proposal(world, ident):
    assert world["advice"].plan[0].id == ident


@then("the insurance proposal lowers the senior default probability")
def insurance_lowers(world):
    diff = world["advice"].insurance.diff
    assert diff.after.senior_pd < diff.before.senior_pd


# Each jurisdiction's own steps live in steps_<code>.py beside this file; importing them here makes them visible to
# every feature.
from tests.step_defs.steps_cn import *  # noqa: E402,F401,F403
from tests.step_defs.steps_eu_gb import *  # noqa: E402,F401,F403
from tests.step_defs.steps_jp import *  # noqa: E402,F401,F403
from tests.step_defs.steps_risk import *  # noqa: E402,F401,F403
from tests.step_defs.steps_us import *  # noqa: E402,F401,F403
from tests.step_defs.steps_vn import *  # noqa: E402,F401,F403
