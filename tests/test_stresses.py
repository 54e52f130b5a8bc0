"""Stresses as parameters (start, depth, duration or for good, which cash they touch), the named ones as presets."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from ipsa.engine.risk import PRESETS, RiskOptions, StressError, describe_stress, parse_stress, pool_for
from ipsa.engine.risk.simulate import NO_STRESS, simulate_block
from ipsa.engine.graph import DealGraph
from ipsa.engine.loading import validate_mapping
from tests.conftest import EXAMPLES
from tests.test_waterfall import AS_OF, TWO_CLASSES, small_deal


def pool_with(royalty: dict, pd: float = 0.0):
    mapping = small_deal(TWO_CLASSES)
    mapping["licences"][0]["royalty"] = royalty
    mapping["parties"][2]["default_probability"] = pd
    return pool_for(DealGraph(validate_mapping(mapping, "t.yaml").deal), AS_OF, RiskOptions())


SALES = {"rate": 0.05, "base": "net_sales", "expected_annual_base": 80_000_000, "minimum_annual": 2_000_000,
         "frequency": "quarterly"}
FIXED = {"base": "fixed", "fixed_amount": 1_000_000, "frequency": "quarterly"}


def collections(pool, stress=NO_STRESS) -> np.ndarray:
    return simulate_block(pool, seed=3, block=0, n=400, stress=stress).collections


def shocked(base: np.ndarray, multiplier: float, floor: float = 500_000) -> np.ndarray:
    """What a shock to the sales-driven royalty leaves: the shocked sales or the minimum, where the licence pays at
    all (a path on which its patent died pays nothing, stressed or not)."""
    return np.where(base > 0, np.maximum(base * multiplier, floor), 0.0)


def test_destocking_halves_sales_driven_royalties_but_not_fixed_fees_or_minimums():
    """Issue #12: the named destocking stress also halved fixed fees and minimum royalties."""
    fixed = pool_with(FIXED)
    assert np.array_equal(collections(fixed, parse_stress("destocking", fixed)), collections(fixed))
    sales = pool_with(SALES)
    base, stressed = collections(sales), collections(sales, parse_stress("destocking", sales))
    assert np.allclose(stressed[:, :4], shocked(base[:, :4], 0.5), rtol=1e-5)  # the floor holds
    assert np.array_equal(stressed[:, 4:], base[:, 4:])  # temporary: a year, then the same paths
    plain = collections(fixed)
    everything = collections(fixed, parse_stress("sales=0.5,periods=4,touches=all", fixed))
    assert np.allclose(everything[:, :4], plain[:, :4] * 0.5) and np.array_equal(everything[:, 4:], plain[:, 4:])
    assert (plain[:, :4] == 1_000_000).mean() > 0.95  # nearly every path pays its fixed fee in full


def test_a_shock_starts_when_asked_and_can_last_for_good():
    sales = pool_with(SALES)
    base = collections(sales)
    later = collections(sales, parse_stress("sales=0.6,start=3,periods=2", sales))
    assert np.array_equal(later[:, :3], base[:, :3]) and np.array_equal(later[:, 5:], base[:, 5:])
    assert np.allclose(later[:, 3:5], shocked(base[:, 3:5], 0.6), rtol=1e-5)
    forever = collections(sales, parse_stress("sales=0.6,start=3,permanent", sales))
    assert np.allclose(forever[:, 3:], shocked(base[:, 3:], 0.6), rtol=1e-5)


def test_a_licensee_default_and_a_patent_invalidity_at_a_chosen_period():
    fixed = pool_with(FIXED)
    plain = collections(fixed)
    defaulted = collections(fixed, parse_stress("licensee=lee,at=5", fixed))
    assert np.array_equal(defaulted[:, :5], plain[:, :5]) and np.allclose(defaulted[:, 5:], 0)
    invalid = collections(fixed, parse_stress("patent=p,at=2", fixed))
    assert np.array_equal(invalid[:, :2], plain[:, :2]) and np.allclose(invalid[:, 2:], 0)
    assert np.array_equal(collections(fixed, parse_stress("largest_licensee_default", fixed)), np.zeros((400, 8)))


def test_the_named_stresses_are_presets_of_the_parametric_form():
    assert set(PRESETS) == {"destocking", "largest_patent_invalid", "largest_licensee_default", "guarantor_default"}
    assert describe_stress("sales=0.7,permanent") == "sales-driven royalties at 70% from period 1 for good"
    assert describe_stress("wraps,at=8") == "every wrap or guarantee provider failed from period 9"


@pytest.mark.parametrize("spec, words", [
    ("sales=x", "sales must be a number"), ("sales=-1", "between 0 and 10"), ("speed=2", "not a stress parameter"),
    ("start=3", "go with sales="), ("sales=0.5,touches=some", "touches is 'sales' or 'all'"), ("", "names no stress"),
])
def test_a_stress_ipsa_cannot_read_is_refused(spec, words):
    with pytest.raises(StressError, match=words):
        parse_stress(spec)


def test_the_command_line_refuses_a_bad_stress_with_exit_2():
    deal = EXAMPLES / "us_royalty_llc.yaml"
    run = lambda *a: subprocess.run([sys.executable, "-m", "ipsa.engine.cli", *map(str, a)], capture_output=True, text=True)
    syntax = run("risk", deal, "--paths", "200", "--add-stress", "sales=lots")
    assert syntax.returncode == 2 and "sales must be a number" in syntax.stderr
    unknown = run("risk", deal, "--paths", "200", "--stress", "licensee=nobody")
    assert unknown.returncode == 2 and "'nobody' is not a licensee of the modelled pool" in unknown.stderr
    assert "Traceback" not in unknown.stderr


