"""Memos in the client's language: complete catalogs, the glossary, locale formats, and whole memos in Chinese,
Vietnamese and Japanese with no English left but names and quotations."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ipsa.engine import pipeline
from ipsa.engine.assessment import Assessment
from ipsa.engine.loading import load_deal
from ipsa.reports import catalogs, i18n
from ipsa.reports.content import build
from ipsa.reports.memo import memo
from tests.conftest import EXAMPLE_NAMES, ROOT

DAY = "2026-11-26"
TRANSLATED = ("zh", "vi", "ja")
# Four or more Latin words in a row with an English function word among them: an English clause left in a memo
# (names and quotations are taken out first; Vietnamese words are Latin too, but not these).
ENGLISH_RUN = re.compile(r"[A-Za-z]+(?:'[a-z]+)?(?:[ ,;()]+[A-Za-z]+(?:'[a-z]+)?){3,}")
FUNCTION_WORDS = frozenset("the of and is are for with that not be or as at its this which from by on was were".split())


@pytest.fixture(scope="module")
def assessments() -> dict[str, Assessment]:
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        return {name: pipeline.run(load_deal(Path("examples") / f"{name}.yaml"), pipeline.Options(paths=300, seed=0))
                for name in EXAMPLE_NAMES}
    finally:
        os.chdir(cwd)


# -- the catalogs ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_has_a_current_translation_that_keeps_its_placeholders_and_the_glossary(language):
    """Missing, stale (English changed), orphaned, placeholder-changing and off-glossary entries all fail here."""
    assert catalogs.check(language) == []


def test_the_check_finds_a_message_the_code_writes_but_no_catalog_holds(monkeypatch):
    real = catalogs.extract

    def with_a_new_text():
        found = real()
        catalogs._add(found, "reports", "A sentence no translator has seen yet.", ("reports/content.py", 1))
        return found

    monkeypatch.setattr(catalogs, "extract", with_a_new_text)
    problems = catalogs.check("zh", "reports")
    assert problems == ["reports/locale/zh.po: missing: 'A sentence no translator has seen yet.'"]


def test_the_glossary_is_enforced():
    assert catalogs.glossary_problems("The transfer is a true sale.", "该转让构成真实出售。", "zh") == []
    problems = catalogs.glossary_problems("The transfer is a true sale.", "该转让是真正的买卖。", "zh")
    assert len(problems) == 1 and "真实出售" in problems[0]
    assert catalogs.glossary_problems("Bankruptcy remoteness fails.", "倒産隔離は認められない。", "ja") == []
    assert catalogs.glossary_problems("Bankruptcy remoteness fails.", "破産からの分離は認められない。", "ja")


def test_every_glossary_term_has_a_form_in_every_language():
    for term in i18n.glossary():
        assert term["en"] and all(term[language] for language in TRANSLATED), term


def test_catalog_entries_are_marked_unreviewed_until_a_lawyer_marks_them():
    for language in TRANSLATED:
        entries = i18n.entries(language)
        assert entries and not any(e.reviewed for e in entries.values())  # no lawyer has reviewed them yet


# -- numbers and dates -------------------------------------------------------------------------------------------

def test_numbers_keep_their_digits_and_take_the_locale_symbols():
    for language in ("en", "zh", "ja"):
        t = i18n.Translator(language)
        assert (t.pct(0.12345), t.money(1234567.4), t.fixed(3.14159), t.count(20000)) == ("12.35%", "1,234,567", "3.14", "20,000")
    vi = i18n.Translator("vi")
    assert (vi.pct(0.12345), vi.money(1234567.4), vi.fixed(3.14159), vi.count(20000)) == ("12,35%", "1.234.567", "3,14", "20.000")
    assert vi.msg("{share:.1%} of {amount:,.0f}", share=0.5, amount=2500000.0) == "50,0% of 2.500.000"


def test_the_date_line_follows_each_language():
    assert i18n.Translator("en").date_line(DAY) == DAY
    assert i18n.Translator("zh").date_line(DAY) == "2026年11月26日"
    assert i18n.Translator("vi").date_line(DAY) == "ngày 26 tháng 11 năm 2026"
    assert i18n.Translator("ja").date_line(DAY) == "令和8年11月26日（2026年）"


def test_the_japanese_era_changes_on_the_days_the_cabinet_orders_set():
    assert i18n.japanese_era(dt.date(2019, 4, 30)) == "平成31年"
    assert i18n.japanese_era(dt.date(2019, 5, 1)) == "令和元年"
    assert i18n.japanese_era(dt.date(1989, 1, 7)) == "昭和64年"
    assert i18n.japanese_era(dt.date(1989, 1, 8)) == "平成元年"


# -- whole memos -------------------------------------------------------------------------------------------------

def _allowed(a: Assessment) -> set[str]:
    """What may stay in Latin script in a translated memo: names (of the deal, its parties, its patents), the
    instruments' official titles and the sources' own words, ids, and the sources a figure names."""
    from ipsa.engine.risk import defaults

    allowed = {p.name for p in a.deal.parties} | {a.deal.name, a.deal.client, a.deal.counsel, a.deal.spv_name}
    for c in a.authorities():
        allowed |= {c.title_en, c.title_original, c.quote or "", c.source or ""}
    allowed |= {v.source for v in vars(defaults).values() if hasattr(v, "source")}
    deal = load_deal(ROOT / "examples" / f"{Path(a.source).stem}.yaml").deal
    allowed |= {p.title for p in deal.patents if p.title} | {x.title for x in getattr(deal, "other_ip", []) if getattr(x, "title", None)}
    return {x for x in allowed if x}


def _english_left(md: str, allowed: set[str]) -> list[str]:
    text = md.replace("\\", "")
    for name in sorted(allowed, key=len, reverse=True):
        text = text.replace(name, " ¤ ")
    text = re.sub(r"\S*[\d:_@/.-]\S*", " ¤ ", text)  # ids, figures, dates, paths
    runs = ((run, re.findall(r"[A-Za-z]+", run)) for run in ENGLISH_RUN.findall(text))
    return sorted({run for run, words in runs
                   if FUNCTION_WORDS & {w.lower() for w in words}
                   and not all(w[0].isupper() for w in words)})  # a title in title case is a name


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_examples_memos_are_wholly_in_the_language(assessments, language):
    for name, a in assessments.items():
        content = build(a, DAY, language=language)
        md = memo(a, "md", generated=DAY, language=language).decode("utf-8")
        assert not _english_left(md, _allowed(a)), (name, _english_left(md, _allowed(a))[:10])
        assert content.sections[0].title != "Questions presented"
        note = content.sections[6].blocks[0].items[-1]
        assert "English" not in note[0].text  # the translation note itself is translated
        assert content.untranslated == [], (name, content.untranslated[:5])


def test_a_translated_memo_says_its_translations_are_unreviewed_and_which_text_prevails(assessments, monkeypatch):
    a = assessments["cn_licence_special_plan"]
    note = build(a, DAY, language="zh").sections[6].blocks[0].items[-1][0].text
    unreviewed = i18n.Translator("zh").msg("{unreviewed} of the texts it uses have not been reviewed by a lawyer "
                                           "qualified in the language; rely on them only after that review.", unreviewed=0)
    assert unreviewed.split("0", 1)[1][:6] in note
    reviewed = {k: i18n.Entry(v.text, True) for k, v in i18n.entries("zh").items()}
    monkeypatch.setattr(i18n, "entries", lambda language: reviewed)
    note = build(a, DAY, language="zh").sections[6].blocks[0].items[-1][0].text
    assert unreviewed.split("0", 1)[1][:6] not in note


def test_a_stored_assessment_renders_the_same_translation_in_another_process(assessments):
    """The workspace renders memos from stored JSON: the texts' templates travel in `messages`."""
    a = assessments["us_royalty_llc"]
    live = memo(a, "md", generated=DAY, language="ja")
    stored = Assessment.model_validate_json(a.model_dump_json())  # what another process reads: JSON, nothing else
    assert memo(stored, "md", generated=DAY, language="ja") == live


