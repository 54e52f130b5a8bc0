"""One memo in any format, from one assessment: the content is built once (content.py) and walked by each renderer."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from ipsa.engine.assessment import Assessment
from ipsa.reports import render_template
from ipsa.reports.content import CHART_PLACES, Memo, bilingual, build
from ipsa.reports.i18n import Translator

FORMATS = ("md", "html", "json", "docx", "pdf")
BINARY = ("docx", "pdf")
TEMPLATES = {"md": "memo.md.j2", "html": "memo.html.j2"}


def memo(assessment: Assessment, fmt: str, *, templates: Path | None = None, docx_template: Path | None = None,
         generated: str | None = None, quotes: bool = False, language: str = "en") -> bytes:
    """The memo as bytes. `generated` fixes the date line (tests pass a date so the same input gives the same memo);
    `quotes` puts the sources' own words in the table of authorities; `language` is en, zh, vi or ja."""
    return memo_and_note(assessment, fmt, templates=templates, docx_template=docx_template, generated=generated,
                         quotes=quotes, language=language)[0]


def memo_and_note(assessment: Assessment, fmt: str, *, templates: Path | None = None, docx_template: Path | None = None,
                  generated: str | None = None, quotes: bool = False, language: str = "en") -> tuple[bytes, str | None]:
    """The memo, and for a PDF or a Word memo what it could not draw on this machine (None if nothing), for the CLI
    to repeat."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown memo format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if fmt == "json":
        return (json.dumps(assessment.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n").encode("utf-8"), None
    from ipsa.reports import charts

    day = generated or dt.date.today().isoformat()
    if "+" in language:  # "en+zh": English beside the client's language
        first, second = language.split("+", 1)
        content = bilingual(build(assessment, day, quotes, first), build(assessment, day, quotes, second))
        language = second
    else:
        content = build(assessment, day, quotes, language)
    if fmt == "md":
        return render(assessment, content, "md", templates).encode("utf-8"), None
    if fmt == "docx":
        from ipsa.reports.docx_memo import build as build_docx

        missing: set[str] = set()
        data = build_docx(content, lambda key: charts.draw(key, assessment, "png", missing, language), docx_template)
        return data, charts.missing_note(missing, "Word memo's charts")
    figures = {f.key: charts.draw(f.key, assessment, "svg", language=language) for f in content.figures()}
    html = render(assessment, content, "html", templates, figures)
    if fmt == "html":
        return html.encode("utf-8"), None
    from ipsa.reports.pdf_memo import fallback, write_pdf

    tr = Translator(language, assessment.messages)
    printed, note = fallback(html, tr)
    if note:  # the note goes at the memo's top: render the page once more with it (the charts are already drawn)
        printed, _ = fallback(render(assessment, content, "html", templates, figures, font_note=note), tr)
    return write_pdf(printed), note


def render(assessment: Assessment, content: Memo, fmt: str, templates: Path | None = None,
           figures: dict[str, str] | None = None, font_note: str | None = None) -> str:
    """The memo's Markdown or HTML through the templates (a firm's folder first, then the bundled ones); a fault in a
    firm's template is a DealInputError naming its file and line (render_template)."""
    text = render_template(templates, TEMPLATES[fmt], a=assessment, memo=content, figures=figures or {},
                           font_note=font_note, chart_places=CHART_PLACES)
    return re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n" if fmt == "md" else text
