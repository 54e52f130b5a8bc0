"""A firm's templates (--templates) and branded DOCX (--docx-template) are untrusted input: each fault is a
DealInputError naming the file, and a template's line; compiling finds most before the assessment runs
(check_templates, check_template), rendering turns the rest into the same error; sound ones still render."""

from __future__ import annotations

import io
import shutil
import zipfile
from functools import cache
from pathlib import Path

import docx
import openpyxl
import pytest

from ipsa.engine.loading import DealInputError, validate_mapping
from ipsa.engine.pipeline import Options, run
from ipsa.reports import check_templates, render_rulebook
from ipsa.reports.docx_memo import check_template
from ipsa.reports.memo import memo_and_note
from tests.conftest import EXAMPLES, ROOT, example_mapping

BUNDLED = ROOT / "reports" / "templates"
DAY = "2026-11-22"
FORMAT = {"memo.md.j2": "md", "blocks.md.j2": "md", "memo.html.j2": "html"}

# text of the template, the line Jinja reports
COMPILE_FAULTS = {
    "syntax": ("{# a firm's memo #}\n{% if %}x", 2),
    "unknown filter": ("x\n\n{{ 'a'|nosuchfilter }}", 3),
    "unknown tag": ("{% nosuchtag %}", 1),
    "missing include": ("x\n{% include 'x.j2' %}", 2),
    "undecodable bytes": (b"ok\n\xff\xfe", 2),
}
RENDER_FAULTS = {
    "undefined name": ("x\n{{ nosuch }}", 2),
    "undefined attribute": ("x\n{{ memo.nosuch }}", 2),
    "includes itself": ("x\n{% include '{self}' %}", 2),
    "division by zero": ("\n\n{{ 1/0 }}", 3),
    "computed missing include": ("x\n{% include 'x' ~ '.j2' %}", 2),
}


@cache
def assessment():
    """A small assessment without risk or advice: enough for a memo, computed once."""
    loaded = validate_mapping(example_mapping("vn_company_spv"), str(EXAMPLES / "firm-test.yaml"), EXAMPLES)
    return run(loaded, Options(risk=False, advice=False))


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text.replace("{self}", name), encoding="utf-8")
    return path


def refused(call, *args, **kwargs):
    with pytest.raises(DealInputError) as caught:
        call(*args, **kwargs)
    assert len(caught.value.issues) == 1, caught.value.issues
    return caught.value.issues[0]


@pytest.mark.parametrize("fault", COMPILE_FAULTS)
@pytest.mark.parametrize("name", ["memo.md.j2", "blocks.md.j2", "memo.html.j2", "rulebook.html.j2"])
def test_compiling_finds_the_fault_before_the_assessment(tmp_path, name, fault):
    text, line = COMPILE_FAULTS[fault]
    path = write(tmp_path, name, text)
    issue = refused(check_templates, tmp_path)
    assert (issue.file, issue.line) == (str(path), line)
    assert issue.message.startswith("template error: ") and "Traceback" not in issue.message
    if name in FORMAT:  # the render refuses it the same way, should the check have been skipped
        assert refused(memo_and_note, assessment(), FORMAT[name], templates=tmp_path, generated=DAY) == issue


def test_the_messages_say_what_is_wrong(tmp_path):
    expected = {"syntax": "expected an expression", "unknown filter": "no filter named 'nosuchfilter'",
                "unknown tag": "unknown tag 'nosuchtag'", "missing include": "no template named 'x.j2'",
                "undecodable bytes": "not utf-8 text"}
    for fault, (text, _) in COMPILE_FAULTS.items():
        folder = tmp_path / fault.replace(" ", "_")
        folder.mkdir()
        write(folder, "memo.md.j2", text)
        assert expected[fault] in refused(check_templates, folder).message.lower(), fault


def test_an_entry_template_may_read_only_the_names_it_is_given(tmp_path):
    write(tmp_path, "memo.md.j2", "{{ memo.title }}\n{% for x in a.findings %}{{ x.id }}{% endfor %}\n{{ nosuch }}")
    issue = refused(check_templates, tmp_path)
    assert issue.line == 3
    assert issue.message.startswith("template error: 'nosuch' is undefined; memo.md.j2 is given a, memo, figures")
    # a name the template tests for or gives a default, its own names and Jinja's globals are no fault
    write(tmp_path, "memo.md.j2", "{% if nosuch is defined %}{{ nosuch }}{% endif %}{{ other | default('-') }}\n"
                                  "{% set mine = 1 %}{{ mine }}{{ range(2) | list }}")
    check_templates(tmp_path)
    assert memo_and_note(assessment(), "md", templates=tmp_path, generated=DAY)[0].decode() == "-\n1[0, 1]\n"


