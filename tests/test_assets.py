"""Every kind of IP cash (issue #12): copyrights and trademarks as licensed assets with their own lives, and loans
secured on IP with recoveries from the pledged collateral."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from ipsa.engine.graph import DealGraph
from ipsa.engine.loading import validate_mapping
from ipsa.engine.risk import RiskOptions, analyse, parse_stress, pool_for
from ipsa.engine.risk import defaults as D
from ipsa.engine.risk.simulate import simulate_block
from tests.conftest import EXAMPLES, example_mapping


def pool_of(mapping: dict, name: str = "deal.yaml"):
    deal = validate_mapping(mapping, name, EXAMPLES).deal
    return pool_for(DealGraph(deal), deal.deal.as_of, RiskOptions())


def test_a_copyright_licence_carries_cash_until_the_term_ends():
    mapping = example_mapping("us_music_catalogue")
    by_id = {o["id"]: o for o in mapping["other_ip"]}
    by_id["rec-catalogue"]["expiry_date"] = "2029-12-31"  # the recordings' term ends during the notes
    pool = pool_of(mapping)
    stream = pool.licences.index("lic-stream")
    paths = simulate_block(pool, seed=1, block=0, n=200, keep_licences=True).by_licence
    end = next(t for t, day in enumerate(pool.period_ends) if day >= dt_date(2029, 12, 31))
    assert (paths[:, stream, end + 2:] == 0).all()  # nothing once the right is gone (a 45-day lag: one period)
    assert (paths[:, stream, 1:end] > 0).mean() > 0.9
    assert not pool.erodes[stream]  # no generic-drug erosion for a copyright
    assert "copyrights and trademarks" in pool.assumptions


def test_a_trademark_lapses_only_if_not_renewed():
    mapping = example_mapping("us_music_catalogue")
    pool = pool_of(mapping)
    mark = pool.patents.index("tm-meridian")
    assert pool.lapse_prob[mark] == D.TRADEMARK_NON_RENEWAL.value
    assert pool.period_ends[pool.lapse_period[mark]] >= dt_date(2029, 4, 30)
    assert pool.expiry_period[mark] == pool.horizon  # renewable: it does not simply expire
    brand = pool.licences.index("lic-brand")
    paths = simulate_block(pool, seed=2, block=0, n=2000, keep_licences=True).by_licence
    after = pool.lapse_period[mark] + 2
    stopped = (paths[:, brand, after:] == 0).all(axis=1).mean()
    assert 0.02 < stopped < 0.12  # about the 5% non-renewal, plus licensee defaults


def test_a_loan_repays_on_schedule_and_its_pledge_recovers_after_default():
    mapping = example_mapping("cn_ip_loans_special_plan")
    pool = pool_of(mapping, "cn.yaml")
    loans = pool.loans
    m = loans.ids.index("loan-chipwave")
    row = pool.licences.index("loan-chipwave")
    payments = loans.payments[m]
    principal = -np.diff(np.append(loans.outstanding[m][payments > 0], 0.0))
    assert principal.sum() == pytest.approx(22_000_000)
    assert np.allclose(principal, principal[0])  # equal principal instalments
    clean = simulate_block(pool, seed=4, block=0, n=50, keep_licences=True)
    alive = (clean.by_licence[:, row, payments > 0] > 0).all(axis=1)
    assert np.allclose(clean.by_licence[alive][:, row, :], payments, rtol=1e-5)
    borrower = pool.licensees[pool.licence_licensee[row]]
    stressed = simulate_block(pool, seed=4, block=0, n=50, stress=parse_stress(f"licensee={borrower},at=2", pool),
                              keep_licences=True).by_licence[:, row, :]
    lag = loans.recovery_lag[m]
    recovered = min(loans.outstanding[m][2], 30_000_000 * D.IP_PLEDGE_RECOVERY.value)
    early = clean.by_licence[:, row, 0] > 0  # paths on which the borrower had not already defaulted of itself
    early &= clean.by_licence[:, row, 1] > 0
    assert early.mean() > 0.9
    assert np.allclose(stressed[early][:, :2], payments[:2], rtol=1e-5)
    assert np.allclose(stressed[early][:, 2 + lag], recovered, rtol=1e-5)
    assert np.allclose(np.delete(stressed[early][:, 2:], lag, axis=1), 0)


def test_an_unregistered_pledge_recovers_nothing():
    mapping = copy.deepcopy(example_mapping("cn_ip_loans_special_plan"))
    next(l for l in mapping["loans"] if l["id"] == "loan-chipwave")["pledge_registered"] = False
    pool = pool_of(mapping, "cn.yaml")
    m = pool.loans.ids.index("loan-chipwave")
    assert pool.loans.recovery_rate[m] == 0
    assert "not registered, so no recovery" in pool.assumptions["loan loan-chipwave"]


def test_the_chinese_loans_plan_is_assessed_with_cash_flowing():
    mapping = example_mapping("cn_ip_loans_special_plan")
    deal = validate_mapping(mapping, "cn.yaml", EXAMPLES).deal
    report = analyse(DealGraph(deal), deal.deal.as_of, RiskOptions(paths=1000, stresses=False, select=False))
    assert sum(report.collections_mean) == pytest.approx(sum(report.expected_contractual), rel=0.1)
    senior = report.classes[0]
    assert senior.pd < 0.01 and report.cash_flows.check < 1e-3
    assert report.classes[1].residual and report.classes[1].distributions_multiple > 1.0


def dt_date(*args):
    import datetime

    return datetime.date(*args)


def selection_deal(bases: list[float], technologies: list[str], ratings: list[str]) -> dict:
    from tests.test_risk_statistics import deal

    mapping = deal([{"id": "A", "amount": 20_000_000, "seniority": 1}, {"id": "B", "amount": 5_000_000, "seniority": 2}],
                   licensees=len(bases))
    for k, (base, technology, rating) in enumerate(zip(bases, technologies, ratings)):
        mapping["licences"][k]["royalty"]["expected_annual_base"] = base
        mapping["patents"][k]["technology"] = technology
        party = next(p for p in mapping["parties"] if p["id"] == f"lee{k}")
        party.pop("default_probability", None)
        party["rating"] = rating
    return mapping


def test_selection_meets_a_limit_by_giving_up_the_least_royalties():
    """Issue #12: selection dropped the largest royalty (an A+ licensee) to meet a technology limit. Dropping the
    small licence of the same technology also meets it and keeps far more collateral."""
    mapping = selection_deal([55e6, 20e6, 25e6], ["X", "X", "Y"], ["A+", "BB", "BBB"])
    deal = validate_mapping(mapping, "t.yaml").deal
    limits = {"technology": 0.70, "licensee": 1.0, "family": 1.0}
    report = analyse(DealGraph(deal), deal.deal.as_of, RiskOptions(paths=1000, stresses=False, limits=limits))
    assert report.selection.dropped_licences == ["lic1"]
    assert report.selection.chosen_top_shares["technology"] <= 0.70
    assert "giving up the least expected royalties" in report.selection.why


def test_selection_does_not_drop_a_licence_on_simulation_noise():
    """Issue #12: a licence was dropped on Monte Carlo noise. Identical licensees in distinct classes: no removal
    really changes the senior loss per unit of collateral, so every licence stays, whatever the seed."""
    mapping = selection_deal([20e6] * 5, ["T1", "T2", "T3", "T4", "T5"], ["BBB"] * 5)
    deal = validate_mapping(mapping, "t.yaml").deal
    limits = {"technology": 1.0, "licensee": 1.0, "family": 1.0}
    for seed in range(3):
        report = analyse(DealGraph(deal), deal.deal.as_of,
                         RiskOptions(paths=1000, seed=seed, stresses=False, limits=limits, selection_paths=1000))
        assert report.selection.dropped_licences == [], (seed, report.selection.why)
        assert "beyond the simulation's noise" in report.selection.why
