"""Risk results reused for identical inputs: the same figures with and without the cache, and a change anywhere in
the inputs never served from it."""

from __future__ import annotations

import dataclasses
import threading

import numpy as np
import pytest

from ipsa.engine import pipeline
from ipsa.engine.loading import load_deal
from ipsa.engine.risk import RISK_CACHE, SIMULATION_CACHE
from ipsa.engine.risk.cache import fingerprint
from tests.conftest import EXAMPLES


@dataclasses.dataclass
class _Pool:
    base: np.ndarray
    names: list[str]


def test_a_fingerprint_changes_with_any_input_and_only_then():
    pool = _Pool(np.array([1.0, 2.0, 3.0]), ["a", "b"])
    same = _Pool(np.array([1.0, 2.0, 3.0]), ["a", "b"])
    assert fingerprint(pool, 2000, "none") == fingerprint(same, 2000, "none")
    changed = _Pool(np.array([1.0, 2.0, 3.0000001]), ["a", "b"])
    assert fingerprint(changed, 2000, "none") != fingerprint(pool, 2000, "none")
    assert fingerprint(_Pool(pool.base.astype(np.float32), ["a", "b"])) != fingerprint(pool)  # dtype counts
    assert fingerprint(_Pool(pool.base.reshape(3, 1), ["a", "b"])) != fingerprint(pool)  # shape counts
    assert fingerprint(pool, 2000) != fingerprint(pool, 2001)
    assert fingerprint(pool, [1, 2]) != fingerprint(pool, [[1], 2])  # nesting counts
    assert fingerprint(lambda: 0) is None  # what cannot be described is computed afresh, never matched


def _assessment_json(name: str, cache_size: int) -> tuple[str, int]:
    """The assessment with both caches of `cache_size` (0: nothing reused), and how often the risk cache served."""
    for cache in (RISK_CACHE, SIMULATION_CACHE):
        cache.clear()
        cache.size = cache_size
    try:
        assessment = pipeline.run(load_deal(EXAMPLES / name), pipeline.Options(paths=400))
        return assessment.model_dump_json(), RISK_CACHE.hits
    finally:
        RISK_CACHE.size, SIMULATION_CACHE.size = 8, 12
        RISK_CACHE.clear()
        SIMULATION_CACHE.clear()


def test_the_advisors_variants_reuse_the_base_risk_and_every_figure_is_unchanged():
    with_cache, hits = _assessment_json("cn_licence_special_plan.yaml", 8)
    without_cache, no_hits = _assessment_json("cn_licence_special_plan.yaml", 0)
    assert hits > 0 and no_hits == 0
    assert with_cache == without_cache


def test_a_change_to_the_notes_runs_its_waterfall_on_the_same_simulated_paths():
    """A variant that changes only what the waterfall reads (the notes here) reuses the base's simulated paths, and
    its figures equal those of a run that simulated them afresh; a change to the cash simulates anew."""
    from ipsa.engine.advisor.changes import Change, revalidate

    loaded = load_deal(EXAMPLES / "cn_licence_special_plan.yaml")
    options = pipeline.Options(paths=300, advice=False)
    thicker = revalidate(loaded, [Change(set="notes[senior].amount", value=70_000_000)], "thicker")
    SIMULATION_CACHE.clear()
    RISK_CACHE.clear()
    base = pipeline.run(loaded, options).risk
    reused_before = SIMULATION_CACHE.hits
    reused = pipeline.run(thicker, options).risk
    assert SIMULATION_CACHE.hits >= reused_before + 4  # the main run and each of its three stresses
    SIMULATION_CACHE.clear()
    RISK_CACHE.clear()
    fresh = pipeline.run(thicker, options).risk
    assert reused.model_dump() == fresh.model_dump()
    richer = revalidate(loaded, [Change(set="licences[lic-yuanwei].royalty.rate", value=0.09)], "richer")
    assert pipeline.run(richer, options).risk.collections_mean != base.collections_mean
    SIMULATION_CACHE.clear()
    RISK_CACHE.clear()


