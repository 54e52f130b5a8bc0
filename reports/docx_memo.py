"""The memo as a Word document (python-docx), walking the same content blocks as the Markdown and HTML.

A firm's branded DOCX can be given as the starting document: its styles, header and footer are kept and the memo
is appended to its body. Text is inserted as text, never interpreted. East Asian text is given an East Asian font
so that Chinese titles display in Word.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import Path
from typing import Callable

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

from ipsa.reports import input_error
from ipsa.reports.content import Memo, Span

EAST_ASIAN_FONTS = {"ja": "Noto Serif CJK JP"}  # Japanese glyph forms for a Japanese memo; Chinese otherwise
EAST_ASIAN_FONT = "Noto Serif CJK SC"
UNVERIFIED = RGBColor(0xA4, 0x00, 0x00)
# The paragraph styles add_heading asks for, with no fallback: the title (0), sections (1), headings (2, 3) and
# findings (4) of content.py. A template made in Word lacks those it never used.
HEADING_STYLES = ("Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4")
# What python-docx and the zipfile, zlib and lxml below it raise for a file that is not a usable Word package.
UNUSABLE = (PackageNotFoundError, zipfile.BadZipFile, zlib.error, etree.XMLSyntaxError, KeyError, AttributeError,
            ValueError, TypeError, IndexError, EOFError, NotImplementedError, RuntimeError, OSError)


def check_template(path: Path) -> None:
    """Refuse a firm's branded DOCX before the assessment runs, not after it: it is opened, prepared and saved as
    build() will. Raises DealInputError naming the file ("not a Word document (.docx) that ipsa can use as a
    template: <reason>")."""
    document = _start(path, "en")
    try:
        document.save(io.BytesIO())
    except UNUSABLE as exc:
        raise _refused(path, _reason(exc)) from None


def build(memo: Memo, figure_png: Callable[[str], bytes], template: Path | None = None) -> bytes:
    """The DOCX bytes; `figure_png(key)` draws a chart when the walk reaches it."""
    document = _start(template, memo.language)
    styles = {s.name for s in document.styles}
    writer = _Writer(document, styles, figure_png)
    writer.colon = memo.colon

    document.add_heading(memo.title, level=0)
    document.add_paragraph().add_run(memo.privileged).bold = True
    writer.grid([], [[[Span(label, "strong")], [Span(value)]] for label, value in memo.heading])
    for section in memo.sections:
        document.add_heading(section.title, level=1)
        writer.blocks(section.blocks)
    # Word's core properties hold at most 255 characters; the full name stays in the memo's own heading.
    document.core_properties.title = _property(f"{memo.title} — {memo.deal}")
    document.core_properties.author = _property(dict(memo.heading).get("From", ""))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _start(template: Path | None, language: str):
    """The document the memo is written into (a firm's DOCX, else python-docx's own), its Normal style set. A
    template python-docx cannot open, or one without a style the memo needs, is a DealInputError naming it."""
    if template is None:
        return _normal(Document(), language)
    if not template.is_file():
        raise input_error([(str(template), None, "DOCX template not found")])
    try:
        document = _normal(Document(str(template)), language)
        kinds = {s.name: s.type for s in document.styles}
    except UNUSABLE as exc:
        raise _refused(template, _reason(exc)) from None
    missing = [name for name in HEADING_STYLES if kinds.get(name) != WD_STYLE_TYPE.PARAGRAPH]
    if missing:
        listed = ", ".join(repr(m) for m in missing)
        raise _refused(template, f"it lacks the paragraph style{'s' if len(missing) > 1 else ''} {listed} that the "
                                 "memo's headings use")
    return document


def _normal(document, language: str):
    normal = document.styles["Normal"]
    normal.font.name = normal.font.name or "Georgia"
    normal.font.size = normal.font.size or Pt(10.5)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), EAST_ASIAN_FONTS.get(language, EAST_ASIAN_FONT))
    return document


def _refused(template: Path, reason: str):
    return input_error([(str(template), None, f"not a Word document (.docx) that ipsa can use as a template: "
                                              f"{reason}")])


