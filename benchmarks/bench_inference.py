"""Rule-inference throughput on the bundled examples, with baselines measured in the same run.

Prints one JSON line:
  inference_deals_per_s   facts already derived; durable_rules session per deal (the adapter's full protocol)
  pipeline_deals_per_s    validate-free pipeline: graph, facts, inference and Assessment per deal
  facts_only_deals_per_s  baseline: graph and facts alone, no inference
  peak_rss_mb             peak resident memory of the process
A plain-Python evaluation of the same rule conditions is added with the full rule base (issue #3).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(rounds: int = 300) -> dict:
    from ipsa.engine.assess import assess, engine
    from ipsa.engine.facts import derive_facts
    from ipsa.engine.graph import DealGraph
    from ipsa.engine.loading import load_deal

    loaded = [load_deal(ROOT / "examples" / f"{n}.yaml") for n in ("cn_licence_special_plan", "us_royalty_llc", "vn_company_spv")]
    prepared = [(derive_facts(DealGraph(d.deal), d.deal.deal.as_of), d.deal.deal.as_of) for d in loaded]
    eng = engine()
    for facts, day in prepared:
        eng.run(facts, day)  # register rule sets outside the timing

    def rate(work) -> float:
        start = time.perf_counter()
        for _ in range(rounds):
            for item in work[1]:
                work[0](item)
        return rounds * len(work[1]) / (time.perf_counter() - start)

    result = {
        "rounds": rounds,
        "inference_deals_per_s": round(rate((lambda p: eng.run(*p), prepared)), 1),
        "pipeline_deals_per_s": round(rate((lambda d: assess(d), loaded)), 1),
        "facts_only_deals_per_s": round(rate((lambda d: derive_facts(DealGraph(d.deal), d.deal.deal.as_of), loaded)), 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