def test_english_memos_are_unchanged_by_the_catalogs(assessments):
    a = assessments["vn_company_spv"]
    assert memo(a, "md", generated=DAY) == memo(a, "md", generated=DAY, language="en")
    assert "Questions presented" in memo(a, "md", generated=DAY).decode("utf-8")


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_format_is_written_in_the_language(assessments, language):
    from docx import Document

    for a in assessments.values():
        content = build(a, DAY, language=language)
        html = memo(a, "html", generated=DAY, language=language).decode("utf-8")
        assert f'<html lang="{language}">' in html and content.sections[1].title in html
        document = Document(io.BytesIO(memo(a, "docx", generated=DAY, language=language)))
        assert content.sections[1].title in [p.text for p in document.paragraphs]


def test_in_the_laws_own_language_the_table_of_authorities_gives_the_original_title_first(assessments):
    a = assessments["cn_licence_special_plan"]
    chinese = next(c for c in a.authorities() if c.instrument.startswith("CN") and c.title_original)
    table = build(a, DAY, language="zh").sections[7].blocks[0]
    first_cells = [row[0][0].text for row in table.rows]
    assert chinese.title_original in first_cells and chinese.title_en not in first_cells
    english = build(a, DAY, language="ja").sections[7].blocks[0]
    assert chinese.title_en in [row[0][0].text for row in english.rows]  # not the law's language: English first


