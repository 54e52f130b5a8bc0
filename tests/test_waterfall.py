"""The priority of payments as the documents give it: named steps in order, fees with caps, a residual class,
class-level covenants with cure periods, floating coupons, overcollateralisation, the cash-flow log (sources equal uses)
and the history replay that reproduces a covenant breach computed by hand."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import subprocess
import sys

import numpy as np
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from ipsa.engine.cli import app
from ipsa.engine.graph import DealGraph
from ipsa.engine.loading import DealInputError, validate_mapping
from ipsa.engine.risk import RiskOptions, analyse, pool_for, replay
from ipsa.engine.risk import defaults as D
from ipsa.engine.risk.simulate import Block
from ipsa.engine.risk.waterfall import CashFlowLog, run
from ipsa.reports.cashflows import covenant_breaches, to_csv, to_xlsx
from tests.conftest import EXAMPLES, example_mapping

AS_OF = dt.date(2026, 1, 1)


def ipsa(*args):
    return subprocess.run([sys.executable, "-m", "ipsa.engine.cli", *map(str, args)], capture_output=True, text=True)
QUARTERS = 8


def small_deal(notes: list[dict], **extra) -> dict:
    """One licensee paying a fixed 1,000,000 a quarter for two years, two notes' worth of structure given by the
    test; the law is irrelevant here, the cash is the point."""
    end = dt.date(2026 + QUARTERS // 4, 1, 1)
    mapping = {
        "schema_version": 1,
        "deal": {"name": "Waterfall test", "as_of": AS_OF.isoformat(), "closing_date": "2025-12-31",
                 "governing_law": "US", "currency": "USD", "client": "c", "counsel": "k"},
        "parties": [
            {"id": "orig", "name": "Originator", "roles": ["originator", "licensor", "servicer"], "jurisdiction": "US"},
            {"id": "spv", "name": "SPV", "roles": ["spv"], "jurisdiction": "US", "entity_type": "llc"},
            {"id": "lee", "name": "Licensee", "roles": ["licensee"], "jurisdiction": "US", "default_probability": 0.0},
            {"id": "trustee", "name": "Trustee", "roles": ["trustee"], "jurisdiction": "US"},
        ],
        "patents": [{"id": "p", "office": "US", "number": "US 1", "title": "t", "owner": "orig", "status": "granted",
                     "filing_date": "2020-01-01", "grant_date": "2022-01-01", "expiry_date": "2040-01-01",
                     "technology": "T", "family": "F"}],
        "licences": [{"id": "lic", "licensor": "orig", "licensee": "lee", "patents": ["p"], "territory": ["US"],
                      "start": "2025-01-01", "end": end.isoformat(),
                      "royalty": {"base": "fixed", "fixed_amount": 1_000_000, "frequency": "quarterly"}, "pays_to": "acc"}],
        "transfers": [{"id": "t", "from": "orig", "to": "spv", "method": "sale", "receivables": ["lic"], "date": "2025-12-31",
                       "perfection_filings": [{"registry": "ucc", "jurisdiction": "US", "date": "2025-12-31"}]}],
        "spv": {"party": "spv", "form": "us_delaware_llc", "jurisdiction": "US-DE"},
        "notes": copy.deepcopy(notes),  # callers edit their copy, never the shared TWO_CLASSES
        "accounts": [{"id": "acc", "holder": "spv", "kind": "collection"}],
        "regulation": {"offering": "rule_144a"},
    }
    for key, value in extra.items():
        mapping[key] = value
    return mapping


def note(id_: str, amount: float, coupon: float, seniority: int, **extra) -> dict:
    return {"id": id_, "amount": amount, "coupon": coupon, "seniority": seniority,
            "legal_final": dt.date(2026 + QUARTERS // 4, 1, 1).isoformat(), **extra}


def pool_of(mapping: dict):
    deal = validate_mapping(mapping, "test.yaml").deal
    return pool_for(DealGraph(deal), AS_OF, RiskOptions())


def log_of(pool, collections) -> tuple[CashFlowLog, object]:
    log = CashFlowLog(pool.horizon)
    collections = np.asarray(collections, dtype=float)[None, :]
    outcome = run(pool, Block(collections, None, np.full((1, len(pool.wraps)), pool.horizon, dtype=np.int64)), log=log)
    return log, outcome


TWO_CLASSES = [note("A", 4_000_000, 0.08, 1), note("B", 1_000_000, 0.12, 2)]


def test_sources_equal_uses_in_every_period_and_the_totals_add_up():
    mapping = small_deal(TWO_CLASSES, fees=[
        {"id": "trustee-fee", "payee": "trustee", "kind": "trustee", "annual_amount": 40_000, "cap_per_year": 30_000},
        {"id": "servicing", "payee": "orig", "kind": "servicer", "annual_rate": 0.01}],
        credit_enhancement={"reserve": {"target_amount": 200_000, "funded_at_close": 100_000}})
    pool = pool_of(mapping)
    collections = [1_000_000, 300_000, 900_000, 0, 1_200_000, 1_000_000, 800_000, 1_000_000]
    log, outcome = log_of(pool, collections)
    assert np.allclose(log.total("source"), log.total("use"), atol=1e-6)
    values = log.values
    assert np.allclose(values["collections"], collections)
    for c, class_id in enumerate(pool.notes.ids):
        paid = values[f"interest {class_id}"].sum() + values[f"principal {class_id}"].sum()
        assert paid == pytest.approx(outcome.distributions[0, c])
    # Every class is repaid in full from these collections; its balance column falls to zero.
    assert values["balance A"][-1] == 0 and values["balance B"][-1] == 0
    assert values["principal A"].sum() == pytest.approx(4_000_000)
    # The reserve's movements reconcile with its balance.
    moved = values["reserve top-up"] + values["cash trapped in the reserve"] - values["reserve draws"]
    assert values["reserve at end"][-1] == pytest.approx(100_000 + moved.sum())


def test_a_fee_above_its_cap_is_paid_after_the_notes():
    mapping = small_deal(TWO_CLASSES, fees=[
        {"id": "trustee-fee", "payee": "trustee", "kind": "trustee", "annual_amount": 40_000, "cap_per_year": 30_000}])
    pool = pool_of(mapping)
    log, _ = log_of(pool, [1_000_000] * QUARTERS)
    senior, subordinated = log.values["fee trustee-fee"], log.values["fee trustee-fee (subordinated)"]
    # 10,000 a quarter is due; the cap of 30,000 a year is reached after three quarters; the fourth quarter's 10,000
    # is paid at the subordinated step, after the notes.
    assert list(senior[:4]) == pytest.approx([10_000, 10_000, 10_000, 0])
    assert list(subordinated[:4]) == pytest.approx([0, 0, 0, 10_000])
    assert senior[4] == pytest.approx(10_000)  # a new year, a new cap


def test_a_residual_class_takes_what_is_left_and_cannot_default():
    mapping = small_deal([note("A", 4_000_000, 0.08, 1), note("equity", 1_000_000, 0.0, 2, residual=True)])
    pool = pool_of(mapping)
    log, outcome = log_of(pool, [1_000_000] * QUARTERS)
    assert "interest equity" not in log.values and "principal equity" not in log.values
    residual = log.values["residual to equity"]
    assert residual.sum() == pytest.approx(8_000_000 - 4_000_000 - log.values["interest A"].sum())
    assert outcome.loss[0, 1] == 0 and outcome.principal_loss[0, 1] == 0
    # With too little cash to return its investment, its shortfall is a loss of the investment, not a default.
    _, poor = log_of(pool, [600_000] * QUARTERS)
    assert poor.loss[0, 1] == 0
    assert poor.principal_loss[0, 1] == pytest.approx(1_000_000 - poor.distributions[0, 1])


def test_the_chinese_subordinated_class_no_longer_defaults_on_every_path():
    """Issue #12: without a residual class excess cash left every period and the CN subordinated class defaulted on
    100% of paths; as the residual class it is owed nothing and receives the excess."""
    mapping = example_mapping("cn_licence_special_plan")
    deal = validate_mapping(mapping, "cn.yaml", EXAMPLES).deal
    report = analyse(DealGraph(deal), deal.deal.as_of, RiskOptions(paths=1000, stresses=False, select=False))
    sub = next(c for c in report.classes if c.id == "subordinated")
    assert sub.residual and sub.pd == 0
    assert sub.distributions_multiple > 1.5  # the excess royalties over six years, several times its 10m
    assert report.cash_flows.check < 1e-3


def test_a_class_level_interest_deferral_defers_and_cures():
    mapping = small_deal(TWO_CLASSES, credit_enhancement={"triggers": [
        {"test": "dscr", "threshold": 1.2, "periods": 1, "consequence": "interest_deferral", "applies_to": ["B"],
         "cure_periods": 2}]})
    pool = pool_of(mapping)
    collections = [1_000_000, 500_000, 1_000_000, 1_000_000, 1_000_000, 1_000_000, 1_000_000, 1_000_000]
    log, _ = log_of(pool, collections)
    coverage = log.values["coverage ratio"]
    breached = log.values["covenant 1 (dscr < 1.2: interest deferral) breached"]
    # Quarter 1: 1,000,000 over A's interest 80,000, B's 30,000 and scheduled principal 500,000 + 125,000 = 1.36x.
    assert coverage[0] == pytest.approx(1_000_000 / 735_000)
    # Breached in the first period below 1.2 (quarter 2), cured only after two periods at or above it.
    expected, state, passing = [], False, 0
    for value in coverage:
        passing = passing + 1 if value >= 1.2 else 0
        state = (state or value < 1.2) and not passing >= 2
        expected.append(float(state))
    assert list(breached) == expected
    assert expected[:4] == [0, 1, 1, 0]
    interest_b = log.values["interest B"]
    # B's interest is deferred while breached and accrues; paid with the arrears once cured.
    assert interest_b[1] == 0 and interest_b[2] == 0
    balance_b = log.values["balance B"]
    deferred = (balance_b[0] + balance_b[1]) * 0.12 / 4  # interest of quarters 2 and 3 on the balance then outstanding
    assert log.values["interest arrears B"][2] == pytest.approx(deferred)
    assert interest_b[3] == pytest.approx(deferred + balance_b[2] * 0.12 / 4)


def test_the_waterfall_runs_in_the_documents_order():
    """Interest of B after principal of A (an interleaved waterfall) starves B on a thin period; ipsa's default order
    (all interest first) does not."""
    interleaved = small_deal(TWO_CLASSES, waterfall=[
        {"pay": "interest", "classes": ["A"]}, {"pay": "principal", "classes": ["A"]},
        {"pay": "interest", "classes": ["B"]}, {"pay": "principal", "classes": ["B"]}, {"pay": "residual"}])
    thin = [550_000] + [1_000_000] * (QUARTERS - 1)
    default_log, _ = log_of(pool_of(small_deal(TWO_CLASSES)), thin)
    ordered_log, _ = log_of(pool_of(interleaved), thin)
    assert default_log.values["interest B"][0] == pytest.approx(30_000)
    # 550,000 - A's interest 80,000 - A's scheduled principal 500,000 leaves nothing for B's interest.
    assert ordered_log.values["interest B"][0] == 0
    assert ordered_log.values["interest arrears B"][0] == pytest.approx(30_000)


def test_a_floating_class_pays_its_curve_plus_margin_under_its_day_count():
    mapping = small_deal([note("A", 4_000_000, 0.02, 1, floating_over="sofr", day_count="act/360")],
                         rate_curves=[{"id": "sofr", "name": "SOFR", "points": [
                             {"start": "2025-01-01", "rate": 0.04}, {"start": "2026-07-01", "rate": 0.03}]}])
    pool = pool_of(mapping)
    log, _ = log_of(pool, [1_000_000] * QUARTERS)
    starts = [AS_OF] + pool.period_ends[:-1]
    balance = 4_000_000.0
    for t in range(4):
        days = (pool.period_ends[t] - starts[t]).days
        rate = (0.04 if starts[t] < dt.date(2026, 7, 1) else 0.03) + 0.02
        assert log.values["interest A"][t] == pytest.approx(balance * rate * days / 360)
        balance -= log.values["principal A"][t]


def test_overcollateralisation_below_the_ratio_turbo_pays_principal():
    ratio = small_deal(TWO_CLASSES, credit_enhancement={"overcollateralisation": 2.0})
    plain_log, _ = log_of(pool_of(small_deal(TWO_CLASSES)), [1_000_000] * QUARTERS)
    pool = pool_of(ratio)
    oc_log, _ = log_of(pool, [1_000_000] * QUARTERS)
    assert oc_log.values["of which overcollateralisation principal"][0] > 0
    assert oc_log.values["balance A"][0] < plain_log.values["balance A"][0]
    # After the first period the debt is back within the ratio (PV of the rest over debt >= 2) where cash allowed.
    debt = oc_log.values["balance A"][0] + oc_log.values["balance B"][0]
    assert pool.oc_remaining_pv[0] / debt >= 2.0 - 1e-9 or oc_log.values["released to the originator"][0] == 0


def test_the_history_replay_reproduces_a_covenant_breach_computed_by_hand():
    """One class of 4,000,000 at 8% amortising 500,000 a quarter; a DSCR covenant of 1.3 breached after two periods
    below it triggers rapid amortisation. Quarter 1: 1,000,000 / (80,000 + 500,000) = 1.72. Quarter 2: 600,000 /
    (70,000 + 500,000) = 1.05, below. Quarter 3: 700,000 / (60,000 + 500,000) = 1.25, below for the second period
    running: breached in the period ending 2026-09-30 and every later cash goes to principal."""
    mapping = small_deal([note("A", 4_000_000, 0.08, 1, legal_final="2027-12-31")],
                         credit_enhancement={"triggers": [{"test": "dscr", "threshold": 1.3, "periods": 2,
                                                           "consequence": "rapid_amortisation"}]})
    mapping["licences"][0]["history"] = [{"period_end": d, "amount": a} for d, a in (
        ("2026-03-31", 1_000_000), ("2026-06-30", 600_000), ("2026-09-30", 700_000), ("2026-12-31", 1_000_000))]
    deal = validate_mapping(mapping, "test.yaml").deal
    flows = replay(DealGraph(deal), RiskOptions())
    column = flows.columns.index("coverage ratio")
    coverage = [row[column] for row in flows.rows]
    assert coverage[:3] == pytest.approx([1_000_000 / 580_000, 600_000 / 570_000, 700_000 / 560_000])
    assert covenant_breaches(flows) == [("1 (dscr < 1.3: rapid amortisation)", "2026-09-30")]
    principal = flows.columns.index("principal A")
    interest = flows.columns.index("interest A")
    # Rapid amortisation: in quarter 3 all 700,000 less interest goes to principal, none is released.
    assert flows.rows[2][principal] == pytest.approx(700_000 - flows.rows[2][interest])
    assert flows.rows[2][flows.columns.index("released to the originator")] == 0
    assert flows.check < 1e-6


def test_replay_without_history_is_refused_with_exit_2(tmp_path):
    source = EXAMPLES / "us_royalty_llc.yaml"
    result = ipsa("replay", source)
    assert result.returncode == 2
    assert "licences[].history" in result.stderr and "Traceback" not in result.stderr


def test_the_cash_flow_log_exports_as_csv_and_xlsx_with_the_same_figures(tmp_path):
    mapping = small_deal(TWO_CLASSES)
    pool = pool_of(mapping)
    from ipsa.engine.risk import cash_flows

    flows = cash_flows(pool, RiskOptions(paths=200), collections_mean=np.full(pool.horizon, 1_000_000.0))
    rows = list(csv.reader(io.StringIO(to_csv(flows))))
    assert rows[0][:3] == ["period", "period end", "collections"] and rows[1][2] == "source"
    book = load_workbook(io.BytesIO(to_xlsx(flows, "USD")))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    k = header.index("interest A")
    for t in range(pool.horizon):
        assert float(rows[t + 2][k]) == pytest.approx(sheet.cell(row=t + 3, column=k + 1).value)
        assert sheet.cell(row=t + 3, column=k + 1).value == pytest.approx(flows.rows[t][k - 2])


def test_cashflows_command_path_k_is_path_k_of_the_run(tmp_path):
    """The log of a chosen path uses that path's own collections: the same seed and paths give the same numbers."""
    source = EXAMPLES / "us_royalty_llc.yaml"
    out = tmp_path / "p17.json"
    result = CliRunner().invoke(app, ["cashflows", str(source), "--path", "17", "--paths", "500", "-o", str(out)])
    assert result.exit_code == 0, result.output
    flows = json.loads(out.read_text())
    from ipsa.engine.loading import load_deal
    from ipsa.engine.risk.simulate import simulate

    loaded = load_deal(source)
    pool = pool_for(DealGraph(loaded.deal), loaded.deal.deal.as_of, RiskOptions(paths=500))
    block = next(iter(simulate(pool, 500, 0)))
    k = flows["columns"].index("collections")
    assert [row[k] for row in flows["rows"]] == pytest.approx(list(block.collections[17]))
    again = CliRunner().invoke(app, ["cashflows", str(source), "--path", "17", "--paths", "500", "-f", "json"])
    assert json.loads(again.output)["rows"] == flows["rows"]
    bad = ipsa("cashflows", source, "--path", "900", "--paths", "500")
    assert bad.returncode == 2 and "not one of the run's" in bad.stderr
    onto_deal = ipsa("cashflows", source, "-o", source)
    assert onto_deal.returncode == 2 and "overwrite the deal file" in onto_deal.stderr


