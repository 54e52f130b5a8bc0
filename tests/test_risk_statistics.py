"""Honest statistics and pari passu: exact upper bounds where defaults are few, standard errors for the trigger rate,
the coverage quantiles and the required enhancement, and classes of equal seniority sharing cash whatever their ids."""

from __future__ import annotations

import copy
import datetime as dt
import math

import numpy as np
import pytest
from scipy.stats import binom, norm

from ipsa.engine.graph import DealGraph
from ipsa.engine.loading import validate_mapping
from ipsa.engine.risk import RiskOptions, analyse, mean_upper, pd_upper, quantile_se
from ipsa.engine.risk.inputs import build
from ipsa.engine.risk.screening import screen
from ipsa.engine.risk.simulate import Block
from ipsa.engine.risk.waterfall import run
from ipsa.reports.content import pct_bound
from tests.conftest import EXAMPLES, example_mapping

AS_OF = dt.date(2026, 1, 1)


def deal(notes: list[dict], licensees: int = 4, pd: float = 0.04, royalty: float = 1_000_000.0, quarters: int = 20,
         wrap: dict | None = None) -> dict:
    """`licensees` licensees with sales-linked royalties, one patent each, in distinct technology classes, and the
    given classes of notes (sequential, legal final at the end of the term unless given)."""
    end = dt.date(2026 + quarters // 4, 1, 1)
    parties = [
        {"id": "orig", "name": "Originator", "roles": ["originator", "licensor"], "jurisdiction": "US"},
        {"id": "spv", "name": "SPV", "roles": ["spv"], "jurisdiction": "US", "entity_type": "llc"},
    ]
    patents, licences = [], []
    for k in range(licensees):
        parties.append({"id": f"lee{k}", "name": f"Licensee {k}", "roles": ["licensee"], "jurisdiction": "US",
                        "default_probability": pd})
        patents.append({"id": f"p{k}", "office": "US", "number": f"US {k}", "title": "t", "owner": "orig",
                        "status": "granted", "filing_date": "2020-01-01", "grant_date": "2022-01-01",
                        "expiry_date": "2040-01-01", "technology": f"T{k}", "family": f"F{k}"})
        licences.append({"id": f"lic{k}", "licensor": "orig", "licensee": f"lee{k}", "patents": [f"p{k}"],
                         "territory": ["US"], "start": "2025-01-01", "end": end.isoformat(),
                         "royalty": {"rate": 0.05, "base": "net_sales", "expected_annual_base": 80_000_000 / licensees,
                                     "frequency": "quarterly"},
                         "pays_to": "acc"})
    credit = {}
    if wrap:
        parties.append({"id": "insurer", "name": "Insurer", "roles": ["guarantor"], "jurisdiction": "US",
                        "default_probability": 0.02})
        credit = {"wraps": [{"provider": "insurer", "kind": "guarantee", **wrap}]}
    return {
        "schema_version": 1,
        "deal": {"name": "Pari passu test", "as_of": AS_OF.isoformat(), "governing_law": "US", "currency": "USD",
                 "client": "c", "counsel": "k"},
        "parties": parties, "patents": patents, "licences": licences,
        "transfers": [{"id": "t", "from": "orig", "to": "spv", "method": "sale", "receivables": [l["id"] for l in licences],
                       "date": "2025-12-31", "perfection_filings": [{"registry": "ucc", "jurisdiction": "US", "date": "2025-12-31"}]}],
        "spv": {"party": "spv", "form": "us_delaware_llc", "jurisdiction": "US-DE"},
        "notes": [{"coupon": 0.05, "amortisation": "sequential", "legal_final": end.isoformat(), **n} for n in notes],
        "credit_enhancement": credit,
        "accounts": [{"id": "acc", "holder": "spv", "kind": "collection"}],
        "regulation": {"offering": "rule_144a"},
    }


def graph(mapping: dict) -> DealGraph:
    return DealGraph(validate_mapping(copy.deepcopy(mapping), "test.yaml", EXAMPLES).deal)


def report(mapping: dict, paths: int = 4000, seed: int = 3, **options):
    g = graph(mapping)
    return analyse(g, g.deal.deal.as_of, RiskOptions(paths=paths, seed=seed, selection_paths=500, **options))


# -- upper bounds --------------------------------------------------------------------------------------------------

def test_the_pd_upper_bound_is_the_exact_clopper_pearson_value():
    assert pd_upper(0, 2000) == pytest.approx(1 - 0.05 ** (1 / 2000), rel=1e-9)
    assert pd_upper(0, 2000) == pytest.approx(0.0014967, abs=1e-7)  # "0 of 2,000 paths: at most about 0.15%"
    for k, n in ((1, 2000), (5, 1000), (56, 10_000)):
        upper = pd_upper(k, n)
        # The defining property: at the bound, seeing k or fewer defaults has probability 5%.
        assert binom.cdf(k, n, upper) == pytest.approx(0.05, rel=1e-6)
    assert pd_upper(30, 30) == 1.0


def test_the_upper_bounds_lie_above_the_estimate_and_shrink_with_more_paths():
    for k, n in ((0, 1000), (5, 1000), (50, 1000)):
        assert pd_upper(k, n) > k / n
        assert pd_upper(10 * k, 10 * n) < pd_upper(k, n)  # the same observed rate, ten times the paths
        assert mean_upper(0.4 * k / n, n) > 0.4 * k / n
        assert mean_upper(0.4 * k / n, 10 * n) < mean_upper(0.4 * k / n, n)


def test_the_expected_loss_bound_reduces_to_clopper_pearson_without_losses_and_is_never_tighter_for_whole_losses():
    for n in (500, 2000, 10_000):
        assert mean_upper(0.0, n) == pytest.approx(pd_upper(0, n), rel=1e-9)
    for k, n in ((1, 2000), (20, 2000), (300, 2000)):
        # For all-or-nothing losses the Chernoff-Hoeffding bound is a looser bound than the exact binomial one.
        assert mean_upper(k / n, n) >= pd_upper(k, n)


def test_the_expected_loss_bound_covers_the_true_mean_at_least_95_percent_of_the_time():
    """Losses with a point mass at zero and a partial severity: 2% of paths lose a uniform share of the balance."""
    rng = np.random.default_rng(2026)
    n, trials, true_mean = 1000, 2000, 0.02 * 0.5
    losses = (rng.random((trials, n)) < 0.02) * rng.random((trials, n))
    bounds = np.array([mean_upper(float(x.mean()), n) for x in losses])
    assert np.mean(bounds >= true_mean) >= 0.95
    # ... and credits partial losses: on average well below the bound on any loss times the whole balance.
    any_loss = np.array([pd_upper(int((x > 0).sum()), n) for x in losses])
    assert bounds.mean() < 0.75 * any_loss.mean()


def test_a_class_without_defaults_shows_its_upper_bound():
    safe = deal([{"id": "A", "amount": 2_000_000, "seniority": 1}], pd=0.001)
    r = report(safe, paths=2000, stresses=False, select=False)
    senior = r.classes[0]
    assert senior.pd == 0.0 and senior.pd_se == 0.0
    assert senior.pd_upper_95 == pytest.approx(1 - 0.05 ** (1 / 2000), rel=1e-9)
    assert senior.expected_loss_upper_95 == pytest.approx(senior.pd_upper_95, rel=1e-9)
    assert pct_bound(senior.pd, senior.pd_se, senior.pd_upper_95) == "0.00% ± 0.00% (≤ 0.15%)"
    more = report(safe, paths=8000, stresses=False, select=False).classes[0]
    assert more.pd == 0.0 and more.pd_upper_95 < senior.pd_upper_95


def test_every_class_and_stress_carries_an_upper_bound_consistent_with_its_counts():
    r = report(example_mapping("jp_tmk_licence"), paths=3000)
    for c in r.classes:
        assert c.pd_upper_95 == pytest.approx(pd_upper(round(c.pd * r.paths), r.paths), rel=1e-9)
        assert c.pd <= c.pd_upper_95 and c.expected_loss <= c.expected_loss_upper_95 <= 1.0
    for s in r.stresses:
        assert s.senior_pd < s.senior_pd_upper_95 or s.senior_pd == 1.0


# -- standard errors -------------------------------------------------------------------------------------------------

def test_the_trigger_rate_standard_error_is_binomial():
    r = report(example_mapping("us_royalty_llc"), paths=3000, stresses=False, select=False)
    assert 0.05 < r.trigger_rate < 0.95  # the example's trigger fires on a fair share of paths
    assert r.trigger_rate_se == pytest.approx(math.sqrt(r.trigger_rate * (1 - r.trigger_rate) / 3000), rel=1e-12)


@pytest.mark.parametrize("q", [0.05, 0.5])
def test_the_quantile_standard_error_matches_the_asymptotic_formula(q):
    """For a smooth distribution the s.e. of a sample quantile is sqrt(q(1-q)/m) / f(x_q)."""
    rng = np.random.default_rng(7)
    m = 40_000
    values = rng.standard_normal(m)
    asymptotic = math.sqrt(q * (1 - q) / m) / norm.pdf(norm.ppf(q))
    assert quantile_se(values, q) == pytest.approx(asymptotic, rel=0.15)
    assert quantile_se(np.full(m, 1.3), q) == 0.0  # a quantile on a point mass is exact


def test_coverage_quantiles_from_two_seeds_agree_within_their_standard_errors():
    mapping = example_mapping("jp_tmk_licence")
    a, b = (report(mapping, paths=4000, seed=s, stresses=False, select=False) for s in (1, 2))
    for field in ("dscr_min_p5", "dscr_min_p50"):
        se = math.hypot(getattr(a, field + "_se"), getattr(b, field + "_se"))
        assert se > 0
        assert abs(getattr(a, field) - getattr(b, field)) < 4 * se, field


def test_the_enhancement_carries_a_standard_error_and_two_seeds_agree_within_a_few():
    mapping = example_mapping("us_royalty_llc")
    a, b = (report(mapping, paths=5000, seed=s, stresses=False, select=False).enhancement for s in (1, 2))
    assert a.max_senior_balance_se > 0 and a.required_enhancement_se > 0
    assert a.required_enhancement_se >= a.max_senior_balance_se / a.expected_collections_pv
    se = math.hypot(a.max_senior_balance_se, b.max_senior_balance_se)
    assert abs(a.max_senior_balance - b.max_senior_balance) < 4 * se
    se = math.hypot(a.required_enhancement_se, b.required_enhancement_se)
    assert abs(a.required_enhancement - b.required_enhancement) < 4 * se


def test_the_enhancement_standard_error_falls_with_more_paths():
    mapping = example_mapping("us_royalty_llc")
    few = report(mapping, paths=2000, seed=4, stresses=False, select=False).enhancement
    many = report(mapping, paths=8000, seed=4, stresses=False, select=False).enhancement
    assert many.max_senior_balance_se < few.max_senior_balance_se


def test_the_memo_shows_the_bounds_and_standard_errors_it_adds():
    from tests.test_memo import prepared, rendered

    r = prepared("us_royalty_llc").risk
    md = rendered("us_royalty_llc")["md"].decode().replace("\\", "")
    for c in r.classes:
        assert pct_bound(c.pd, c.pd_se, c.pd_upper_95) in md
        assert pct_bound(c.expected_loss, c.expected_loss_se, c.expected_loss_upper_95) in md
    assert f"{r.trigger_rate:.2%} ± {r.trigger_rate_se:.2%}" in md
    e = r.enhancement
    assert f"(s.e. {e.max_senior_balance_se:,.0f})" in md
    assert f"{e.required_enhancement:.2%} ± {e.required_enhancement_se:.2%}" in md


# -- pari passu ----------------------------------------------------------------------------------------------------

def test_classes_of_one_rank_share_a_shortfall_pro_rata_to_what_is_due():
    """Closed form: two zero-coupon pass-through classes of one rank, 60 and 40, and 50 collected over the term:
    each is paid pro rata and loses half, whichever id sorts first."""
    mapping = deal([{"id": "A", "amount": 60.0, "seniority": 1, "coupon": 0.0, "amortisation": "pass_through"},
                    {"id": "B", "amount": 40.0, "seniority": 1, "coupon": 0.0, "amortisation": "pass_through"}])
    g = graph(mapping)
    pool = build(g, AS_OF, screen(g, AS_OF))
    pool.notes.seniority = np.array([1, 1])
    T = pool.horizon
    block = Block(np.full((1, T), 50.0 / T), None, np.zeros((1, 0), dtype=np.int64))
    outcome = run(pool, block)
    assert outcome.principal_loss[0] == pytest.approx([30.0, 20.0])
    pool.notes.seniority = np.array([1, 2])  # the same classes ranked: A is paid first
    assert run(pool, block).principal_loss[0] == pytest.approx([10.0, 40.0])


def test_classes_of_one_rank_with_the_same_terms_suffer_the_same_default_probability():
    notes = [{"id": "A", "amount": 7_000_000, "seniority": 1}, {"id": "B", "amount": 7_000_000, "seniority": 1},
             {"id": "Z", "amount": 3_000_000, "seniority": 2}]
    r = report(deal(notes, wrap={"covers": ["A", "B"], "limit": 500_000}), paths=3000)
    a, b, z = r.classes
    assert 0.01 < a.pd < 0.99  # the test can tell: paid sequentially, A would default far less often than B
    assert (a.pd, a.expected_loss, a.wal_years, a.wrap_reliance) == (b.pd, b.expected_loss, b.wal_years, b.wrap_reliance)
    assert a.wrap_reliance > 0  # the wrap is drawn, and shared
    assert z.pd >= a.pd


def test_renaming_a_class_of_a_shared_rank_changes_no_figure():
    notes = [{"id": "alpha", "amount": 8_000_000, "seniority": 1, "coupon": 0.04},
             {"id": "beta", "amount": 5_000_000, "seniority": 1, "coupon": 0.06},
             {"id": "gamma", "amount": 3_000_000, "seniority": 2}]
    mapping = deal(notes, wrap={"covers": ["alpha", "beta"], "limit": 600_000})
    renamed = copy.deepcopy(mapping)
    renamed["notes"][0]["id"] = "zeta"  # now sorts after beta
    renamed["credit_enhancement"]["wraps"][0]["covers"] = ["zeta", "beta"]
    before, after = report(mapping, paths=3000), report(renamed, paths=3000)
    old = before.model_dump()
    new = after.model_dump()
    by_id = {c["id"]: c for c in new.pop("classes")}
    for c in old.pop("classes"):
        twin = by_id["zeta" if c["id"] == "alpha" else c["id"]]
        assert {k: v for k, v in c.items() if k != "id"} == pytest.approx({k: v for k, v in twin.items() if k != "id"},
                                                                          rel=1e-12, abs=1e-15), c["id"]
    flows_old, flows_new = old.pop("cash_flows"), new.pop("cash_flows")
    renamed_columns = [c.replace("alpha", "zeta") for c in flows_old["columns"]]
    column_of = {c: i for i, c in enumerate(flows_new["columns"])}
    assert sorted(renamed_columns) == sorted(flows_new["columns"])
    for row_old, row_new in zip(flows_old["rows"], flows_new["rows"]):  # the same log, its columns named anew
        assert [row_new[column_of[c]] for c in renamed_columns] == pytest.approx(row_old, rel=1e-12, abs=1e-9)
    assert old == new  # every other figure: coverage, trigger rate, enhancement, stresses, selection
    assert 0.005 < before.classes[0].pd < 0.99


def test_the_bounds_and_ranks_equal_scipy_stats_own_quantiles():
    """pd_upper and quantile_ranks use scipy.special directly (scipy.stats costs 0.2 s to import on every run); they
    must give exactly what scipy.stats's beta and binomial quantiles give."""
    from scipy.stats import beta, binom

    from ipsa.engine.risk import pd_upper, quantile_ranks

    for n in (1, 2, 10, 200, 999, 2000, 5000, 10_000, 100_000):
        for k in range(0, min(n, 60)):
            assert pd_upper(k, n) == float(beta.ppf(0.95, k + 1, n - k))
        for p in (0.0, 1e-5, 0.001, 0.002048, 0.00415, 0.0111, 0.05, 0.3, 0.5, 0.9, 1.0):
            assert quantile_ranks(n, p) == (int(binom.ppf(0.025, n, p)), int(binom.ppf(0.975, n, p)) + 1)
