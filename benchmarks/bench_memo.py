"""Memo rendering time per format on the bundled examples, from one assessment (with its advice) per example.

    python benchmarks/bench_memo.py [ROUNDS]

Prints one JSON line: seconds per memo for md, html, docx and pdf (mean over examples and rounds), the same in
Chinese and beside English (zh_*, en+zh_*: the English figures are their baseline in the same run), the time to read
a language's catalogs once per process, the time to draw one memo's charts alone (SVG, as HTML and PDF need them),
and the peak resident memory. The assessments are
computed once, outside the timing; each memo draws its charts again, in the one format it needs, as the CLI does.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ("cn_licence_special_plan", "us_royalty_llc", "vn_company_spv", "jp_tmk_licence")


def main(rounds: int = 3) -> dict:
    from ipsa.engine.loading import load_deal
    from ipsa.engine.pipeline import Options, run
    from ipsa.reports import charts
    from ipsa.reports import i18n
    from ipsa.reports.content import build
    from ipsa.reports.memo import memo

    prepared = [run(load_deal(ROOT / "examples" / f"{name}.yaml"), Options(paths=2000)) for name in EXAMPLES]
    result: dict = {"rounds": rounds, "examples": len(prepared)}
    for fmt in ("md", "html", "docx", "pdf"):
        start = time.perf_counter()
        size = 0
        for _ in range(rounds):
            for assessment in prepared:
                size += len(memo(assessment, fmt, generated="2026-11-22"))
        result[f"{fmt}_s"] = round((time.perf_counter() - start) / (rounds * len(prepared)), 3)
        result[f"{fmt}_kb"] = round(size / (rounds * len(prepared)) / 1024, 1)
    start = time.perf_counter()
    i18n.entries("zh")
    result["catalog_load_s"] = round(time.perf_counter() - start, 3)
    for language in ("zh", "en+zh"):
        for fmt in ("md", "html", "docx", "pdf"):
            start = time.perf_counter()
            for _ in range(rounds):
                for assessment in prepared:
                    memo(assessment, fmt, generated="2026-11-22", language=language)
            result[f"{language}_{fmt}_s"] = round((time.perf_counter() - start) / (rounds * len(prepared)), 3)
    start = time.perf_counter()
    for _ in range(rounds):
        for assessment in prepared:
            for figure in build(assessment, "2026-11-22").figures():
                charts.draw(figure.key, assessment, "svg")
    result["charts_s"] = round((time.perf_counter() - start) / (rounds * len(prepared)), 3)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