@pytest.mark.parametrize("change, field, words", [
    (lambda m: m["notes"].__setitem__(0, {**m["notes"][0], "residual": True}), "notes[0].seniority",
     "residual class must be the only class of the lowest seniority"),
    (lambda m: m["notes"][0].__setitem__("floating_over", "sonia"), "notes[0].floating_over",
     "is not the id of any rate curve"),
    (lambda m: m.__setitem__("credit_enhancement", {"triggers": [
        {"test": "dscr", "threshold": 1.2, "consequence": "interest_deferral"}]}),
     "credit_enhancement.triggers[0].applies_to", "must name the classes it defers"),
    (lambda m: m.__setitem__("waterfall", [{"pay": "interest"}, {"pay": "principal", "classes": ["A"]}]),
     "waterfall", "no principal step pays B"),
    (lambda m: m.__setitem__("waterfall", [{"pay": "reserve", "classes": ["A"]}]), "waterfall[0].classes",
     "does not name classes"),
    (lambda m: m.__setitem__("fees", [{"id": "f", "payee": "nobody", "kind": "trustee", "annual_amount": 1}]),
     "fees[0].payee", "is not the id of any party"),
])
def test_an_ambiguous_waterfall_is_refused_naming_the_field(change, field, words):
    mapping = copy.deepcopy(small_deal(TWO_CLASSES))
    change(mapping)
    with pytest.raises(DealInputError) as caught:
        validate_mapping(mapping, "deal.yaml")
    messages = [(issue.field, issue.message) for issue in caught.value.issues]
    assert any(f == field and words in m for f, m in messages), messages


