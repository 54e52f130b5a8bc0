"""Correlation with the economy (issue #12, item 1): the systemic floor, wrong-way wraps, one default time per party
and per obligor group, the economy-wide part of the sales shocks, and determinism whatever the chunk size."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import brentq
from scipy.stats import multivariate_normal, norm

from ipsa.engine.risk import defaults as D
from ipsa.engine.risk.simulate import Stress, simulate
from ipsa.engine.risk.waterfall import run
from tests.test_risk import one_licence_deal, pool_for, senior_pd

QUARTERS = 20


def _cumulative(annual: float, quarters: int = QUARTERS) -> float:
    """Probability that a party with this annual PD defaults within `quarters` quarters (as the simulator discretises)."""
    return 1 - (1 - annual) ** (quarters / 4)


def _wrapped(mapping: dict, provider: str = "insurer", pd: float | None = None) -> dict:
    """The deal with an unlimited, premium-free insurance wrap of class A by `provider` (a new party unless it exists)."""
    if provider not in {p["id"] for p in mapping["parties"]}:
        mapping["parties"].append({"id": provider, "name": "Insurer", "roles": ["insurer"], "jurisdiction": "US",
                                   "default_probability": pd})
    else:
        party = next(p for p in mapping["parties"] if p["id"] == provider)
        party["roles"] = party["roles"] + ["insurer"]
    mapping["credit_enhancement"] = {"wraps": [{"provider": provider, "kind": "insurance", "covers": ["A"]}]}
    return mapping


def _large_pool_floor(annual: float, enhancement: float) -> float:
    """Senior PD of an infinitely granular pool of licensees in distinct technology classes (Vasicek's large-pool
    limit): given the economy-wide factor Z the class and own parts diversify away, so the share of royalties lost is
    L(Z) = mean over quarters t of P(default by t | Z), decreasing in Z, and the class (sized at 1 - enhancement of
    the contractual royalties) defaults when L(Z) > enhancement: probability Phi(z*) with L(z*) = enhancement."""
    rho_sys = D.SYSTEMIC_SHARE.value * D.basel_correlation(annual)
    by_quarter = np.array([_cumulative(annual, t) for t in range(1, QUARTERS + 1)])

    def lost(z: float) -> float:
        return float(norm.cdf((norm.ppf(by_quarter) - math.sqrt(rho_sys) * z) / math.sqrt(1 - rho_sys)).mean())

    return float(norm.cdf(brentq(lambda z: lost(z) - enhancement, -40, 40)))


def test_diversification_across_technology_classes_cannot_push_senior_risk_below_the_systemic_floor():
    annual, enhancement, licensees = 0.03, 0.20, 64
    floor = _large_pool_floor(annual, enhancement)
    assert floor > 1e-3  # the economy-wide factor leaves a floor no number of distinct classes removes
    mapping = one_licence_deal(pd=annual, licensees=licensees, note=20_000_000 * (1 - enhancement))  # one class each
    pd, se = senior_pd(pool_for(mapping), paths=20_000)
    # A finite pool sits above its large-pool limit when the enhancement exceeds the expected loss (about 7% here).
    assert pd - 3 * se > floor, (pd, se, floor)
    # Without the economy-wide factor (the old model: classes independent) the same pool looks nearly riskless.
    independent, se_independent = senior_pd(pool_for(mapping, licensee_systemic=0.0), paths=20_000)
    assert independent < floor / 4, (independent, floor)
    assert pd > independent + 5 * max(se, se_independent)


def test_a_wrap_from_a_provider_tied_to_the_economy_helps_less_than_from_an_independent_one():
    licensee_pd, provider_pd = 0.10, 0.05
    mapping = _wrapped(one_licence_deal(pd=licensee_pd), pd=provider_pd)
    correlated = pool_for(mapping)
    independent = pool_for(mapping, wrap_corr=0.0)  # test only: the provider cut loose from the economy
    assert correlated.wrap_corr[0] == pytest.approx(D.WRAP_SYSTEMIC_SHARE.value * D.basel_correlation(provider_pd))
    # Zero coupon and pass-through: the class is short only if the licensee defaults before the last quarter AND the
    # provider has failed by then, a bivariate normal probability with correlation sqrt(rho_sys x rho_wrap).
    a, b = norm.ppf(_cumulative(licensee_pd)), norm.ppf(_cumulative(provider_pd))
    r = math.sqrt(correlated.licensee_systemic[0] * correlated.wrap_corr[0])
    both = multivariate_normal(mean=[0, 0], cov=[[1, r], [r, 1]]).cdf([a, b])
    apart = _cumulative(licensee_pd) * _cumulative(provider_pd)
    assert both > apart * 1.05
    pd_correlated, se = senior_pd(correlated, paths=40_000)
    pd_independent, se_independent = senior_pd(independent, paths=40_000)  # the same random numbers
    assert abs(pd_correlated - both) < 3.5 * se, (pd_correlated, both, se)
    assert abs(pd_independent - apart) < 3.5 * se_independent, (pd_independent, apart, se_independent)
    assert pd_correlated > pd_independent


def test_a_licensee_that_is_also_the_wrap_provider_has_one_default_time():
    annual = 0.10
    mapping = _wrapped(one_licence_deal(pd=annual), provider="lee0")
    pool = pool_for(mapping)
    assert list(pool.wrap_licensee) == [0]
    royalty = float(pool.base[0])
    paid_by_wrap, defaulted = [], []
    for block in simulate(pool, 20_000, seed=4):
        # The licence stops paying in the licensee's default period: the provider's default period is the same.
        stopped = np.where(block.collections < 0.5 * royalty, np.arange(pool.horizon)[None, :], pool.horizon).min(axis=1)
        assert np.array_equal(block.wrap_default[:, 0], stopped)
        outcome = run(pool, block)
        paid_by_wrap.append(outcome.wrap_paid[:, 0])
        defaulted.append(outcome.loss[:, 0] > 1e-6 * pool.notes.balance[0])
    # The wrap never pays after its provider's own default, so it adds nothing: senior PD is the licensee's PD.
    assert np.concatenate(paid_by_wrap).max() == 0.0
    pd = np.concatenate(defaulted).mean()
    se = math.sqrt(pd * (1 - pd) / 20_000)
    assert abs(pd - _cumulative(annual)) < 3.5 * se
    # The guarantor-default stress fails the party in both roles: its licence pays nothing either.
    stressed = next(simulate(pool, 500, seed=4, stress=Stress("guarantor_default", default_wraps=True)))
    assert stressed.collections.max() == 0.0 and stressed.wrap_default.max() == 0
    # And the largest-licensee-default stress takes its wrap down with it.
    stressed = next(simulate(pool, 500, seed=4, stress=Stress("largest_licensee_default", default_licensee=0)))
    assert stressed.collections.max() == 0.0 and stressed.wrap_default.max() == 0


def test_licences_of_one_obligor_group_default_together():
    mapping = one_licence_deal(pd=0.10, licensees=2)
    owned = [p for p in mapping["parties"] if p["id"] == "lee1"][0]
    owned["owners"] = [{"owner": "lee0", "share": 1.0}]  # lee1 is a subsidiary of lee0, at the same PD
    pool = pool_for(mapping)
    assert list(pool.licensee_obligor) == [0, 0]
    half = 0.5 * float(pool.base.sum())
    block = next(simulate(pool, 4000, seed=9))
    assert not np.isclose(block.collections, half).any()  # never one of the two paying without the other
    assert np.isclose(block.collections, 0.0).any()
    # Apart (no owner in common) they default at different times on some paths.
    apart = next(simulate(pool_for(one_licence_deal(pd=0.10, licensees=2)), 4000, seed=9))
    assert np.isclose(apart.collections, half).any()


def test_sales_shocks_share_an_economy_wide_factor_across_technology_classes():
    mapping = one_licence_deal(pd=0.0, licensees=3, expiry="2045-01-01")
    for licence in mapping["licences"]:
        licence["royalty"] = {"rate": 0.05, "base": "net_sales", "expected_annual_base": 80_000_000, "frequency": "quarterly"}
    mapping["patents"][1]["technology"] = "T0"  # lic0 and lic1 in one class, lic2 in another
    pool = pool_for(mapping)
    index = {licence: i for i, licence in enumerate(pool.licences)}
    block = next(simulate(pool, 6000, seed=2, chunk_blocks=3, keep_licences=True))
    steps = np.diff(np.log(block.by_licence), axis=2)  # [n, L, T-1]: drift plus sigma sqrt(dt) x shock

    def correlation(a: str, b: str) -> float:
        return float(np.corrcoef(steps[:, index[a], :].ravel(), steps[:, index[b], :].ravel())[0, 1])

    rho = D.SALES_FACTOR_CORRELATION.value
    assert correlation("lic0", "lic1") == pytest.approx(rho, abs=0.02)  # same class: the whole common part
    assert correlation("lic0", "lic2") == pytest.approx(rho * pool.sales_systemic, abs=0.02)  # the economy's part
    assert pool.sales_systemic == D.SALES_SYSTEMIC_SHARE.value > 0


def test_same_seed_same_paths_whatever_the_chunk_size_with_the_economy_wide_factor():
    mapping = _wrapped(one_licence_deal(pd=0.05, licensees=3), pd=0.03)
    for licence in mapping["licences"]:
        licence["royalty"] = {"rate": 0.05, "base": "net_sales", "expected_annual_base": 80_000_000, "frequency": "quarterly"}
    pool = pool_for(mapping)
    runs = []
    for chunk in (1, 2, 5):
        blocks = list(simulate(pool, 5000, seed=13, chunk_blocks=chunk))
        runs.append((np.concatenate([b.collections for b in blocks]), np.concatenate([b.wrap_default for b in blocks])))
    for collections, wraps in runs[1:]:
        assert np.array_equal(collections, runs[0][0]) and np.array_equal(wraps, runs[0][1])
    fewer = next(simulate(pool, 1000, seed=13))  # a path's numbers do not depend on how many paths are asked for
    assert np.array_equal(fewer.collections, runs[0][0][:1000])
    assert np.array_equal(fewer.wrap_default, runs[0][1][:1000])
