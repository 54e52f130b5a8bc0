"""Client memos: every format renders for every example, with the sections and the table of authorities the
assessment calls for; deal text stays text; a firm's templates apply; the same input gives the same memo."""

from __future__ import annotations

import copy
import io
import re

import docx
import html5lib
import markupsafe
import pytest
from pypdf import PdfReader

from ipsa.engine.advisor import AdviceOptions, advise
from ipsa.engine.assess import assess
from ipsa.engine.loading import validate_mapping
from ipsa.engine.risk import RiskOptions
from ipsa.reports.memo import memo
from tests.conftest import EXAMPLE_NAMES, EXAMPLES, example_mapping

DAY = "2026-11-22"
SECTIONS = ("Questions presented", "Brief answers", "Facts as submitted", "Discussion", "Risk analysis",
            "Recommended vehicle and remediation", "Assumptions and qualifications", "Table of authorities",
            "Appendix: rule trace")


def _prepare(mapping):
    loaded = validate_mapping(mapping, str(EXAMPLES / "memo-test.yaml"), EXAMPLES)
    assessment = assess(loaded, risk=RiskOptions(paths=400, stresses=True, selection_paths=200))
    advice = advise(loaded, options=AdviceOptions(paths=200))
    return loaded, assessment, advice


@pytest.fixture(scope="module", params=EXAMPLE_NAMES)
def example(request):
    loaded, assessment, advice = _prepare(example_mapping(request.param))
    rendered = {fmt: memo(assessment, fmt, deal=loaded.deal, advice=advice, generated=DAY) for fmt in ("md", "html", "docx", "pdf")}
    return request.param, assessment, rendered


def _docx_text(data: bytes) -> tuple[list[str], str]:
    document = docx.Document(io.BytesIO(data))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading") or p.style.name == "Title"]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return headings, "\n".join([p.text for p in document.paragraphs] + cells)


def test_every_format_carries_the_memo_sections(example):
    name, assessment, rendered = example
    md, html = rendered["md"].decode(), rendered["html"].decode()
    headings, docx_text = _docx_text(rendered["docx"])
    for section in SECTIONS:
        assert f"## {section}" in md, (name, section)
        assert f"<h2>{section}</h2>" in html, (name, section)
        assert section in headings, (name, section)
    pdf = PdfReader(io.BytesIO(rendered["pdf"]))
    pdf_text = "\n".join(page.extract_text() for page in pdf.pages)
    assert len(pdf.pages) >= 8
    for section in ("Questions presented", "Table of authorities", "Appendix: rule trace"):
        assert section in pdf_text


def test_the_table_of_authorities_lists_every_cited_instrument(example):
    name, assessment, rendered = example
    html = rendered["html"].decode()
    table = html[html.index("<h2>Table of authorities</h2>"):html.index("<h2>Appendix: rule trace</h2>")]
    _, docx_text = _docx_text(rendered["docx"])
    for citation in assessment.authorities():
        assert str(markupsafe.escape(citation.title_en)) in table, citation.instrument
        assert citation.title_en in docx_text
    assert table.count("<tr>") == len(assessment.authorities()) + 1
    unverified = sum(1 for c in assessment.authorities() if not c.verified)
    assert table.count(">unverified<") == unverified


def test_the_html_is_valid_and_self_contained(example):
    _, _, rendered = example
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    tree = parser.parse(rendered["html"].decode())
    assert tree.find(".//script") is None
    assert not re.search(rb'<(link|img)[^>]+(src|href)="https?:', rendered["html"])  # nothing fetched from elsewhere
    assert b"<svg" in rendered["html"] and b"@media print" in rendered["html"]


def test_original_titles_render_or_the_pdf_says_why_not(example):
    name, assessment, rendered = example
    originals = [c.title_original for c in assessment.authorities() if re.search(r"[\u4e00-\u9fff\u3040-\u30ff]", c.title_original)]
    if not originals:
        pytest.skip("no East Asian titles cited in this example")
    assert originals[0] in rendered["html"].decode() and originals[0] in _docx_text(rendered["docx"])[1]
    from ipsa.reports.pdf_memo import installed_coverage

    pdf_text = "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(rendered["pdf"])).pages).split())
    if installed_coverage() is not None and not all(ord(ch) in installed_coverage() for ch in originals[0]):
        assert "fonts-noto-cjk" in pdf_text and "[originalscriptnotshown]" in pdf_text
    else:
        assert "[originalscriptnotshown]" not in pdf_text


def test_vietnamese_text_renders_in_the_pdf():
    loaded, assessment, advice = _prepare(example_mapping("vn_company_spv"))
    pdf = memo(assessment, "pdf", deal=loaded.deal, advice=advice, generated=DAY)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Luật" in text or "Nghị" in text  # Vietnamese diacritics drawn, not replaced


def test_the_same_input_gives_the_same_memo():
    loaded, assessment, advice = _prepare(example_mapping("jp_tmk_licence"))
    again_loaded, again, again_advice = _prepare(example_mapping("jp_tmk_licence"))
    for fmt in ("md", "html"):
        assert memo(assessment, fmt, deal=loaded.deal, advice=advice, generated=DAY) == \
            memo(again, fmt, deal=again_loaded.deal, advice=again_advice, generated=DAY)
    assert _docx_text(memo(assessment, "docx", deal=loaded.deal, advice=advice, generated=DAY)) == \
        _docx_text(memo(again, "docx", deal=again_loaded.deal, advice=again_advice, generated=DAY))


def test_deal_text_stays_text_in_every_format():
    mapping = example_mapping("cn_licence_special_plan")
    hostile = "<script>alert('x')</script> & *bold* | pipe"
    next(p for p in mapping["parties"] if p["id"] == "lingxi")["name"] = hostile
    loaded, assessment, advice = _prepare(mapping)
    html = memo(assessment, "html", deal=loaded.deal, advice=advice, generated=DAY).decode()
    assert "<script>" not in html and "&lt;script&gt;" in html
    md = memo(assessment, "md", deal=loaded.deal, advice=advice, generated=DAY).decode()
    assert "<script>" not in md and r"\<script\>" in md
    assert hostile in _docx_text(memo(assessment, "docx", deal=loaded.deal, advice=advice, generated=DAY))[1]
    pdf_text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(memo(assessment, "pdf", deal=loaded.deal, generated=DAY))).pages)
    assert "<script>alert" in pdf_text  # printed as text


def test_a_firm_can_brand_the_docx_and_replace_the_html_templates(tmp_path):
    loaded, assessment, advice = _prepare(example_mapping("us_royalty_llc"))
    branded = docx.Document()
    branded.sections[0].header.paragraphs[0].text = "Harbour & Vale LLP — Confidential"
    branded.save(tmp_path / "firm.docx")
    data = memo(assessment, "docx", deal=loaded.deal, advice=advice, generated=DAY, docx_template=tmp_path / "firm.docx")
    document = docx.Document(io.BytesIO(data))
    assert document.sections[0].header.paragraphs[0].text == "Harbour & Vale LLP — Confidential"
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "memo.html.j2").write_text("<!DOCTYPE html><html><head><title>x</title></head><body><p>Harbour & Vale: "
                                         "{{ a.deal.name }}</p></body></html>", encoding="utf-8")
    html = memo(assessment, "html", deal=loaded.deal, templates=folder, generated=DAY).decode()
    assert html.startswith("<!DOCTYPE html>") and "Harbour & Vale: Helix Royalty Funding LLC 2026-A" in html
