"""Portfolio throughput on a local Dask cluster against the number of worker processes, in one run.

    python benchmarks/bench_batch.py [--deals 24] [--workers 1,2] [--paths 2000]

The portfolio is the bundled examples copied round-robin into a temporary folder. For each worker count it runs
`ipsa.engine.batch.run_batch` twice, with the risk analysis (--paths paths) and without it (rules only), and prints
one JSON line per run: deals per second (cluster start-up excluded: a warm-up task runs first) and the speed-up over
one worker. A cluster of more machines adds workers the same way (`ipsa batch --scheduler tcp://host:8786`); since a
deal is independent of the others, throughput grows with workers until the scheduler's per-task overhead (a few
milliseconds) or the client's writing of results dominates, so expect near-linear scaling while a deal takes
hundreds of milliseconds or more.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(deals: int, workers: list[int], paths: int) -> None:
    from distributed import Client, LocalCluster

    from ipsa.engine.batch import BatchOptions, assess_file

    examples = sorted((ROOT / "examples").glob("*.yaml"))
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        shutil.copy(ROOT / "examples" / "us_patents.csv", folder)
        files = []
        for n in range(deals):
            source = examples[n % len(examples)]
            target = folder / f"{n:04d}-{source.name}"
            shutil.copy(source, target)
            files.append(str(target))
        baseline: dict[bool, float] = {}
        for count in workers:
            with LocalCluster(n_workers=count, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                    Client(cluster) as client:
                client.gather(client.map(assess_file, files[:count], [BatchOptions(paths=100)] * count, pure=False))
                for risk in (True, False):
                    options = BatchOptions(paths=paths, risk=risk)
                    start = time.perf_counter()
                    rows = client.gather(client.map(assess_file, files, [options] * len(files), pure=False))
                    seconds = time.perf_counter() - start
                    assert all(r["row"]["status"] == "ok" for r in rows)
                    rate = len(files) / seconds
                    baseline.setdefault(risk, rate)
                    print(json.dumps({"workers": count, "risk": risk, "paths": paths if risk else 0, "deals": len(files),
                                      "seconds": round(seconds, 2), "deals_per_s": round(rate, 2),
                                      "speedup_vs_first": round(rate / baseline[risk], 2)}), flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--deals", type=int, default=24)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--paths", type=int, default=2000)
    args = parser.parse_args()
    main(args.deals, [int(w) for w in args.workers.split(",")], args.paths)
