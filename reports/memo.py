"""One memo in any format, from one assessment (and the advisor's advice, when given)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from ipsa.engine.assessment import Assessment
from ipsa.reports import AREA_TITLES, JURISDICTION_NAMES, render

FORMATS = ("md", "html", "json", "docx", "pdf")
BINARY = ("docx", "pdf")


def memo(assessment: Assessment, fmt: str, *, deal=None, advice=None, templates: Path | None = None,
         docx_template: Path | None = None, generated: str | None = None) -> bytes:
    """The memo as bytes. `deal` (the validated Deal) is needed for the structure chart; `generated` fixes the date
    line (tests pass a date so that the same input gives the same memo)."""
    return memo_and_note(assessment, fmt, deal=deal, advice=advice, templates=templates, docx_template=docx_template,
                         generated=generated)[0]


def memo_and_note(assessment: Assessment, fmt: str, *, deal=None, advice=None, templates: Path | None = None,
                  docx_template: Path | None = None, generated: str | None = None) -> tuple[bytes, str | None]:
    """The memo, and for a PDF what it could not draw on this machine (None if nothing), for the CLI to repeat."""
    from ipsa.reports.charts import memo_charts

    if fmt not in FORMATS:
        raise ValueError(f"unknown memo format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if fmt == "json":
        data = assessment.model_dump(mode="json")
        if advice is not None:
            data["advice"] = advice.model_dump(mode="json")
        return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"), None
    if fmt == "md":
        return render(assessment, "md", templates, advice=advice, generated=generated).encode("utf-8"), None
    charts = memo_charts(assessment, deal) if deal is not None else []
    if fmt == "html":
        return render(assessment, "html", templates, advice=advice, generated=generated, charts=charts).encode("utf-8"), None
    if fmt == "pdf":
        from ipsa.reports.pdf_memo import fallback, write_pdf

        html = render(assessment, "html", templates, advice=advice, generated=generated, charts=charts)
        html, note = fallback(html)
        if note:  # the note goes at the memo's top, so the page is rendered once more with it
            html = render(assessment, "html", templates, advice=advice, generated=generated, charts=charts, font_note=note)
            html, _ = fallback(html)
        return write_pdf(html), note
    from ipsa.reports.docx_memo import build

    return build(assessment, advice=advice, charts=charts, generated=generated or dt.date.today().isoformat(),
                 area_titles=AREA_TITLES, jurisdiction_names=JURISDICTION_NAMES, template=docx_template), None
