"""The enhancement sizing search against the root search it replaced, on the same simulated paths, side by side.

    python benchmarks/bench_sizing.py [--paths 10000] [--seed 0] [--rounds 3] [EXAMPLE ...]

For each example (all by default) the main run's collections are simulated once; then each search sizes the senior
class on them: `per_path` is ipsa's (`_enhancement`: each path's critical size bracketed and narrowed path by path,
confirmed by a run of the whole pool), `root_search` the method it replaced (scipy's brentq on the count of
defaulted paths, then bisections for the interval's ends), kept here verbatim as the baseline. Prints one JSON line
per example: seconds (median of the rounds), waterfall runs and path-runs over the paths, and each method's required
enhancement and its standard error, so a reader sees both the speed-up and how far the answers differ.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from scipy.optimize import brentq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ipsa.engine import risk  # noqa: E402
from ipsa.engine.graph import DealGraph  # noqa: E402
from ipsa.engine.loading import load_deal  # noqa: E402
from ipsa.engine.risk import waterfall  # noqa: E402
from ipsa.engine.risk.simulate import Block  # noqa: E402

EXAMPLES = ROOT / "examples"


def root_search(pool, target_and_source, base):
    """The sizing of ipsa up to November 2026: a root search on the count of defaulted paths (returns the required
    enhancement and its standard error)."""
    target, _ = target_and_source
    block = Block(base.collections, None, np.zeros_like(base.wrap_default))
    cols = risk._senior_cols(pool)
    senior, pv, pv_se = risk.collections_pv(pool, base.collections)
    n = base.collections.shape[0]
    seen: dict[float, int] = {}

    def defaults(size: float) -> int:
        if size not in seen:
            scale = np.ones(len(pool.notes.ids))
            scale[cols] = size / senior
            seen[size] = int(risk._senior_defaults(pool, waterfall.run(pool, block, scale), scale).sum())
        return seen[size]

    def excess(size: float) -> float:
        return defaults(size) / n - target

    low, high = 1e-6 * senior, max(pv, senior) * 1.5
    if excess(low) > 0:
        best = 0.0
    elif excess(high) <= 0:
        best = high
    else:
        best = brentq(excess, low, high, xtol=max(senior * 1e-4, 1.0), maxiter=60)
        while excess(best) > 0 and best > low:
            best *= 0.999

    def largest(level: float) -> float:
        allowed = math.floor(level * n + 1e-9)
        if defaults(low) > allowed:
            return 0.0
        if defaults(high) <= allowed:
            return high
        below = max(s for s, k in seen.items() if k <= allowed)
        above = min(s for s, k in seen.items() if k > allowed and s > below)
        while above - below > max(senior * 1e-3, 1.0):
            middle = 0.5 * (below + above)
            if defaults(middle) <= allowed:
                below = middle
            else:
                above = middle
        return below

    r, s_rank = risk.quantile_ranks(n, target)
    upper = largest((s_rank - 1) / n)
    best_se = (upper - largest((r - 1) / n)) / (2 * risk._Z) if r >= 1 else max(upper - best, 0.0) / risk._Z
    required_se = math.hypot(best_se / pv, best * pv_se / pv**2) if pv > 0 else 0.0
    return (1 - best / pv if pv > 0 else 1.0), required_se


def per_path(pool, target_and_source, base):
    e = risk._enhancement(pool, target_and_source, base)
    return e.required_enhancement, e.required_enhancement_se


class Counting:
    """Counts the waterfall runs and the paths they carry, whoever calls them."""

    def __init__(self):
        self.runs = self.paths = 0
        self.original = waterfall.run

    def __enter__(self):
        def counted(pool, block, *args, **kwargs):
            self.runs += 1
            self.paths += block.collections.shape[0]
            return self.original(pool, block, *args, **kwargs)
        risk.run = waterfall.run = counted
        return self

    def __exit__(self, *_):
        risk.run = waterfall.run = self.original


def measure(method, pool, target, base, rounds: int) -> dict:
    times = []
    for _ in range(rounds):
        with Counting() as counted:
            start = time.perf_counter()
            required, required_se = method(pool, target, base)
            times.append(time.perf_counter() - start)
    n = base.collections.shape[0]
    return {"s": round(statistics.median(times), 3), "runs": counted.runs, "path_runs_per_path": round(counted.paths / n, 2),
            "required": round(required, 6), "required_se": round(required_se, 6)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("examples", nargs="*")
    parser.add_argument("--paths", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    names = args.examples or sorted(p.stem for p in EXAMPLES.glob("*.yaml"))
    for name in names:
        loaded = load_deal(EXAMPLES / f"{name}.yaml")
        g, as_of = DealGraph(loaded.deal), loaded.deal.deal.as_of
        options = risk.RiskOptions(paths=args.paths, seed=args.seed)
        pool = risk.pool_for(g, as_of, options)
        if not pool.licences:
            continue
        base, _ = risk._run(pool, options, risk.stress_for("none", pool), args.paths)
        tenor = (max(n.legal_final for n in loaded.deal.notes) - as_of).days / 365.25
        target = risk._target(pool, g, options, tenor)
        old = measure(root_search, pool, target, base, args.rounds)
        new = measure(per_path, pool, target, base, args.rounds)
        print(json.dumps({"example": name, "paths": args.paths, "root_search": old, "per_path": new,
                          "speedup": round(old["s"] / new["s"], 2) if new["s"] else None,
                          "difference_in_required_over_se": round((new["required"] - old["required"]) / old["required_se"], 2)
                          if old["required_se"] else None}))


if __name__ == "__main__":
    main()
