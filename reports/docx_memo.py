"""The memo as a Word document (python-docx), walking the same content blocks as the Markdown and HTML.

A firm's branded DOCX can be given as the starting document: its styles, header and footer are kept and the memo
is appended to its body. Text is inserted as text, never interpreted. East Asian text is given an East Asian font
so that Chinese titles display in Word.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Callable

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from ipsa.reports.content import Memo, Span

EAST_ASIAN_FONTS = {"ja": "Noto Serif CJK JP"}  # Japanese glyph forms for a Japanese memo; Chinese otherwise
EAST_ASIAN_FONT = "Noto Serif CJK SC"
UNVERIFIED = RGBColor(0xA4, 0x00, 0x00)


def build(memo: Memo, figure_png: Callable[[str], bytes], template: Path | None = None) -> bytes:
    """The DOCX bytes; `figure_png(key)` draws a chart when the walk reaches it."""
    document = Document(str(template)) if template else Document()
    normal = document.styles["Normal"]
    normal.font.name = normal.font.name or "Georgia"
    normal.font.size = normal.font.size or Pt(10.5)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), EAST_ASIAN_FONTS.get(memo.language, EAST_ASIAN_FONT))
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
