"""Rule-inference throughput on the bundled examples, beside a plain-Python evaluation of the same conditions,
and a soak run that pushes many assessments through one process.

    python benchmarks/bench_inference.py [ROUNDS] [--soak N]

Prints one JSON line:
  rules                    rules in the rule base
  inference_deals_per_s    facts already derived; durable_rules session per deal (the adapter's full protocol)
  reference_deals_per_s    baseline: the same rule conditions matched by plain-Python loops (engine.reference)
  speedup_vs_reference     inference / reference
  pipeline_deals_per_s     graph, facts, inference and Assessment per deal
  facts_only_deals_per_s   baseline: graph and facts alone, no inference
  peak_rss_mb              peak resident memory of the process
With --soak N, also: soak_assessments, soak_seconds, soak_crashed (always false if it finishes), soak_rss_mb
(current RSS after each tenth of the run) and soak_rss_growth_mb (last tenth minus first).
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ("cn_licence_special_plan", "us_royalty_llc", "vn_company_spv", "jp_tmk_licence")


def current_rss_mb() -> float:
    """Resident memory now (Linux /proc), not the peak: what a leak would make grow."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def main(rounds: int = 300, soak: int = 0) -> dict:
    from ipsa.engine.assess import assess, engine
    from ipsa.engine.facts import derive_facts
    from ipsa.engine.graph import DealGraph
    from ipsa.engine.loading import load_deal
    from ipsa.engine.reference import ReferenceEvaluator
    from ipsa.rules import all_rules

    loaded = [load_deal(ROOT / "examples" / f"{n}.yaml") for n in EXAMPLES]
    prepared = [(derive_facts(DealGraph(d.deal), d.deal.deal.as_of), d.deal.deal.as_of) for d in loaded]
    eng = engine()
    reference = ReferenceEvaluator(eng)
    for facts, day in prepared:
        assert sorted(f.id for f in eng.run(facts, day).findings) == sorted(f.id for f in reference.run(facts, day).findings)

    def rate(work, items) -> float:
        start = time.perf_counter()
        for _ in range(rounds):
            for item in items:
                work(item)
        return rounds * len(items) / (time.perf_counter() - start)

    inference = rate(lambda p: eng.run(*p), prepared)
    baseline = rate(lambda p: reference.run(*p), prepared)
    result = {
        "rules": len(all_rules()),
        "rounds": rounds,
        "inference_deals_per_s": round(inference, 1),
        "reference_deals_per_s": round(baseline, 1),
        "speedup_vs_reference": round(inference / baseline, 2),
        "pipeline_deals_per_s": round(rate(assess, loaded), 1),
        "facts_only_deals_per_s": round(rate(lambda d: derive_facts(DealGraph(d.deal), d.deal.deal.as_of), loaded), 1),
    }
    if soak:
        samples, start = [], time.perf_counter()
        tenth = max(soak // 10, 1)
        for n in range(soak):
            facts, day = prepared[n % len(prepared)]
            eng.run(facts, day)
            if (n + 1) % tenth == 0:
                samples.append(round(current_rss_mb(), 1))
        result.update({
            "soak_assessments": soak, "soak_seconds": round(time.perf_counter() - start, 1), "soak_crashed": False,
            "soak_rss_mb": samples, "soak_rss_growth_mb": round(samples[-1] - samples[0], 1),
        })
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rounds", nargs="?", type=int, default=300)
    parser.add_argument("--soak", type=int, default=0, help="assessments to push through one process")
    args = parser.parse_args()
    main(args.rounds, args.soak)
