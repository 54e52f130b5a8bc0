"""The compiled waterfall gives every path the NumPy waterfall's figures to the last bit.

`waterfall.run` runs the compiled kernel (engine/risk/_kernel.pyx) wherever it covers the pool and the NumPy waterfall
(`run_numpy`, the reference, which alone writes the cash-flow log) elsewhere; an analyst must get the same figures
either way. Each test runs both on the same paths and compares every outcome array byte for byte: the examples as
simulated (main run, the sizing search's per-path sizes, failed wrap providers, a stress), structures that use every
step, consequence and option the waterfall has, and generated collections that drive each covenant on and off.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipsa.engine.graph import DealGraph
from ipsa.engine.loading import load_deal, validate_mapping
from ipsa.engine.risk import RiskOptions, _run, _senior_cols, pool_for, stress_for
from ipsa.engine.risk import waterfall
from ipsa.engine.risk.inputs import FeeInputs
from ipsa.engine.risk.simulate import Block
from ipsa.engine.risk.waterfall import compiled_covers, run, run_compiled, run_numpy
from tests.conftest import EXAMPLES, EXAMPLE_NAMES
from tests.test_waterfall import AS_OF, note, small_deal

FIELDS = ("loss", "principal_loss", "principal_time", "wrap_paid", "min_dscr", "triggered", "distributions")


def assert_same(pool, block, scale=None) -> None:
    reference, compiled = run_numpy(pool, block, scale), run_compiled(pool, block, scale)
    for field in FIELDS:
        a, b = getattr(reference, field), getattr(compiled, field)
        assert a.shape == b.shape and a.dtype == b.dtype, field
        assert a.tobytes() == b.tobytes(), f"{field} differs on paths {np.nonzero((a != b).reshape(len(a), -1).any(axis=1))[0][:10]}"


def test_the_compiled_waterfall_is_built_and_covers_every_example():
    """An install builds the kernel (setup.py); were it missing, every run would quietly take the slower NumPy path."""
    assert waterfall._kernel is not None, "engine/risk/_kernel.pyx was not built: reinstall ipsa (pip install -e .)"
    for name in EXAMPLE_NAMES:
        deal = load_deal(EXAMPLES / f"{name}.yaml").deal
        assert compiled_covers(pool_for(DealGraph(deal), deal.deal.as_of, RiskOptions())), name


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_each_example_gets_the_same_figures_from_both_waterfalls(name):
    deal = load_deal(EXAMPLES / f"{name}.yaml").deal
    options = RiskOptions(paths=6_000, seed=4)  # above waterfall.PATHS_PER_THREAD: the paths run on several threads
    pool = pool_for(DealGraph(deal), deal.deal.as_of, options)
    base, _ = _run(pool, options, stress_for("none", pool), options.paths)
    n = base.collections.shape[0]
    sizes = np.ones((n, len(pool.notes.ids)))
    sizes[:, _senior_cols(pool)] = np.linspace(1e-6, 2.0, n)[:, None]  # the sizing search's per-path senior sizes
    assert_same(pool, Block(base.collections, None, base.wrap_default))
    assert_same(pool, Block(base.collections, None, base.wrap_default), sizes)
    assert_same(pool, Block(base.collections, None, np.zeros_like(base.wrap_default)), sizes)  # providers failed
    stressed, _ = _run(pool, options, stress_for("largest_licensee_default", pool), 2_000)
    assert_same(pool, Block(stressed.collections, None, stressed.wrap_default))


def every_option() -> dict:
    """A structure with every step, consequence and option the waterfall has: a pari passu senior rank (one class
    amortising on the schedule, one passing cash through), a bullet mezzanine class, a residual class, capped and
    uncapped fees, a reserve, overcollateralisation, two wraps with limits, and a covenant of each consequence with
    trailing tests and cure periods."""
    notes = [note("A1", 3_000_000, 0.06, 1), note("A2", 1_500_000, 0.07, 1, amortisation="pass_through"),
             note("M", 1_500_000, 0.09, 2, amortisation="bullet"), note("R", 500_000, 0.0, 3, residual=True)]
    mapping = small_deal(notes, fees=[
        {"id": "trustee-fee", "payee": "trustee", "kind": "trustee", "annual_amount": 60_000, "cap_per_year": 40_000},
        {"id": "servicing", "payee": "orig", "kind": "servicer", "annual_rate": 0.01}],
        credit_enhancement={
            "reserve": {"target_amount": 300_000, "funded_at_close": 150_000},
            "overcollateralisation": 1.1,
            "wraps": [{"provider": "ins", "kind": "insurance", "covers": ["A1", "A2"], "limit": 900_000,
                       "premium_rate": 0.004},
                      {"provider": "gua", "kind": "guarantee", "covers": ["A2", "M"], "limit": 500_000,
                       "premium_rate": 0.002}],
            "triggers": [
                {"test": "dscr", "threshold": 1.05, "periods": 2, "consequence": "rapid_amortisation", "cure_periods": 2},
                {"test": "royalty_vs_forecast", "threshold": 0.8, "consequence": "cash_trap", "trap_share": 0.5,
                 "lookback_periods": 3},
                {"test": "dscr", "threshold": 1.2, "consequence": "sequential_switch", "lookback_periods": 2},
                {"test": "dscr", "threshold": 1.3, "consequence": "interest_deferral", "applies_to": ["M"],
                 "cure_periods": 1}]})
    mapping["parties"] += [
        {"id": "ins", "name": "Insurer", "roles": ["insurer"], "jurisdiction": "US", "rating": "A"},
        {"id": "gua", "name": "Guarantor", "roles": ["guarantor"], "jurisdiction": "US", "rating": "BBB"}]
    return mapping


def revolving() -> dict:
    notes = [note("A", 4_000_000, 0.08, 1), note("VF", 500_000, 0.06, 2, amortisation="pass_through",
                                                   commitment=1_500_000)]
    return small_deal(notes, revolving={"until": "2027-01-01", "eligible_yield": 0.10, "eligible_term_years": 2,
                                        "purchases_per_period": 900_000, "variable_funding_note": "VF"},
                      credit_enhancement={"triggers": [{"test": "dscr", "threshold": 1.1,
                                                        "consequence": "rapid_amortisation"}]})


def pro_rata() -> dict:
    return small_deal([note("A", 3_000_000, 0.05, 1, amortisation="pro_rata"),
                       note("B", 1_500_000, 0.08, 2, amortisation="pro_rata")],
                      credit_enhancement={"triggers": [{"test": "royalty_vs_forecast", "threshold": 0.7,
                                                        "consequence": "sequential_switch", "cure_periods": 2}]})


STRUCTURES = {"every option": every_option, "revolving": revolving, "pro rata": pro_rata}


def _pool(structure: str):
    deal = validate_mapping(STRUCTURES[structure](), "test.yaml").deal
    return pool_for(DealGraph(deal), AS_OF, RiskOptions())


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(structure=st.sampled_from(sorted(STRUCTURES)), seed=st.integers(0, 2**32 - 1),
       per_path_sizes=st.booleans(), zero_share=st.floats(0.0, 0.6), n=st.integers(1, 300))
def test_generated_paths_get_the_same_figures_from_both_waterfalls(structure, seed, per_path_sizes, zero_share, n):
    """Collections from nothing to twice the contract, whole periods lost, wrap providers failing at any period:
    every covenant breaches, cures and breaches again on some path. Any number of paths: the kernel runs them in
    blocks side by side, and a last, partial block must give its paths their own figures."""
    pool = _pool(structure)
    rng = np.random.default_rng(seed)
    T, C = pool.horizon, len(pool.notes.ids)
    collections = pool.expected_total[None, :] * rng.lognormal(0.0, 0.6, (n, T)) * (rng.random((n, T)) >= zero_share)
    wrap_default = rng.integers(0, T + 2, (n, len(pool.wraps)))
    scale = rng.uniform(0.0, 2.0, (n, C)) if per_path_sizes else None
    assert compiled_covers(pool)
    assert_same(pool, Block(collections, None, wrap_default), scale)


@pytest.mark.parametrize("structure", sorted(STRUCTURES))
def test_a_path_gets_its_figures_whatever_paths_run_beside_it(structure):
    """The kernel runs paths in blocks side by side: a path's figures are the same alone, in a partial block, in a
    whole one, and wherever in a block it falls, and they are the NumPy waterfall's."""
    pool = _pool(structure)
    rng = np.random.default_rng(11)
    block_paths = waterfall._kernel.BLOCK_PATHS
    n = 3 * block_paths + 5
    collections = pool.expected_total[None, :] * rng.lognormal(0.0, 0.6, (n, pool.horizon)) \
        * (rng.random((n, pool.horizon)) >= 0.2)
    wrap_default = rng.integers(0, pool.horizon + 2, (n, len(pool.wraps)))
    whole = run_compiled(pool, Block(collections, None, wrap_default))
    for rows in (slice(0, 1), slice(7, 8), slice(0, block_paths - 1), slice(0, block_paths),
                 slice(3, block_paths + 4), slice(block_paths + 1, n)):
        part = run_compiled(pool, Block(collections[rows], None, wrap_default[rows]))
        for field in FIELDS:
            assert getattr(part, field).tobytes() == getattr(whole, field)[rows].tobytes(), (field, rows)
    assert_same(pool, Block(collections, None, wrap_default))