def test_targets_are_published_cumulative_rates_not_the_one_year_rate_compounded():
    """Issue #12: the A target over 5.9 years was 0.295% compounded from the one-year rate, about half the published
    multi-year rate; it is now S&P's A-category cumulative rate at that horizon."""
    six = D.cumulative_default_rate("A", 6.0)
    assert six == pytest.approx(0.0051)
    assert D.cumulative_default_rate("A", 5.9) == pytest.approx(0.0039 + 0.9 * (0.0051 - 0.0039))
    assert D.cumulative_default_rate("A-", 5.9) == D.cumulative_default_rate("A", 5.9)
    assert six > 1.6 * (1 - (1 - D.RATING_PD["A"]) ** 6)
    assert D.cumulative_default_rate("BBB", 0.5) == pytest.approx(0.0014 / 2)


def test_sizing_a_pool_that_can_stop_says_no_senior_balance_meets_the_target():
    """Issue #12: a single-asset pool printed "senior can be at most 0"; the report now says that no balance meets the
    target, how often even a tiny senior class fails, and what would."""
    mapping = example_mapping("vn_company_spv")
    deal = validate_mapping(mapping, "vn.yaml", EXAMPLES).deal
    report = analyse(DealGraph(deal), deal.deal.as_of, RiskOptions(paths=2000, stresses=False, select=False))
    e = report.enhancement
    assert not e.achievable and e.smallest_senior_pd > e.target_senior_pd
    from ipsa.reports.content import enhancement_sentence

    sentence = enhancement_sentence(e, "VND")
    assert "no senior balance meets the target" in sentence and "at most 0" not in sentence


