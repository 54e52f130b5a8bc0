"""Client memos: every format renders for every example, with the sections and the table of authorities the
assessment calls for; deal text stays text; a firm's templates apply; the same input gives the same memo."""

from __future__ import annotations

import io
import re
from functools import cache
from pathlib import Path

import docx
import html5lib
import markupsafe
import pytest
from pypdf import PdfReader

from ipsa.engine.loading import validate_mapping
from ipsa.engine.pipeline import Options, run
from ipsa.reports.memo import memo
from tests.conftest import EXAMPLE_NAMES, EXAMPLES, example_mapping

DAY = "2026-11-22"
PATHS = 400
SECTIONS = ("Questions presented", "Brief answers", "Facts as submitted", "Discussion", "Risk analysis",
            "Recommended vehicle and remediation", "Assumptions and qualifications", "Table of authorities",
            "Appendix: rule trace")


def prepare(mapping):
    """An assessment with risk and advice, few paths."""
    loaded = validate_mapping(mapping, str(EXAMPLES / "memo-test.yaml"), EXAMPLES)
    return run(loaded, Options(paths=PATHS, seed=0))


@cache
def prepared(name: str):
    """The assessment of an unedited example, computed once per test session."""
    return prepare(example_mapping(name))


@cache
def rendered(name: str) -> dict[str, bytes]:
    return {fmt: memo(prepared(name), fmt, generated=DAY) for fmt in ("md", "html", "json", "docx", "pdf")}


def docx_text(data: bytes) -> tuple[list[str], str]:
    document = docx.Document(io.BytesIO(data))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading") or p.style.name == "Title"]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return headings, "\n".join([p.text for p in document.paragraphs] + cells)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture(scope="module", params=EXAMPLE_NAMES)
def example(request):
    return request.param, prepared(request.param), rendered(request.param)


def test_every_format_carries_the_memo_sections_and_the_deal_name(example):
    name, assessment, out = example
    md, html = out["md"].decode(), out["html"].decode()
    headings, text = docx_text(out["docx"])
    for section in SECTIONS:
        assert f"## {section}" in md, (name, section)
        assert f"<h2>{section}</h2>" in html, (name, section)
        assert section in headings, (name, section)
    pdf = PdfReader(io.BytesIO(out["pdf"]))
    printed = "\n".join(page.extract_text() for page in pdf.pages)
    assert len(pdf.pages) >= 8
    for section in ("Questions presented", "Table of authorities", "Appendix: rule trace"):
        assert section in printed
    deal = assessment.deal.name
    assert deal in md.replace("\\", "") and str(markupsafe.escape(deal)) in html and deal in text
    assert deal in " ".join(printed.split())


def test_charts_are_drawn_once_in_the_format_each_edition_needs(example):
    _, assessment, out = example
    html = out["html"].decode()
    assert html.count("<svg") == 3 and b"<svg" not in out["docx"] and b"<svg" not in out["md"]
    assert len(docx.Document(io.BytesIO(out["docx"])).inline_shapes) == 3
    md = out["md"].decode()
    assert md.count("The chart is drawn in the HTML, DOCX and PDF editions of this memo") == 3
    assert "![" not in md


def test_the_table_of_authorities_lists_every_cited_instrument(example):
    name, assessment, out = example
    html = out["html"].decode()
    start = html.index("<h2>Table of authorities</h2>")
    table = html[start:html.index("<h2>", start + 1)]  # up to the next section
    _, text = docx_text(out["docx"])
    md = out["md"].decode()
    md_start = md.index("## Table of authorities")
    md_table = md[md_start:md.index("\n## ", md_start + 1)]
    for citation in assessment.authorities():
        assert str(markupsafe.escape(citation.title_en)) in table, citation.instrument
        assert citation.title_en in text
    assert table.count("<tr>") == len(assessment.authorities()) + 1
    assert md_table.count("\n| ") == len(assessment.authorities()) + 1
    unverified = sum(1 for c in assessment.authorities() if not c.verified)
    assert table.count(">unverified<") == unverified == md_table.count("| unverified |")


def test_every_citation_is_in_the_discussion_with_unverified_ones_marked(example):
    _, assessment, out = example
    html = out["html"].decode()
    discussion = html[html.index("<h2>Discussion</h2>"):html.index("<h2>Risk analysis</h2>")]
    for citation in assessment.authorities():
        assert str(markupsafe.escape(citation.label)) in discussion, citation.label
        if not citation.verified:
            assert str(markupsafe.escape(citation.label)) + ' <span class="unverified">[unverified]</span>' in discussion