def test_a_guarantee_added_leaves_every_path_of_royalties_as_it_was():
    """The wrap providers draw from a stream of their own: the advisor's proposed guarantee is judged on the deal's
    own paths (common random numbers), so the royalties are the same to the last bit and only the notes' figures move."""
    from ipsa.engine.advisor.changes import Change, revalidate

    loaded = load_deal(EXAMPLES / "cn_licence_special_plan.yaml")
    options = pipeline.Options(paths=500, advice=False)
    wrap = {"provider": "insurer", "kind": "insurance", "covers": ["senior"], "premium_rate": 0.005}
    insured = revalidate(loaded, [
        Change(append="parties", value={"id": "insurer", "name": "Insurer", "roles": ["insurer"], "jurisdiction": "US",
                                        "rating": "AA"}),
        Change(append="credit_enhancement.wraps", value=wrap)], "insured")
    for cache in (RISK_CACHE, SIMULATION_CACHE):
        cache.clear()
    before, after = pipeline.run(loaded, options).risk, pipeline.run(insured, options).risk
    for field in ("collections_mean", "collections_p5", "collections_p50", "collections_p95"):
        assert getattr(after, field) == getattr(before, field), field
    assert after.classes[0].pd <= before.classes[0].pd


def test_a_change_to_the_cash_is_not_served_from_the_cache():
    loaded = load_deal(EXAMPLES / "us_royalty_llc.yaml")
    options = pipeline.Options(paths=300, advice=False)
    RISK_CACHE.clear()
    first = pipeline.run(loaded, options).risk
    from ipsa.engine.advisor.changes import Change, revalidate
    richer = revalidate(loaded, [Change(set="licences[lic-arbor].royalty.rate", value=0.09)], "richer")
    second = pipeline.run(richer, options).risk
    assert RISK_CACHE.hits == 0
    assert second.collections_mean != first.collections_mean
    again = pipeline.run(loaded, options).risk
    assert RISK_CACHE.hits == 1 and again.model_dump() == first.model_dump()
    RISK_CACHE.clear()


def test_a_large_pool_is_selected_from_a_shortlist_and_its_shares_are_exact():
    """Over SELECTION_EXACT licences each round runs only the shortlisted removals through the waterfall; the
    concentration shares are the licences' expected royalties split evenly over their patents."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from large_deal import large_deal

    from ipsa.engine.loading import validate_mapping
    from ipsa.engine.risk import SELECTION_EXACT

    mapping = large_deal(patents=3 * (SELECTION_EXACT + 10), licences=SELECTION_EXACT + 10)
    assessment = pipeline.run(validate_mapping(mapping), pipeline.Options(paths=300, advice=False))
    selection = assessment.risk.selection
    assert "removals that most raise collections" in selection.why and "fits" not in selection.why
    royalties: dict[str, float] = {}
    for licence in mapping["licences"]:
        royalties[licence["licensee"]] = royalties.get(licence["licensee"], 0.0) + licence["royalty"]["expected_annual_base"]
    assert abs(selection.take_all_top_shares["licensee"] - max(royalties.values()) / sum(royalties.values())) < 1e-6


@pytest.mark.parametrize("name", ["cn_licence_special_plan", "cn_ip_loans_special_plan", "us_music_catalogue",
                                  "us_royalty_llc"])
def test_a_block_computed_in_chunks_of_paths_gives_the_same_numbers(monkeypatch, name):
    """A pool too large for one block in memory is simulated in chunks of paths, its random numbers drawn in the same
    stream: every collection and every licence's cash is the same as computed at once."""
    import importlib

    from ipsa.engine.graph import DealGraph
    from ipsa.engine.risk import inputs
    from ipsa.engine.risk.screening import screen

    simulate = importlib.import_module("ipsa.engine.risk.simulate")  # the module, not the package's function

    loaded = load_deal(EXAMPLES / f"{name}.yaml")
    g = DealGraph(loaded.deal)
    day = loaded.deal.deal.as_of
    pool = inputs.build(g, day, screen(g, day, frozenset(), False), 4)
    stress = simulate.Stress("destocking", sales_multiplier=0.6, sales_start=2, sales_periods=4, default_licensee=0, default_at=3) if name == "us_royalty_llc" \
        else simulate.NO_STRESS
    whole = simulate.simulate_block(pool, 3, 1, 700, stress, keep_licences=True)
    cells = len(pool.licences) * pool.horizon * 5 + len(pool.patents) * 64  # shocks, a paying flag, patent arrays
    monkeypatch.setattr(simulate, "CHUNK_BYTES", cells * 300)  # 300 paths at a time: shocks and patent uniforms
    assert simulate.chunk_rows(len(pool.licences), pool.horizon, len(pool.patents)) == 300
    chunked = simulate.simulate_block(pool, 3, 1, 700, stress, keep_licences=True)
    assert np.array_equal(whole.collections, chunked.collections)
    assert np.array_equal(whole.by_licence, chunked.by_licence)
    assert np.array_equal(whole.wrap_default, chunked.wrap_default)