def revolving_deal(**revolving) -> dict:
    notes = [note("A", 4_000_000, 0.08, 1), note("VF", 500_000, 0.06, 2, amortisation="pass_through", commitment=1_500_000)]
    return small_deal(notes, revolving={"until": "2027-01-01", "eligible_yield": 0.10, "eligible_term_years": 2,
                                        **revolving})


def test_a_revolving_period_buys_receivables_instead_of_paying_principal():
    mapping = revolving_deal(purchases_per_period=1_000_000, variable_funding_note="VF")
    pool = pool_of(mapping)
    log, _ = log_of(pool, [1_000_000] * QUARTERS)
    values = log.values
    end = pool.revolving.end
    assert end == 4  # the quarters ending 2026-04-01 to 2027-01-01 revolve
    assert (values["principal A"][:end] == 0).all() and values["principal A"][end:].sum() > 0
    bought = values["receivables bought"]
    assert np.allclose(bought[:end], 1_000_000) and (bought[end:] == 0).all()
    # Collections after interest fall short of the 1,000,000 target: the variable funding note is drawn for the rest,
    # up to its 1,500,000 commitment, and its balance grows by the draws.
    drawn = values["variable funding note drawn"]
    assert drawn[:end].sum() == pytest.approx(min(1_500_000 - 500_000, drawn[:end].sum()))
    assert drawn[0] == pytest.approx(1_000_000 - (1_000_000 - values["interest A"][0] - values["interest VF"][0]))
    # Each purchase pays level amounts at 10% a year over two years from the next quarter, at the pool's performance.
    per_unit = 0.025 / (1 - 1.025 ** -8)
    assert values["collections from receivables bought"][1] == pytest.approx(1_000_000 * per_unit)
    assert np.allclose(log.total("source"), log.total("use"), atol=1e-6)