def test_on_request_the_table_of_authorities_gives_the_sources_words():
    """`--quotes`: each verified article's own words (original language) and the date read; why the rest are not."""
    assessment = prepared("cn_licence_special_plan")
    plain = rendered("cn_licence_special_plan")["md"].decode()
    quoted = memo(assessment, "md", generated=DAY, quotes=True).decode()
    html = memo(assessment, "html", generated=DAY, quotes=True).decode()
    assert "The source's words" not in plain and "The source's words" in quoted
    for citation in assessment.authorities():
        if citation.verified:
            assert citation.quote in html and f"read: {citation.read}" in html
        else:
            assert str(markupsafe.escape(f"Not verified: {citation.unverified_reason}")) in html


def test_the_html_is_valid_and_self_contained(example):
    _, _, out = example
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    tree = parser.parse(out["html"].decode())
    assert tree.find(".//script") is None
    assert not re.search(rb'<(link|img)[^>]+(src|href)="https?:', out["html"])  # nothing fetched from elsewhere
    assert b"<svg" in out["html"] and b"@media print" in out["html"]


def test_original_titles_render_or_the_pdf_says_why_not(example):
    name, assessment, out = example
    originals = [c.title_original for c in assessment.authorities() if re.search(r"[\u4e00-\u9fff\u3040-\u30ff]", c.title_original)]
    if not originals:
        pytest.skip("no East Asian titles cited in this example")
    assert originals[0] in out["html"].decode() and originals[0] in docx_text(out["docx"])[1]
    from ipsa.reports.pdf_memo import installed_coverage

    printed = "".join(pdf_text(out["pdf"]).split())
    if installed_coverage() is not None and not all(ord(ch) in installed_coverage() for ch in originals[0]):
        assert "fonts-noto-cjk" in printed and "[originalscriptnotshown]" in printed
    else:
        assert "[originalscriptnotshown]" not in printed


def test_vietnamese_text_renders_in_the_pdf():
    text = pdf_text(rendered("vn_company_spv")["pdf"])
    assert "Luật" in text or "Nghị" in text  # Vietnamese diacritics drawn, not replaced


def test_json_is_the_assessment_with_its_advice():
    import json

    data = json.loads(rendered("cn_licence_special_plan")["json"])
    assert data == prepared("cn_licence_special_plan").model_dump(mode="json") and data["advice"]["vehicles"]


def test_the_same_input_gives_the_same_memo():
    assessment, again = prepare(example_mapping("jp_tmk_licence")), prepare(example_mapping("jp_tmk_licence"))
    for fmt in ("md", "html", "json"):
        assert memo(assessment, fmt, generated=DAY) == memo(again, fmt, generated=DAY)
    assert docx_text(memo(assessment, "docx", generated=DAY)) == docx_text(memo(again, "docx", generated=DAY))


def test_deal_text_stays_text_in_every_format():
    mapping = example_mapping("cn_licence_special_plan")
    hostile = "<script>alert('x')</script> & *bold* | pipe"
    next(p for p in mapping["parties"] if p["id"] == "lingxi")["name"] = hostile
    assessment = prepare(mapping)
    html = memo(assessment, "html", generated=DAY).decode()
    assert "<script>" not in html and "&lt;script&gt;" in html
    md = memo(assessment, "md", generated=DAY).decode()
    assert "<script>" not in md and r"\<script\>" in md and r"\*bold\* \| pipe" in md
    assert hostile in docx_text(memo(assessment, "docx", generated=DAY))[1]
    assert "<script>alert" in pdf_text(memo(assessment, "pdf", generated=DAY))  # printed as text


def test_a_firm_can_brand_the_docx_and_replace_the_html_templates(tmp_path):
    assessment = prepared("us_royalty_llc")
    branded = docx.Document()
    branded.sections[0].header.paragraphs[0].text = "Harbour & Vale LLP — Confidential"
    branded.save(tmp_path / "firm.docx")
    data = memo(assessment, "docx", generated=DAY, docx_template=tmp_path / "firm.docx")
    document = docx.Document(io.BytesIO(data))
    assert document.sections[0].header.paragraphs[0].text == "Harbour & Vale LLP — Confidential"
    assert "Questions presented" in docx_text(data)[0]
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "memo.html.j2").write_text("<!DOCTYPE html><html><head><title>x</title></head><body><p>Harbour & Vale: "
                                         "{{ a.deal.name }}</p></body></html>", encoding="utf-8")
    html = memo(assessment, "html", templates=folder, generated=DAY).decode()
    assert html.startswith("<!DOCTYPE html>") and "Harbour & Vale: Helix Royalty Funding LLC 2026-A" in html
    # a firm's page around the bundled blocks
    (folder / "memo.html.j2").write_text('{% from "blocks.html.j2" import blocks with context %}<html><body><h1>H&V</h1>'
                                         "{% for s in memo.sections %}<h2>{{ s.title }}</h2>{{ blocks(s.blocks) }}"
                                         "{% endfor %}</body></html>", encoding="utf-8")
    html = memo(assessment, "html", templates=folder, generated=DAY).decode()
    assert "<h1>H&V</h1>" in html and "<h2>Risk analysis</h2>" in html and "<svg" in html


