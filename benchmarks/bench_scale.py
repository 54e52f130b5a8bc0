"""How a deal's cost grows with its size: one run per size, smallest first as the baseline, side by side.

    python benchmarks/bench_scale.py [--sizes 250:60,1000:250,2000:500] [--paths 2000] [--no-advice]

Each size (patents:licences) is a synthetic deal (`large_deal.py`: the US example's structure) assessed in a fresh
process: reading and validating the YAML, the pipeline (rules, risk with pool selection, advice) and the Markdown memo, each timed, with the
process's peak resident memory. The last columns divide time and memory by the baseline's and by the growth in
patents, so cost growing linearly shows as a ratio near 1 and quadratic cost as a ratio that grows with the size.
Issue #13's goals: 2,000 patents / 500 licences in under 10 s and 500 MB; 10,000 / 5,000 under 60 s and 2 GB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, pathlib, resource, sys, tempfile, time
import yaml
sys.path.insert(0, {bench!r})
from large_deal import large_deal
from ipsa.engine import pipeline
from ipsa.engine.loading import load_deal
from ipsa.reports.memo import memo
patents, licences, paths, advice = {patents}, {licences}, {paths}, {advice}
deal = pathlib.Path(tempfile.mkdtemp()) / "large.yaml"
deal.write_text(yaml.safe_dump(large_deal(patents, licences), sort_keys=False), encoding="utf-8")
t0 = time.perf_counter(); loaded = load_deal(deal)
t1 = time.perf_counter(); assessment = pipeline.run(loaded, pipeline.Options(paths=paths, advice=advice))
t2 = time.perf_counter(); data = memo(assessment, "md", generated="2026-11-25")
t3 = time.perf_counter()
print(json.dumps({{"patents": patents, "licences": licences, "load_s": round(t1 - t0, 2),
                  "pipeline_s": round(t2 - t1, 2), "memo_s": round(t3 - t2, 2), "total_s": round(t3 - t0, 2),
                  "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024), "memo_kb": len(data) // 1024}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="250:60,1000:250,2000:500")
    parser.add_argument("--paths", type=int, default=2000)
    parser.add_argument("--no-advice", action="store_true")
    args = parser.parse_args()
    baseline = None
    for size in args.sizes.split(","):
        patents, licences = (int(x) for x in size.split(":"))
        code = CHILD.format(bench=str(ROOT / "benchmarks"), patents=patents, licences=licences, paths=args.paths,
                            advice=not args.no_advice)
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
        if result.returncode:
            sys.exit(result.stderr)
        row = json.loads(result.stdout.strip().splitlines()[-1])
        baseline = baseline or row
        growth = row["patents"] / baseline["patents"]
        row["time_vs_baseline"] = round(row["total_s"] / baseline["total_s"], 2)
        row["time_per_patent_vs_baseline"] = round(row["time_vs_baseline"] / growth, 2)
        row["memory_vs_baseline"] = round(row["peak_mb"] / baseline["peak_mb"], 2)
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