def test_the_generated_structures_reach_each_branch():
    """The structures above are worth testing against: on their generated paths every covenant breaches somewhere,
    wraps pay, the reserve is drawn and some class loses."""
    pool = _pool("every option")
    rng = np.random.default_rng(7)
    collections = pool.expected_total[None, :] * rng.lognormal(0.0, 0.6, (400, pool.horizon)) \
        * (rng.random((400, pool.horizon)) >= 0.3)
    outcome = run_numpy(pool, Block(collections, None, rng.integers(0, pool.horizon + 2, (400, len(pool.wraps)))))
    assert outcome.triggered.any() and not outcome.triggered.all()
    assert (outcome.wrap_paid > 0).any() and (outcome.loss > 0).any() and not (outcome.loss > 0).all()
    assert {t.consequence for t in pool.triggers} == set(waterfall.KERNEL_CONSEQUENCES)
    assert {s.pay for s in pool.steps} == set(waterfall.KERNEL_STEPS)


def test_a_pool_the_kernel_does_not_cover_runs_on_the_numpy_waterfall():
    """Sums across eight or more fees NumPy adds pairwise, in an order the kernel does not copy: such a pool stays on
    the NumPy waterfall, and `run` still gives its figures."""
    pool = _pool("pro rata")
    wide = dataclasses.replace(pool, fees=[FeeInputs(f"fee {i}", 0.001, 1_000.0, np.inf)
                                           for i in range(waterfall.WIDEST_SUM)])
    assert not compiled_covers(wide)
    rng = np.random.default_rng(1)
    block = Block(wide.expected_total[None, :] * rng.lognormal(0.0, 0.5, (50, wide.horizon)), None,
                  np.zeros((50, 0), dtype=np.int64))
    for field in FIELDS:
        assert getattr(run(wide, block), field).tobytes() == getattr(run_numpy(wide, block), field).tobytes()


def _run_in_child(queue) -> None:
    pool = _pool("every option")
    rng = np.random.default_rng(3)
    n = 3 * waterfall.PATHS_PER_THREAD
    block = Block(pool.expected_total[None, :] * rng.lognormal(0.0, 0.5, (n, pool.horizon)), None,
                  rng.integers(0, pool.horizon + 2, (n, len(pool.wraps))))
    queue.put(run(pool, block).loss.sum())


def test_a_forked_process_runs_the_compiled_waterfall_on_threads_of_its_own():
    """Threads do not survive a fork: a worker forked after the parent ran the waterfall on its threads must make
    its own rather than wait for the parent's forever."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    _run_in_child(queue)  # the parent's threads exist now
    expected = queue.get(timeout=60)
    child = context.Process(target=_run_in_child, args=(queue,))
    child.start()
    child.join(timeout=60)
    if child.is_alive():
        child.kill()
    assert child.exitcode == 0, "the forked worker did not finish"
    assert queue.get(timeout=10) == expected