def _reason(exc: Exception) -> str:
    """A short, plain reason for the exception python-docx (or what it uses) raised."""
    text = " ".join(str(exc.args[0] if isinstance(exc, KeyError) and exc.args else exc).split())
    if isinstance(exc, (PackageNotFoundError, zipfile.BadZipFile)):
        return "it is not a ZIP package, as every .docx file is"
    if isinstance(exc, etree.XMLSyntaxError):
        return f"an XML part inside it is broken ({getattr(exc, 'msg', None) or text})"
    if isinstance(exc, OSError):
        return exc.strerror or text
    found = re.search(r"is not a Word file, content type is '([^']*)'", text)
    if found:
        return f"its main part is not a Word document but {found.group(1)}"
    if text.startswith("no style with name"):
        return f"it has {text}"
    if text.startswith("There is no item named"):
        return f"the package is incomplete: {text[0].lower()}{text[1:]}"
    return f"its package is not laid out as a Word document's ({type(exc).__name__}: {text})"


class _Writer:
    colon = ": "

    def __init__(self, document, styles: set[str], figure_png: Callable[[str], bytes]):
        self.document, self.styles, self.figure_png = document, styles, figure_png

    def blocks(self, items: list) -> None:
        for b in items:
            getattr(self, b.kind)(b)

    def heading(self, b) -> None:
        self.document.add_heading(b.text, level=min(b.level, 9))

    def paragraph(self, b) -> None:
        self.spans(self.document.add_paragraph(), b.spans)

    def bullets(self, b) -> None:
        for n, item in enumerate(b.items, start=1):
            self.item(item, numbered=n if b.ordered else None)

    def chain(self, b) -> None:
        for label, spans in b.steps:
            self.item([Span(f"{label}{self.colon}"), *spans])

    def pair(self, b) -> None:
        """English on the left, the client's language on the right: one borderless two-column row."""
        row = self.document.add_table(rows=1, cols=2).rows[0]
        for cell, block in zip(row.cells, (b.left, b.right)):
            inner = _Writer(_Cell(cell), self.styles, self.figure_png)
            inner.colon = self.colon
            inner.blocks([block])
            first = cell.paragraphs[0]
            if not first.text and len(cell.paragraphs) > 1:  # a new cell starts with an empty paragraph
                first._element.getparent().remove(first._element)

    def finding(self, b) -> None:
        self.document.add_heading(b.title, level=min(b.level, 9))
        self.blocks(b.blocks)

    def table(self, b) -> None:
        self.grid(b.header, b.rows, b.caption)

    def grid(self, header: list[str], rows: list, caption: str = "") -> None:
        table = self.document.add_table(rows=0, cols=len(header) or len(rows[0]))
        if "Table Grid" in self.styles:
            table.style = "Table Grid"
        if header:
            for cell, text in zip(table.add_row().cells, header):
                cell.paragraphs[0].add_run(text).bold = True
        for row in rows:
            for cell, spans in zip(table.add_row().cells, row):
                self.spans(cell.paragraphs[0], spans)
        if caption:
            self.caption(caption)

    def figure(self, b) -> None:
        self.document.add_picture(io.BytesIO(self.figure_png(b.key)), width=Cm(16))
        self.caption(f"{b.title}. {b.caption}")

    def caption(self, text: str) -> None:
        paragraph = self.document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.italic = True
        run.font.size = Pt(8.5)

    def item(self, spans: list[Span], numbered: int | None = None) -> None:
        style = "List Number" if numbered else "List Bullet"
        if style in self.styles:
            self.spans(self.document.add_paragraph(style=style), spans)
        else:  # a firm's template without list styles
            self.spans(self.document.add_paragraph(), [Span(f"{numbered}. " if numbered else "• "), *spans])

    @staticmethod
    def spans(paragraph, spans: list[Span]) -> None:
        for s in spans:
            run = paragraph.add_run(s.text)
            run.italic = s.style in ("em", "unverified") or None
            run.bold = s.style == "strong" or None
            if s.style == "unverified":
                run.font.color.rgb = UNVERIFIED
            if s.style == "code":
                run.font.name = "Courier New"


class _Cell:
    """A table cell offered to the writer as if it were the document (Word cells hold paragraphs and tables, not
    headings: a heading there is a bold paragraph)."""

    def __init__(self, cell):
        self.cell = cell

    def add_heading(self, text: str, level: int = 1):
        paragraph = self.cell.add_paragraph()
        paragraph.add_run(text).bold = True
        return paragraph

    def add_paragraph(self, text: str = "", style: str | None = None):
        return self.cell.add_paragraph(text, style=style)

    def add_table(self, rows: int, cols: int):
        return self.cell.add_table(rows=rows, cols=cols)

    def add_picture(self, stream, width=None):
        return self.cell.add_paragraph().add_run().add_picture(stream, width=width)


def _property(value: str, limit: int = 255) -> str:
    return value if len(value) <= limit else value[:limit - 1] + "…"