def test_a_rapid_amortisation_ends_the_revolving_period():
    mapping = revolving_deal()
    del mapping["notes"][1]["commitment"]  # no variable funding: every period's available cash is reinvested
    mapping["credit_enhancement"] = {"triggers": [{"test": "dscr", "threshold": 1.5, "periods": 1,
                                                   "consequence": "rapid_amortisation"}]}
    pool = pool_of(mapping)
    log, _ = log_of(pool, [1_000_000, 100_000] + [1_000_000] * (QUARTERS - 2))
    values = log.values
    assert values["receivables bought"][0] > 0
    assert values["receivables bought"][1:].sum() == 0  # breached in the second quarter: no more purchases
    assert values["principal A"][1:].sum() > 0


@pytest.mark.parametrize("change, field, words", [
    (lambda m: m["revolving"].__setitem__("variable_funding_note", "A"), "revolving.variable_funding_note",
     "has no commitment"),
    (lambda m: m["revolving"].__setitem__("until", "2025-01-01"), "revolving.until", "not after the as-of date"),
    (lambda m: m["revolving"].pop("purchases_per_period"), "revolving.purchases_per_period", "give purchases_per_period"),
])
def test_an_impossible_revolving_period_is_refused(change, field, words):
    mapping = copy.deepcopy(revolving_deal(purchases_per_period=1_000_000, variable_funding_note="VF"))
    change(mapping)
    with pytest.raises(DealInputError) as caught:
        validate_mapping(mapping, "deal.yaml")
    assert any(i.field == field and words in i.message for i in caught.value.issues), caught.value.issues


def test_a_seasoned_deal_is_modelled_from_its_balances_at_the_as_of_date():
    """Issue #12: no seasoned deal could be expressed. Class A has paid down to 2,500,000 and the reserve holds 150,000."""
    mapping = small_deal(TWO_CLASSES, credit_enhancement={"reserve": {"target_amount": 200_000, "funded_at_close": 100_000,
                                                                      "balance": 150_000}})
    mapping["notes"][0]["outstanding"] = 2_500_000
    pool = pool_of(mapping)
    assert pool.notes.balance[0] == 2_500_000 and pool.reserve_initial == 150_000
    log, _ = log_of(pool, [1_000_000] * QUARTERS)
    assert log.values["interest A"][0] == pytest.approx(2_500_000 * 0.08 / 4)
    assert log.values["principal A"].sum() == pytest.approx(2_500_000)
    assert "balances outstanding at the as-of date" in pool.assumptions["seasoned"]
    mapping["notes"][0]["outstanding"] = 5_000_000
    with pytest.raises(DealInputError, match="more than the class's amount"):
        validate_mapping(mapping, "deal.yaml")
