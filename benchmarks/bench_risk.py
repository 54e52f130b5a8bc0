"""Risk simulator speed and memory, measured in one run on the same inputs.

    python benchmarks/bench_risk.py [--paths 100000] [--licences 50] [--quarters 40] [--python-paths 60]

The pool is synthetic: `licences` licensees, each with one patent and a royalty on sales, spread over five
technology groups, with `quarters` quarterly periods and a two-class note. Prints one JSON line:
  cells_per_s          licence x period x path cells per second of the simulator (collections and waterfall)
  python_cells_per_s   the same collection model as plain-Python loops (random.gauss), on fewer paths
  speedup_vs_python    cells_per_s against python_cells_per_s, counting only the collection model on both sides
  rng_floor_s          seconds to draw, with numpy, the same random numbers the simulator draws
  cost_vs_rng_floor    simulator seconds (collections and waterfall) over rng_floor_s
  peak_rss_mb          peak resident memory of the process (the whole run)
Targets on the 2-core machine: speed-up >= 50, cost <= 3x the floor, 100,000 x 40 x 50 under 1 GB.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import math
import random
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def synthetic_deal(licences: int, quarters: int) -> dict:
    start = dt.date(2026, 1, 1)
    final = dt.date(2026 + quarters // 4, 1, 1)
    parties = [{"id": "orig", "name": "Originator", "roles": ["originator", "licensor"], "jurisdiction": "US"},
               {"id": "spv", "name": "SPV", "roles": ["spv"], "jurisdiction": "US", "entity_type": "llc"}]
    patents, lics = [], []
    ratings = ["A", "BBB+", "BBB", "BBB-", "BB+"]
    for k in range(licences):
        parties.append({"id": f"lee{k}", "name": f"Licensee {k}", "roles": ["licensee"], "jurisdiction": "US",
                        "rating": ratings[k % len(ratings)]})
        patents.append({"id": f"p{k}", "office": "US", "number": f"US {k}", "title": "t", "owner": "orig", "status": "granted",
                        "filing_date": "2020-01-01", "grant_date": "2022-01-01",
                        "expiry_date": (final if k % 4 else dt.date(2026 + quarters // 8, 6, 30)).isoformat(),
                        "technology": f"T{k % 5}", "family": f"F{k}",
                        **({"challenges": [{"kind": "inter_partes_review", "status": "pending"}]} if k % 10 == 0 else {})})
        lics.append({"id": f"lic{k}", "licensor": "orig", "licensee": f"lee{k}", "patents": [f"p{k}"], "territory": ["US"],
                     "start": "2025-01-01", "end": final.isoformat(),
                     "royalty": {"rate": 0.05, "base": "net_sales", "expected_annual_base": 20_000_000, "frequency": "quarterly"},
                     "pays_to": "acc"})
    annual = licences * 1_000_000
    return {
        "schema_version": 1,
        "deal": {"name": "Benchmark", "as_of": start.isoformat(), "governing_law": "US", "currency": "USD", "client": "c", "counsel": "k"},
        "parties": parties, "patents": patents, "licences": lics,
        "transfers": [{"id": "t", "from": "orig", "to": "spv", "method": "sale", "receivables": [l["id"] for l in lics],
                       "date": "2025-12-31"}],
        "spv": {"party": "spv", "form": "us_delaware_llc", "jurisdiction": "US-DE"},
        "notes": [{"id": "A", "amount": annual * quarters / 4 * 0.55, "coupon": 0.05, "seniority": 1, "legal_final": final.isoformat()},
                  {"id": "B", "amount": annual * quarters / 4 * 0.10, "coupon": 0.08, "seniority": 2, "legal_final": final.isoformat()}],
        "credit_enhancement": {"reserve": {"target_months_interest": 6, "funded_at_close": annual * 0.1},
                               "triggers": [{"test": "dscr", "threshold": 1.3, "periods": 2, "consequence": "rapid_amortisation"}]},
        "accounts": [{"id": "acc", "holder": "spv", "kind": "collection"}],
        "regulation": {"offering": "rule_144a"},
    }


def python_collections(pool, paths: int, seed: int) -> list[list[float]]:
    """The simulator's collection model, path by path, licence by licence, period by period, in plain Python."""
    from ipsa.engine.risk import defaults as D

    rnd = random.Random(seed)
    T, L, G = pool.horizon, len(pool.licences), len(pool.groups)
    dt_ = 1.0 / pool.periods_per_year
    rho = D.SALES_FACTOR_CORRELATION.value
    share = pool.sales_systemic
    out = []
    for _ in range(paths):
        factor = [[rnd.gauss(0, 1) for _ in range(T)] for _ in range(G)]
        common = [rnd.gauss(0, 1) for _ in range(G)]
        economy_sales = [rnd.gauss(0, 1) for _ in range(T)]
        economy = rnd.gauss(0, 1)
        latents = []
        for k in range(len(pool.licensees)):
            corr, systemic = pool.licensee_corr[k], pool.licensee_systemic[k]
            latents.append(math.sqrt(systemic) * economy + math.sqrt(corr - systemic) * common[pool.licensee_group[k]]
                           + math.sqrt(1 - corr) * rnd.gauss(0, 1))
        default_at = []
        for k in range(len(pool.licensees)):
            u = 0.5 * math.erfc(-latents[pool.licensee_obligor[k]] / math.sqrt(2))
            pp = 1 - (1 - pool.licensee_pd[k]) ** dt_
            default_at.append(min(math.floor(-math.log1p(-u) / -math.log1p(-pp)), T) if pp > 0 else T)
        death = []
        for p in range(len(pool.patents)):
            d = int(pool.expiry_period[p])
            if pool.invalid_window[p] > 0:
                if rnd.random() < pool.invalid_prob[p]:
                    d = min(d, int(rnd.random() * pool.invalid_window[p]))
            elif pool.invalid_hazard[p] > 0:
                d = min(d, min(math.floor(-math.log1p(-rnd.random()) / -math.log1p(-pool.invalid_hazard[p])), T))
            death.append(d)
        totals = [0.0] * T
        for l in range(L):
            sigma, mu, g = pool.sigma[l], pool.mu[l], pool.licence_group[l]
            patents = [p for p in range(len(pool.patents)) if pool.incidence[l, p]]
            first, last = min(death[p] for p in patents), max(death[p] for p in patents)
            span = 8 * pool.periods_per_year / 4
            log_sales = 0.0
            for t in range(T):
                shock = (math.sqrt(rho * share) * economy_sales[t] + math.sqrt(rho * (1 - share)) * factor[g][t]
                         + math.sqrt(1 - rho) * rnd.gauss(0, 1))
                log_sales += (mu - 0.5 * sigma * sigma) * dt_ + sigma * math.sqrt(dt_) * shock
                erosion = 1.0 - D.EROSION_AT_TWO_YEARS.value * min(max((t - first + 1) / span, 0.0), 1.0)
                sales = math.exp(log_sales) if pool.sales_exposed[l] else 1.0
                royalty = max(pool.base[l] * sales * erosion, pool.floor[l])
                alive = t < last and t < default_at[pool.licence_licensee[l]] and pool.active[l, t]
                totals[t] += royalty if alive else 0.0
        out.append(totals)
    return out