def test_without_risk_or_advice_the_memo_says_so():
    loaded = validate_mapping(example_mapping("vn_company_spv"), str(EXAMPLES / "memo-test.yaml"), EXAMPLES)
    bare = run(loaded, Options(risk=False, advice=False))
    md = memo(bare, "md", generated=DAY).decode()
    assert "The numeric risk analysis was not run" in md and "The advisor was not run" in md
    assert md.count("The chart is drawn") == 1  # the structure diagram only
    assert "Risk analysis" in docx_text(memo(bare, "docx", generated=DAY))[0]


def test_reports_read_only_the_assessment():
    """The memo's renderers import nothing of the engine but the assessment, its texts and the input-error types
    they raise for a firm's bad templates (the rulebook and the catalogs' upkeep are separate tools)."""
    for path in Path(__file__).resolve().parents[1].joinpath("reports").glob("*.py"):
        if path.name == "catalogs.py":
            continue
        source = path.read_text(encoding="utf-8")
        if path.name == "__init__.py":
            source = source[:source.index("def render_rulebook")]
        named = set(re.findall(r"ipsa\.engine(?:\.\w+)*", source))
        assert all(n.startswith(("ipsa.engine.assessment", "ipsa.engine.text", "ipsa.engine.issues"))
                   for n in named), (path.name, named)


def test_a_rule_reaching_many_items_has_one_section_listing_each_item_in_every_format():
    """A 60-licence pool repeats rules per licence: the memo gives such a rule one section with every item's
    conclusion, not one section per item, and the Markdown, HTML and Word editions group alike."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from large_deal import large_deal

    from ipsa.reports.content import GROUP_AT

    loaded = validate_mapping(large_deal(patents=120, licences=60), "large.yaml")
    assessment = run(loaded, Options(risk=False, advice=False))
    by_rule: dict[tuple[str, str], list] = {}
    for f in assessment.findings:
        by_rule.setdefault((f.rule_id, f.status), []).append(f)
    many = {key: found for key, found in by_rule.items() if len(found) >= GROUP_AT}
    few = {key: found for key, found in by_rule.items() if len(found) < GROUP_AT}
    assert many and few
    md = memo(assessment, "md", generated=DAY).decode()
    html = memo(assessment, "html", generated=DAY).decode()
    _, word = docx_text(memo(assessment, "docx", generated=DAY))
    for (rule, status), found in many.items():
        title = f"{rule} — {status.upper()} ({len(found)} items)"
        assert md.count(f"##### {title}\n") == 1 and title in html and title in word
        assert md.count(f"{rule} — {status.upper()}") == 1  # no section per item besides the group
        for f in found:
            assert f.conclusion in md
    for (rule, status), found in few.items():
        assert md.count(f"##### {rule} — {status.upper()}\n") == len(found)


def test_chart_names_in_chinese_are_drawn_where_a_font_has_them_and_marked_where_none_does(tmp_path):
    """The structure diagram of the Word memo draws CJK party names with an installed CJK font (Debian's
    fonts-noto-cjk) and marks what no chart font has (an emoji, or CJK without such a font) with '?', saying so
    once; matplotlib's glyph warnings never reach the user."""
    import subprocess
    import sys

    import yaml

    from ipsa.reports import charts

    mapping = example_mapping("cn_licence_special_plan")
    originator = next(p for p in mapping["parties"] if "originator" in p["roles"])
    originator["name"] = "松鸿生物科技 🧬"
    deal = tmp_path / "cn.yaml"
    deal.write_text(yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "ipsa.engine.cli", "assess", deal, "-o", tmp_path / "memo.docx",
                             "--no-advice", "-n", "200"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Glyph" not in result.stderr and "findfont" not in result.stderr
    cjk_drawn = all(ord(ch) in charts._coverage() for ch in "松鸿生物科技")
    assert "cannot show" in result.stderr and "Word memo's charts" in result.stderr  # the emoji, always
    assert ("Chinese or Japanese among them" in result.stderr) is not cjk_drawn
    missing: set[str] = set()
    assert charts.drawable("松鸿 🧬", missing) == ("松鸿 ?" if cjk_drawn else "?? ?") and "🧬" in missing