@pytest.mark.parametrize("name", ["cn_licence_special_plan", "us_royalty_llc", "cn_ip_loans_special_plan"])
def test_runs_simulated_together_are_each_the_run_simulated_alone(monkeypatch, name):
    """A report's main run and its stresses are simulated in one pass, the random numbers drawn once: each run's
    collections, licensee defaults and kept licence cash are bit for bit those of the run simulated alone, whatever
    its number of paths and in chunks of paths too."""
    import importlib

    from ipsa.engine.graph import DealGraph
    from ipsa.engine.risk import inputs, parse_stress
    from ipsa.engine.risk.screening import screen

    simulate = importlib.import_module("ipsa.engine.risk.simulate")
    loaded = load_deal(EXAMPLES / f"{name}.yaml")
    g = DealGraph(loaded.deal)
    day = loaded.deal.deal.as_of
    pool = inputs.build(g, day, screen(g, day, frozenset(), False), 4)
    runs = [(simulate.NO_STRESS, 300), (parse_stress("destocking", pool), 700), (parse_stress("largest_patent_invalid", pool), 450),
            (parse_stress("largest_licensee_default", pool), 700),
            (simulate.Stress("all", sales_multiplier=0.5, touches="all", sales_periods=None,
                             kill_patent=0 if pool.patents else None, default_wraps=True), 120),
            (simulate.Stress("unstressed"), 700), (parse_stress("largest_licensee_default", pool), 900)]
    reference, served, partial, whole = simulate._plan(runs, [simulate._touched_licences(pool, s) for s, _ in runs],
                                                       len(pool.licences))
    # Every way of computing a run is exercised: the reference (the unstressed run on the most paths) serving the
    # unstressed run that keeps its licences' cash, runs computing only the licensee's licences, and whole runs.
    assert reference == 5 and 0 in served and 3 in partial and {1, 4, 6} <= set(whole)
    keeping = [(parse_stress("largest_licensee_default", pool), 300)] + runs[1:]
    kept = simulate.simulate_runs(pool, 5, 2, keeping, keep_licences=True)[0]  # a kept run computes every licence
    assert np.array_equal(kept.by_licence, simulate.simulate_paths(pool, 5, 2, 300, keeping[0][0], True).by_licence)
    for chunk in (None, 200):
        if chunk:
            cells = len(pool.licences) * pool.horizon * 5 + len(pool.patents) * 64
            monkeypatch.setattr(simulate, "CHUNK_BYTES", cells * chunk)
        together = simulate.simulate_runs(pool, 5, 2, runs, keep_licences=True)
        for index, ((stress, n), joint) in enumerate(zip(runs, together)):
            alone = simulate.simulate_paths(pool, 5, 2, n, stress, keep_licences=index == 0)
            assert np.array_equal(joint.collections, alone.collections), (stress.name, chunk)
            assert np.array_equal(joint.default_at, alone.default_at)
            assert np.array_equal(joint.latent, alone.latent) and np.array_equal(joint.economy, alone.economy)
            assert (joint.by_licence is None) == (index != 0)
            if index == 0:
                assert np.array_equal(joint.by_licence, alone.by_licence)
        assert not np.array_equal(together[3].collections[:300], together[0].collections)  # the stresses do bite
        assert np.array_equal(together[6].collections[:700], together[3].collections)  # more paths than the reference


