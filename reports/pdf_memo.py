"""The memo as PDF: the HTML edition printed by WeasyPrint.

Before printing, every character of the memo is checked against the fonts fontconfig offers. Characters no
installed font can draw (typically Chinese titles on a machine without a CJK font) are not left to print as empty
boxes: they are replaced by a visible marker and the memo says, at its top, what is missing and how to get it
(Debian's fonts-noto-cjk); the HTML and DOCX editions keep the original text.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from functools import cache

MARKER = "[original script not shown]"


@cache
def installed_coverage() -> frozenset[int] | None:
    """Code points some installed font can draw, from fontconfig's own character sets (`fc-list %{charset}`: hex
    ranges per font, read in milliseconds; opening every font file cost seconds once a CJK font was installed);
    None where fontconfig is not available to ask."""
    if shutil.which("fc-list") is None:
        return None
    listed = subprocess.run(["fc-list", "--format", "%{charset}\n"], capture_output=True, text=True, check=False).stdout
    covered: set[int] = set()
    for span in set(listed.split()):
        first, _, last = span.partition("-")
        try:
            covered.update(range(int(first, 16), int(last or first, 16) + 1))
        except ValueError:  # not a range: fontconfig printed something else
            continue
    return frozenset(covered)


def _missing(text: str, covered: frozenset[int]) -> set[str]:
    return {ch for ch in text if ord(ch) > 0x7F and ord(ch) not in covered and not unicodedata.category(ch).startswith(("Z", "C"))}


def fallback(html: str, tr=None) -> tuple[str, str | None]:
    """The HTML with undrawable characters replaced, and the note that says so in the memo's language (`tr`, a
    reports.i18n.Translator; English without one), None if nothing is missing."""
    from ipsa.reports.i18n import Translator

    tr = tr or Translator("en")
    covered = installed_coverage()
    if covered is None:
        return html, None
    missing = _missing(html, covered)
    if not missing:
        return html, None
    pattern = re.compile("[" + "".join(re.escape(ch) for ch in sorted(missing)) + "]+")
    cjk = any(unicodedata.name(ch, "").startswith("CJK") for ch in missing)
    figures = dict(count=len(missing), marker=MARKER)
    note = (tr.msg("This PDF cannot show {count} character(s) of the memo, the Chinese original titles among them, "
                   "because no installed font has their glyphs; they appear as {marker}. Install a font that covers them "
                   "(on Debian: apt-get install fonts-noto-cjk) and render the PDF again. The HTML and DOCX editions "
                   "show them.", **figures) if cjk else
            tr.msg("This PDF cannot show {count} character(s) of the memo, because no installed font has their glyphs; "
                   "they appear as {marker}. Install a font that covers them (on Debian: apt-get install "
                   "fonts-noto-cjk) and render the PDF again. The HTML and DOCX editions show them.", **figures))
    return pattern.sub(MARKER, html), note


def write_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()