def test_a_bilingual_memo_sets_english_beside_the_language(assessments):
    from docx import Document

    a = assessments["cn_licence_special_plan"]
    md = memo(a, "md", generated=DAY, language="en+zh").decode("utf-8")
    assert "## Brief answers / 简要回答" in md or "## Brief answers / " in md
    english, chinese = build(a, DAY), build(a, DAY, language="zh")
    brief_en, brief_zh = english.sections[1].blocks[0].spans[0].text, chinese.sections[1].blocks[0].spans[0].text
    assert md.index(brief_en) < md.index(brief_zh)
    html = memo(a, "html", generated=DAY, language="en+zh").decode("utf-8")
    assert html.count('<div class="pair">') > 20
    cells = [c.text for t in Document(io.BytesIO(memo(a, "docx", generated=DAY, language="en+zh"))).tables
             for row in t.rows for c in row.cells]
    assert any(brief_en in c for c in cells) and any(brief_zh in c for c in cells)


def _cjk_font_installed() -> bool:
    return bool(shutil.which("fc-list")) and "CJK" in subprocess.run(
        ["fc-list", ":lang=ja"], capture_output=True, text=True, check=False).stdout


@pytest.mark.skipif(not _cjk_font_installed(), reason="no CJK font installed (Debian: fonts-noto-cjk; .ci/run installs it)")
@pytest.mark.parametrize("language, sample", [("ja", "倒産隔離"), ("zh", "破产隔离"), ("vi", "cách ly phá sản")])
def test_the_pdf_draws_the_script(assessments, language, sample):
    from pypdf import PdfReader

    from ipsa.reports.memo import memo_and_note
    from ipsa.reports.pdf_memo import MARKER

    for name, a in assessments.items():
        data, note = memo_and_note(a, "pdf", generated=DAY, language=language)
        extracted = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
        assert note is None and MARKER not in extracted, name
        if name == "cn_licence_special_plan":
            assert sample in re.sub(r"\s+", " ", extracted) or sample.replace(" ", "") in re.sub(r"\s+", "", extracted)


def test_the_command_line_takes_a_language_and_refuses_another(tmp_path):
    from typer.testing import CliRunner

    from ipsa.engine.cli import app

    runner = CliRunner()
    out = tmp_path / "memo.md"
    done = runner.invoke(app, ["assess", str(ROOT / "examples" / "vn_company_spv.yaml"), "--lang", "vi", "--paths", "200",
                               "-o", str(out)])
    assert done.exit_code == 0, done.output
    assert "## Câu hỏi" in out.read_text(encoding="utf-8") or "Bản ghi nhớ" in out.read_text(encoding="utf-8")
    refused = runner.invoke(app, ["assess", str(ROOT / "examples" / "vn_company_spv.yaml"), "--lang", "fr"])
    assert refused.exit_code == 2 and "fr" in refused.output