@pytest.mark.parametrize("name", ["us_royalty_llc", "cn_ip_loans_special_plan"])
def test_shocks_drawn_ahead_on_another_thread_are_the_shocks_drawn_in_turn(monkeypatch, name):
    """A pool simulated in chunks of paths has each chunk's sales shocks drawn on another thread while the chunk
    before is computed: every run's collections and kept licence cash are bit for bit those drawn in turn on one
    thread (whatever the machine's cores: the test gives the simulation a thread of its own, then none)."""
    import importlib
    from concurrent.futures import ThreadPoolExecutor

    from ipsa.engine.graph import DealGraph
    from ipsa.engine.risk import inputs, parse_stress
    from ipsa.engine.risk.screening import screen

    simulate = importlib.import_module("ipsa.engine.risk.simulate")
    loaded = load_deal(EXAMPLES / f"{name}.yaml")
    g = DealGraph(loaded.deal)
    day = loaded.deal.deal.as_of
    pool = inputs.build(g, day, screen(g, day, frozenset(), False), 4)
    runs = [(simulate.NO_STRESS, 700), (parse_stress("destocking", pool), 500),
            (parse_stress("largest_licensee_default", pool), 700)]
    cells = len(pool.licences) * pool.horizon * 5 + len(pool.patents) * 64
    monkeypatch.setattr(simulate, "CHUNK_BYTES", cells * 260)  # chunks of 130 paths: six of them
    threads_drawing = []
    draw = simulate._ShocksAhead._draw

    def recorded(self, chunk):
        threads_drawing.append(threading.current_thread().name)
        return draw(self, chunk)

    monkeypatch.setattr(simulate._ShocksAhead, "_draw", recorded)
    results = {}
    with ThreadPoolExecutor(1, thread_name_prefix="ahead") as ahead:
        for threads in (ahead, None):
            threads_drawing.clear()
            monkeypatch.setattr(simulate, "core_threads", lambda threads=threads: threads)
            results[threads is not None] = simulate.simulate_runs(pool, 7, 1, runs, keep_licences=True)
            drawn_ahead = sum(name.startswith("ahead") for name in threads_drawing)
            assert len(threads_drawing) == 6 and drawn_ahead == (5 if threads else 0), threads_drawing
    ahead_runs, in_turn = results[True], results[False]
    for joint, alone in zip(ahead_runs, in_turn):
        assert np.array_equal(joint.collections, alone.collections)
    assert np.array_equal(ahead_runs[0].by_licence, in_turn[0].by_licence)
    assert not np.array_equal(ahead_runs[2].collections, ahead_runs[0].collections)  # the stresses bite


def test_a_report_simulates_its_main_run_and_stresses_in_one_pass():
    """The report's stresses are simulated beside its main run, once each, and an advisor's variant that changes only
    the notes reuses every one of them."""
    from ipsa.engine.graph import DealGraph
    from ipsa.engine.risk import RiskOptions, analyse

    deal = load_deal(EXAMPLES / "cn_licence_special_plan.yaml").deal
    SIMULATION_CACHE.clear()
    RISK_CACHE.clear()
    options = RiskOptions(paths=6000, select=False)
    first = analyse(DealGraph(deal), deal.deal.as_of, options)
    assert len(SIMULATION_CACHE._items) == 1 + len(first.stresses)
    hits = SIMULATION_CACHE.hits
    assert hits == len(first.stresses)  # each stress's paths came from the pass that simulated the main run
    notes = [n.model_copy(update={"amount": n.amount * 0.9}) for n in deal.notes]
    RISK_CACHE.clear()
    analyse(DealGraph(deal.model_copy(update={"notes": notes})), deal.deal.as_of, options)
    assert SIMULATION_CACHE.hits == hits + 1 + len(first.stresses) and len(SIMULATION_CACHE._items) == 1 + len(first.stresses)
    SIMULATION_CACHE.clear()