def test_every_fault_in_the_folder_is_reported_at_once(tmp_path):
    first = write(tmp_path, "memo.md.j2", "{% if %}")
    (tmp_path / "partials").mkdir()
    second = write(tmp_path / "partials", "row.j2", "a\nb\n{{ x | nosuchfilter }}")
    write(tmp_path, "notes.txt", "{% if %}")  # not a template
    with pytest.raises(DealInputError) as caught:
        check_templates(tmp_path)
    assert [(i.file, i.line) for i in caught.value.issues] == [(str(first), 1), (str(second), 3)]


@pytest.mark.parametrize("fault", RENDER_FAULTS)
@pytest.mark.parametrize("name", ["memo.md.j2", "blocks.md.j2", "memo.html.j2"])
def test_a_fault_only_rendering_shows_names_the_file_and_line(tmp_path, name, fault):
    text, line = RENDER_FAULTS[fault]
    path = write(tmp_path, name, text)
    issue = refused(memo_and_note, assessment(), FORMAT[name], templates=tmp_path, generated=DAY)
    assert (issue.file, issue.line) == (str(path), line)
    assert issue.message.startswith("template error: ")


def test_render_time_messages(tmp_path):
    expected = {"undefined attribute": "has no attribute 'nosuch'", "includes itself": "without end",
                "division by zero": "division by zero (ZeroDivisionError)",
                "computed missing include": "no template named 'x.j2'"}
    for fault, message in expected.items():
        folder = tmp_path / fault.replace(" ", "_")
        folder.mkdir()
        write(folder, "memo.md.j2", RENDER_FAULTS[fault][0])
        check_templates(folder)  # compiling cannot see these
        assert message in refused(memo_and_note, assessment(), "md", templates=folder, generated=DAY).message


def test_a_fault_inside_a_bundled_template_is_not_blamed_on_the_firm(tmp_path):
    """The firm's page hands the bundled macro a number: the error is raised in ipsa's own blocks.md.j2 and
    propagates as it is."""
    write(tmp_path, "memo.md.j2", '{% from "blocks.md.j2" import blocks with context %}\n{{ blocks(3) }}')
    check_templates(tmp_path)
    with pytest.raises(TypeError):
        memo_and_note(assessment(), "md", templates=tmp_path, generated=DAY)


def test_the_rulebook_template_is_checked_before_the_rule_base_is_read(tmp_path):
    path = write(tmp_path, "rulebook.html.j2", "<html>\n{% for %}")
    issue = refused(render_rulebook, tmp_path)
    assert (issue.file, issue.line) == (str(path), 2)
    write(tmp_path, "rulebook.html.j2", "<p>{{ version }}</p>\n<p>{{ (rules | length) / 0 }}</p>")
    issue = refused(render_rulebook, tmp_path)
    assert (issue.file, issue.line) == (str(path), 2)
    assert issue.message == "template error: division by zero (ZeroDivisionError)"


def test_a_sound_firm_folder_renders(tmp_path):
    shutil.copytree(BUNDLED, tmp_path / "all")
    check_templates(tmp_path / "all")  # the bundled templates read only the names they are given
    folder = tmp_path / "firm"
    folder.mkdir()
    write(folder, "memo.md.j2", "Harbour & Vale LLP\n" + (BUNDLED / "memo.md.j2").read_text(encoding="utf-8"))
    write(folder, "blocks.md.j2", (BUNDLED / "blocks.md.j2").read_text(encoding="utf-8").replace(
        "{{ b.spans | md_inline }}", "{{ b.spans | md_inline }} ¶"))
    write(folder, "memo.html.j2", (BUNDLED / "memo.html.j2").read_text(encoding="utf-8").replace(
        "<body>", "<body><p>Harbour &amp; Vale LLP</p>", 1))
    check_templates(folder)
    md = memo_and_note(assessment(), "md", templates=folder, generated=DAY)[0].decode()
    assert md.startswith("Harbour & Vale LLP\n# ") and " ¶\n" in md and "## Table of authorities" in md
    html = memo_and_note(assessment(), "html", templates=folder, generated=DAY)[0].decode()
    assert "<p>Harbour &amp; Vale LLP</p>" in html and "<h2>Table of authorities</h2>" in html