def test_a_semiannual_royalty_is_paid_twice_a_year_and_a_lag_moves_it_later():
    """Issue #12: semiannual royalties were spread over quarters. They accrue each quarter and arrive every second
    one; a 45-day lag moves each payment into the next quarter."""
    quarterly = pool_with(FIXED)
    semiannual = pool_with({**FIXED, "fixed_amount": 2_000_000, "frequency": "semiannual"})
    late = pool_with({**FIXED, "payment_lag_days": 45})
    plain = collections(quarterly)
    paid_twice = collections(semiannual)
    whole = (plain == 1_000_000).all(axis=1)  # paths on which the patent lives throughout
    assert whole.mean() > 0.9
    # The licence runs from 2025-01-01: payments on 1 July and 1 January fall in the quarters ending 2026-07-01 and
    # 2027-01-01 (periods 2 and 4, counting from 1), each paying the two quarters accrued since the last payment.
    assert np.allclose(paid_twice[whole], np.tile([0, 2_000_000, 0, 2_000_000], 2))
    assert paid_twice[whole].sum(axis=1) == pytest.approx(plain[whole].sum(axis=1))
    # Paid 45 days late, each quarter's royalty lands in the next quarter: the quarter before closing (bought by the
    # SPV: paid after the cut-off) arrives in the first, and the last quarter's after the notes' horizon.
    lagged = collections(late)
    assert np.allclose(lagged[whole], 1_000_000)
    assert late.expected_paid().sum() == pytest.approx(quarterly.expected_paid().sum())
    assert semiannual.expected_paid().sum() == pytest.approx(quarterly.expected_paid().sum())


def test_a_share_of_a_royalty_backs_the_notes_where_co_owners_split_it():
    mapping = small_deal(TWO_CLASSES)
    mapping["licences"][0]["royalty"] = FIXED
    mapping["licences"][0]["pool_share"] = 0.4
    deal = validate_mapping(mapping, "t.yaml").deal
    pool = pool_for(DealGraph(deal), AS_OF, RiskOptions())
    assert pool.base[0] == pytest.approx(400_000) and DealGraph(deal).expected_annual_royalty(deal.licences[0]) == 1_600_000
    assert "40.0% of the licence's royalties back the notes" in pool.assumptions["share lic"]


def test_a_default_loses_the_royalties_accrued_but_not_yet_paid():
    semiannual = pool_with({**FIXED, "fixed_amount": 2_000_000, "frequency": "semiannual"})
    stressed = collections(semiannual, parse_stress("licensee=lee,at=3", semiannual))
    plain = collections(semiannual)
    whole = (collections(pool_with(FIXED)) == 1_000_000).all(axis=1)
    # Paid in period 2 (index 1) for two quarters; the quarter accrued in period 3 would be paid in period 4, after
    # the default at period 4 (index 3): lost.
    assert np.allclose(stressed[whole][:, 1], plain[whole][:, 1]) and np.allclose(stressed[whole][:, 3:], 0)


def test_the_invalidation_hazard_can_be_set_from_the_deal():
    """Issue #12: a zero-risk licensee paying a fixed fee still showed senior PD 0.28%: the invalidation hazard could
    not be set from the deal file. With the patent stated beyond challenge, a fixed fee from a riskless licensee pays
    on every path."""
    mapping = small_deal(TWO_CLASSES)
    mapping["licences"][0]["royalty"] = FIXED
    mapping["patents"][0]["invalidation_hazard"] = 0.0
    pool = pool_for(DealGraph(validate_mapping(mapping, "t.yaml").deal), AS_OF, RiskOptions())
    assert pool.invalid_hazard[0] == 0 and "as the deal states" in pool.assumptions["invalidation p"]
    assert np.allclose(collections(pool), 1_000_000)


@pytest.mark.parametrize("paths, ran", [(300, 300), (6_000, 5_000)])
def test_each_stress_says_how_many_paths_it_ran_and_the_rules_judge_it_on_those(paths, ran):
    """A stressed default probability's standard error is over the stress's own paths (the main run's first ones, at
    most 5,000): the report says how many, and the risk fact the rules read carries that figure from it, not from a
    constant of their own."""
    from ipsa.engine.facts import derive_risk_facts
    from ipsa.engine.risk import analyse

    g = DealGraph(validate_mapping(small_deal(TWO_CLASSES), "t.yaml").deal)
    report = analyse(g, AS_OF, RiskOptions(paths=paths, seed=1, select=False))
    assert report.stresses and {s.paths for s in report.stresses} == {ran}
    (fact,) = derive_risk_facts(g, report)
    assert fact["stress_paths"] == ran and fact["paths"] == paths


def test_an_assessment_stored_before_stresses_recorded_their_paths_still_reads():
    """The workspace keeps assessments as JSON and reads them back with the current model: one stored before each
    stress recorded its path count must still open (the count reads 0, not recorded)."""
    import json
    from pathlib import Path

    from ipsa.engine.assessment import Assessment

    stored = json.loads((Path(__file__).parent / "golden" / "cn_licence_special_plan.json").read_text(encoding="utf-8"))
    for stress in stored["risk"]["stresses"]:
        del stress["paths"]
    assessment = Assessment.model_validate_json(json.dumps(stored))
    assert assessment.risk.stresses and all(s.paths == 0 for s in assessment.risk.stresses)