@pytest.mark.parametrize("select", [True, False])
def test_progress_counts_the_paths_as_they_are_simulated(select):
    """A terminal's progress shows the paths as the simulation makes them, from its start: with pool selection, in
    the pass that simulates the selection's and the report's paths together (most of a large pool's time), not
    only once it is over. The count never goes back and ends at the paths asked for."""
    from ipsa.engine.graph import DealGraph
    from ipsa.engine.risk import RiskOptions, analyse

    deal = load_deal(EXAMPLES / "cn_licence_special_plan.yaml").deal
    SIMULATION_CACHE.clear()
    RISK_CACHE.clear()
    seen: list[tuple[int, int]] = []
    analyse(DealGraph(deal), deal.deal.as_of, RiskOptions(paths=5000, seed=2, select=select, selection_paths=1000,
                                                          progress=lambda done, total: seen.append((done, total))))
    SIMULATION_CACHE.clear()
    RISK_CACHE.clear()
    done = [d for d, _ in seen]
    assert {t for _, t in seen} == {5000} and done[-1] == 5000 and done == sorted(done)
    assert [d for d in done if d < 5000] == [2048, 4096]  # one report per simulated block of the main run


def test_a_pool_too_large_for_memory_is_selected_on_fewer_paths_and_says_so(monkeypatch):
    import sys
    from pathlib import Path

    import ipsa.engine.risk as risk

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from large_deal import large_deal

    from ipsa.engine.loading import validate_mapping

    mapping = large_deal(patents=120, licences=60)
    loaded = validate_mapping(mapping)
    horizon = len(pipeline.run(loaded, pipeline.Options(paths=200, advice=False)).risk.period_ends)
    monkeypatch.setattr(risk, "SELECTION_BYTES", 60 * horizon * 4 * 250)  # room for 250 paths of every licence
    RISK_CACHE.clear()
    selection = pipeline.run(validate_mapping(large_deal(patents=120, licences=60)),
                             pipeline.Options(paths=400, advice=False)).risk.selection
    assert "the selection ran on 250 paths" in selection.why


def test_the_guarantor_stress_runs_on_the_deals_own_paths_when_no_provider_is_a_licensee():
    """Every provider failing touches no royalty unless a provider is also a licensee: the stress then reuses the
    main run's paths (its figures are those of a fresh simulation, as the golden files check)."""
    from ipsa.engine.graph import DealGraph
    from ipsa.engine.risk import NO_STRESS, RiskOptions, _paths_keys, analyse, pool_for, stress_for

    deal = load_deal(EXAMPLES / "us_royalty_llc.yaml").deal
    assert deal.credit_enhancement.wraps and not {w.provider for w in deal.credit_enhancement.wraps} & {
        lic.licensee for lic in deal.licences}
    SIMULATION_CACHE.clear()
    RISK_CACHE.clear()
    options = RiskOptions(paths=1000, select=False)
    report = analyse(DealGraph(deal), deal.deal.as_of, options)
    assert "guarantor_default" in {s.name for s in report.stresses}
    pool = pool_for(DealGraph(deal), deal.deal.as_of, options)
    (main, _), (guarantor, _) = _paths_keys(pool, options,
                                            [(NO_STRESS, 1000), (stress_for("guarantor_default", pool), 1000)])
    assert guarantor == main
    assert len(SIMULATION_CACHE._items) == 4  # the main run and three stresses' paths: the guarantor's are the main's
    SIMULATION_CACHE.clear()


def test_a_cache_keeps_no_more_than_its_byte_bound_but_always_the_newest():
    from ipsa.engine.risk.cache import ResultCache

    cache = ResultCache(size=10, max_bytes=3_000_000)
    for k in range(5):
        cache.get_or_compute(f"k{k}", lambda: np.zeros(100_000))  # 800 kB each
    assert list(cache._items) == ["k2", "k3", "k4"]
    huge = ResultCache(size=10, max_bytes=1_000)
    huge.get_or_compute("big", lambda: np.zeros(1_000))
    assert list(huge._items) == ["big"]  # one result over the bound is still kept: the run that made it reuses it
    again = huge.get_or_compute("big", lambda: pytest.fail("recomputed"))
    assert again.shape == (1_000,) and huge.hits == 1