# The branded DOCX ---------------------------------------------------------------------------------------------------

def _docx_bytes(document=None) -> bytes:
    buffer = io.BytesIO()
    (document or docx.Document()).save(buffer)
    return buffer.getvalue()


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _replaced(part: str, data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(_docx_bytes())) as source:
        return _zip({name: data if name == part else source.read(name) for name in source.namelist()})


def _without_style(name: str) -> bytes:
    document = docx.Document()
    document.styles[name].delete()
    return _docx_bytes(document)


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


BAD_DOCX = {  # file name, its bytes, words the reason gives
    "text": ("firm.docx", lambda: b"Harbour & Vale letterhead\n", "not a zip package"),
    "empty": ("firm.docx", lambda: b"", "not a zip package"),
    "yaml": ("deal.yaml", lambda: (EXAMPLES / "vn_company_spv.yaml").read_bytes(), "not a zip package"),
    "no content types": ("firm.docx", lambda: _zip({"word/document.xml": b"<x/>"}), "[content_types].xml"),
    "empty content types": ("firm.docx", lambda: _zip({"[Content_Types].xml": b"<Types/>"}), "not laid out"),
    "xlsx": ("book.xlsx", _xlsx, "spreadsheetml"),
    "corrupt document.xml": ("firm.docx", lambda: _replaced("word/document.xml", b"<w:document"), "xml part"),
    "no Normal style": ("firm.docx", lambda: _without_style("Normal"), "'normal'"),
    "no Heading 4 style": ("firm.docx", lambda: _without_style("Heading 4"), "lacks the paragraph style 'heading 4'"),
}


@pytest.mark.parametrize("case", BAD_DOCX)
def test_a_docx_template_ipsa_cannot_use_is_refused_before_the_assessment(tmp_path, case):
    name, data, reason = BAD_DOCX[case]
    path = tmp_path / name
    path.write_bytes(data())
    issue = refused(check_template, path)
    assert (issue.file, issue.line) == (str(path), None)
    assert issue.message.startswith("not a Word document (.docx) that ipsa can use as a template: ")
    assert reason in issue.message.lower() and "\n" not in issue.message
    # the build refuses it the same way, should the check have been skipped; nothing is written
    assert refused(memo_and_note, assessment(), "docx", docx_template=path, generated=DAY) == issue


def test_a_missing_docx_template_is_named(tmp_path):
    issue = refused(check_template, tmp_path / "nowhere.docx")
    assert (issue.file, issue.message) == (str(tmp_path / "nowhere.docx"), "DOCX template not found")


def test_a_sound_docx_template_is_used(tmp_path):
    branded = docx.Document()
    branded.sections[0].header.paragraphs[0].text = "Harbour & Vale LLP — Confidential"
    branded.save(tmp_path / "firm.docx")
    check_template(tmp_path / "firm.docx")
    data, _ = memo_and_note(assessment(), "docx", docx_template=tmp_path / "firm.docx", generated=DAY)
    document = docx.Document(io.BytesIO(data))
    assert document.sections[0].header.paragraphs[0].text == "Harbour & Vale LLP — Confidential"
    assert any(p.text == "Table of authorities" for p in document.paragraphs)


def test_the_command_refuses_a_broken_firm_template_or_word_file_before_any_work(tmp_path):
    """From the command line: exit 2, the file and line, no traceback and no memo, before the assessment runs (the
    deal given does not even need to be read)."""
    from tests.test_hardening import ipsa, refused

    folder = tmp_path / "firm"
    folder.mkdir()
    (folder / "memo.md.j2").write_text("{% if %}x", encoding="utf-8")
    deal = EXAMPLES / "vn_company_spv.yaml"
    refused(ipsa("assess", deal, "--templates", folder, "-o", tmp_path / "memo.md"), "firm/memo.md.j2:1: template error")
    word = tmp_path / "branded.docx"
    word.write_text("not a Word file", encoding="utf-8")
    refused(ipsa("memo", deal, "--docx-template", word, "-o", tmp_path / "memo.docx"),
            "branded.docx: not a Word document (.docx)")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["branded.docx", "firm"]