def main(paths: int, licences: int, quarters: int, python_paths: int) -> dict:
    from ipsa.engine.graph import DealGraph
    from ipsa.engine.loading import validate_mapping
    from ipsa.engine.risk.inputs import build
    from ipsa.engine.risk.screening import screen
    from ipsa.engine.risk.simulate import BLOCK, blocks, simulate, simulate_block
    from ipsa.engine.risk.waterfall import run

    deal = validate_mapping(synthetic_deal(licences, quarters), "synthetic.yaml", ROOT / "examples").deal
    g = DealGraph(deal)
    pool = build(g, deal.deal.as_of, screen(g, deal.deal.as_of))
    L, T, G, P, K, W = len(pool.licences), pool.horizon, len(pool.groups), len(pool.patents), len(pool.licensees), len(pool.wraps)
    cells = paths * L * T

    start = time.perf_counter()
    for block in simulate(pool, paths, seed=1):
        run(pool, block)
    simulator_s = time.perf_counter() - start

    start = time.perf_counter()
    collections.deque(simulate(pool, paths, seed=1), maxlen=0)  # the collection model alone, no waterfall
    collections_s = time.perf_counter() - start

    start = time.perf_counter()
    cells_buffer = np.empty((BLOCK, L, T), dtype=np.float32)
    for b, n in blocks(paths):  # the same numbers from the same three streams, shapes and types; nothing else
        shocks, draws, providers = (np.random.Generator(np.random.PCG64(np.random.SeedSequence(e)))
                                    for e in ([1, b], [1, b, 1], [1, b, 2]))
        shocks.standard_normal(dtype=np.float32, out=cells_buffer[:n])
        draws.standard_normal((BLOCK, G, T)); draws.standard_normal((BLOCK, G)); draws.standard_normal((BLOCK, K))
        draws.random((BLOCK, P)); draws.random((BLOCK, P)); draws.random((BLOCK, P))
        draws.standard_normal((BLOCK, T)); draws.standard_normal(BLOCK); providers.random((BLOCK, W))
    rng_floor_s = time.perf_counter() - start

    start = time.perf_counter()
    reference = python_collections(pool, python_paths, seed=1)
    python_s = time.perf_counter() - start
    numpy_mean = simulate_block(pool, 1, 0, min(paths, BLOCK)).collections.mean()
    python_mean = float(np.mean(reference))

    result = {
        "paths": paths, "licences": L, "quarters": T,
        "cells_per_s": round(cells / simulator_s),
        "collection_cells_per_s": round(cells / collections_s),
        "python_cells_per_s": round(python_paths * L * T / python_s),
        "speedup_vs_python": round((cells / collections_s) / (python_paths * L * T / python_s), 1),
        "simulator_s": round(simulator_s, 2), "rng_floor_s": round(rng_floor_s, 2),
        "cost_vs_rng_floor": round(simulator_s / rng_floor_s, 2),
        "mean_collection_numpy_vs_python": round(numpy_mean / python_mean, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paths", type=int, default=100_000)
    parser.add_argument("--licences", type=int, default=50)
    parser.add_argument("--quarters", type=int, default=40)
    parser.add_argument("--python-paths", type=int, default=60)
    args = parser.parse_args()
    main(args.paths, args.licences, args.quarters, args.python_paths)
