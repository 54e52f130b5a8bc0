"""The compiled waterfall against the NumPy waterfall it mirrors, side by side in one run.

    python benchmarks/bench_waterfall.py [--paths 10000] [--rounds 3] [EXAMPLE ...]

For each example (default: the Chinese, Japanese and US ones), on the same simulated paths:
  numpy_ms / compiled_ms / threaded_ms   one waterfall run of every path (the main run) on the NumPy waterfall, on
                                         the compiled one on one thread, and on the compiled one spread over the
                                         cores as `run` does (median of the rounds)
  sizing_*_ms                            the same for a sizing run (each path its own senior size)
  speedup                                numpy_ms over threaded_ms
  end_to_end_numpy_s / end_to_end_s      the typical deal end to end in a fresh process (imports, rules, risk with
                                         the paths asked for, advice, the HTML memo), every waterfall run on NumPy
                                         (`waterfall.COMPILED = False`) and as shipped; the fastest of the rounds
Both waterfalls give every path the same figures to the last bit (tests/test_waterfall_kernel.py); this measures only
their speed. Issue #13's goal for the typical deal end to end is 2 s on the 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

END_TO_END = r"""
import sys, time
start = time.perf_counter()
from ipsa.engine.risk import waterfall
waterfall.COMPILED = {compiled}
from ipsa.engine import pipeline
from ipsa.engine.loading import load_deal
from ipsa.reports.memo import memo_and_note
assessment = pipeline.run(load_deal({deal!r}), pipeline.Options(paths={paths}, seed=0))
memo_and_note(assessment, "html")
print(time.perf_counter() - start)
"""


def _median_ms(call, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return round(statistics.median(times) * 1000, 1)


def main(names: list[str], paths: int, rounds: int) -> list[dict]:
    import numpy as np

    from ipsa.engine.graph import DealGraph
    from ipsa.engine.loading import load_deal
    from ipsa.engine.risk import RiskOptions, _run, _senior_cols, pool_for, stress_for, waterfall
    from ipsa.engine.risk.simulate import Block

    assert waterfall._kernel is not None, "the compiled waterfall is not built: pip install -e ."
    rows = []
    for name in names:
        path = ROOT / "examples" / f"{name}.yaml"
        deal = load_deal(path).deal
        options = RiskOptions(paths=paths, seed=0)
        pool = pool_for(DealGraph(deal), deal.deal.as_of, options)
        base, _ = _run(pool, options, stress_for("none", pool), paths)
        block = Block(base.collections, None, base.wrap_default)
        sizes = np.ones((paths, len(pool.notes.ids)))
        sizes[:, _senior_cols(pool)] = np.linspace(0.01, 1.5, paths)[:, None]
        sizing = Block(base.collections, None, np.zeros_like(base.wrap_default))
        one_thread = waterfall.PATHS_PER_THREAD
        row = {"example": name, "paths": paths}
        for label, blk, scale in (("", block, None), ("sizing_", sizing, sizes)):
            row[f"{label}numpy_ms"] = _median_ms(lambda: waterfall.run_numpy(pool, blk, scale), rounds)
            waterfall.PATHS_PER_THREAD = paths  # every path on one thread
            row[f"{label}compiled_ms"] = _median_ms(lambda: waterfall.run_compiled(pool, blk, scale), rounds)
            waterfall.PATHS_PER_THREAD = one_thread
            row[f"{label}threaded_ms"] = _median_ms(lambda: waterfall.run_compiled(pool, blk, scale), rounds)
        row["speedup"] = round(row["numpy_ms"] / row["threaded_ms"], 2)
        for key, compiled in (("end_to_end_numpy_s", False), ("end_to_end_s", True)):
            code = END_TO_END.format(compiled=compiled, deal=str(path), paths=paths)
            row[key] = round(min(float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                                      check=True).stdout) for _ in range(rounds)), 2)
        print(json.dumps(row), flush=True)
        rows.append(row)
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("examples", nargs="*", default=["cn_licence_special_plan", "jp_tmk_licence", "us_royalty_llc"])
    parser.add_argument("--paths", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    main(args.examples, args.paths, args.rounds)
