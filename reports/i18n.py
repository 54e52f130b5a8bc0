"""Memos in the client's language: gettext catalogs (Babel), a glossary of legal terms, and locale formats.

Catalogs are PO files, one per language and domain, kept beside the text they translate:
  rules/<cc>/locale/<lang>.po   the jurisdiction's rules: each rule's requirement, law and remediation (the entry's
                                comment names the rule) and the conclusions its modules write
  rules/locale/<lang>.po        the rule shapes and market-practice rules the jurisdictions share (patterns.py, ...)
  reports/locale/<lang>.po      the memo's own words and what the engine writes (facts, risk, advice)
The English text is the message id; a text with figures or names in it is a template (`ipsa.engine.text.msg`) whose
placeholders the translation keeps. An entry is *reviewed* only when its flags say so (`#, reviewed`); a memo that
uses any unreviewed entry says so in its qualifications. The catalogs are kept by `ipsa.reports.catalogs`
(`python -m ipsa.reports.catalogs update | check`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from ruamel.yaml import YAML

LANGUAGES = ("en", "zh", "vi", "ja")
TRANSLATED = LANGUAGES[1:]
REVIEWED = "reviewed"
PACKAGE = Path(__file__).resolve().parent.parent  # the folder holding engine/, rules/, reports/ (installed: ipsa/)
GLOSSARY = Path(__file__).resolve().parent / "locale" / "glossary.yaml"
FIXED_DATE = dt.datetime(2026, 11, 26, tzinfo=dt.timezone.utc)  # catalog headers carry no run date: no churn in git
PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)(?:!([rsalu]))?(?::[^{}]*)?\}(?!\})")


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


@dataclass(frozen=True)
class Entry:
    text: str
    reviewed: bool


@cache
def entries(language: str) -> dict[str, Entry]:
    """Every translated message of a language, from all its catalogs (fuzzy entries are stale: left out)."""
    out: dict[str, Entry] = {}
    for path in sorted(PACKAGE.glob(f"**/locale/{language}.po")):
        for message in read_catalog(path, language):
            if message.id and message.string and not message.fuzzy:
                out.setdefault(message.id, Entry(message.string, REVIEWED in message.flags))
    return out


@cache
def glossary() -> list[dict[str, list[str]]]:
    return YAML(typ="safe").load(GLOSSARY.read_text(encoding="utf-8"))["terms"]


def term_pattern(words: list[str]) -> re.Pattern:
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")(?![\w-])",
                      re.IGNORECASE)


def read_catalog(path: Path, language: str) -> Catalog:
    if not path.exists():
        return Catalog(locale=language, project="ipsa", fuzzy=False, creation_date=FIXED_DATE, revision_date=FIXED_DATE)
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


# -- translating a memo ------------------------------------------------------------------------------------------

# Chinese and Japanese write word-less templates (brackets, separators) in full-width punctuation; a list's comma is
# the enumeration comma 、 there.
PUNCTUATION = {"zh": {", ": "、"}, "ja": {", ": "、"}}
FULL_WIDTH = frozenset(PUNCTUATION)
_FULL = ((" (", "（"), ("(", "（"), (")", "）"), ("; ", "；"), (";", "；"), (": ", "："), (", ", "，"), (". ", "。"))


def _full_width(text: str) -> str:
    for ascii_form, full in _FULL:
        text = text.replace(ascii_form, full)
    return text[:-1] + "。" if text.endswith(".") and not text.endswith("..") else text


class Translator:
    """Turns the English an assessment holds into a language: a text the assessment knows the message of is
    translated from its template and filled again; any other text is looked up whole; numbers in templates are
    formatted for the locale (Babel). English passes through unchanged, byte for byte. What had no translation is
    kept in English and listed in `missing`; what came from an unreviewed entry is counted in `unreviewed`."""

    def __init__(self, language: str = "en", messages: dict[str, dict] | None = None):
        from babel import Locale

        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}; expected one of {', '.join(LANGUAGES)}")
        self.language = language
        self.locale = Locale.parse(language)
        self.entries = entries(language) if language != "en" else {}
        self.messages = messages or {}
        self.missing: set[str] = set()
        self.unreviewed: set[str] = set()
        self._open: set[str] = set()

    @property
    def english(self) -> bool:
        return self.language == "en"

    def __call__(self, english: object) -> str:
        """A text of the assessment (a finding's conclusion, a fact, a vehicle's name) in this language."""
        return self._translate(str(english), True)

    def _translate(self, english: str, strict: bool) -> str:
        if self.english or not english:
            return english
        from ipsa.engine.text import from_json

        data = self.messages.get(english)  # the assessment's own record, never this process's memory: the same
        message = from_json(data) if data is not None else None  # memo whichever process writes it
        if message is not None and message.params and english not in self._open:
            self._open.add(english)  # a text made of itself (a one-part join) is looked up whole below
            try:
                return self.fill(message.template, message.params)
            finally:
                self._open.discard(english)
        return self._lookup(english, strict) or english

    @property
    def space(self) -> str:
        """Between two sentences: a space, except in Chinese and Japanese."""
        return "" if self.language in FULL_WIDTH else " "

    def _punctuated(self, template: str) -> str:
        """A template with no words (separators, brackets around values) in the language's punctuation: full-width
        in Chinese and Japanese, outside the placeholders only."""
        if self.language not in FULL_WIDTH:
            return template
        known_form = PUNCTUATION[self.language].get(template)
        if known_form is not None:
            return known_form
        out, k = [], 0
        for match in PLACEHOLDER.finditer(template):
            out.append(_full_width(template[k:match.start()]))
            out.append(match.group(0))
            k = match.end()
        out.append(_full_width(template[k:]))
        return "".join(out)

    def term(self, value: object) -> str:
        """A label that may have a translation (a practice source's section name) and may as well not: kept as it
        is then, not counted as missing."""
        return self._translate(str(value), False)

    def msg(self, template: str, **params) -> str:
        """ipsa's own words (the memo's headings and sentences), filled and translated."""
        return self.fill(template, params)

    def fill(self, template: str, params: dict) -> str:
        from ipsa.engine.text import Message

        if self.english:
            return str(Message(template, params))
        translated = self._lookup(template) or self._punctuated(template)
        values = {}
        for name, value in params.items():
            values[name] = self._value(value)
        return PLACEHOLDER.sub(lambda m: self._converted(self._format(values[m.group(1)], _spec(m.group(0))), m.group(2)),
                               translated)

    def _converted(self, text: str, conversion: str | None) -> str:
        if conversion in ("l", "u") and self.language in ("en", "vi"):  # where letters have case
            return (text[:1].lower() if conversion == "l" else text[:1].upper()) + text[1:]
        return text

    def _lookup(self, english: str, strict: bool = True) -> str | None:
        entry = self.entries.get(english)
        if entry is None and "_" in english and " " not in english:  # a vocabulary word as the deal file spells it
            entry = self.entries.get(english.replace("_", " "))
        if entry is None:
            if strict and has_words(english):
                self.missing.add(english)
            return None
        if not entry.reviewed:
            self.unreviewed.add(english)
        return entry.text

    def _value(self, value):
        from ipsa.engine.text import Message

        if isinstance(value, Message):
            return self.fill(value.template, value.params) if value.params else (self._lookup(value.template) or value.template)
        if isinstance(value, (list, tuple)):
            return self._punctuated(", ").join(str(self._value(v)) for v in value)
        if isinstance(value, str) and not has_words(value):
            return self._punctuated(value)
        if isinstance(value, str):  # a name stays as it is; a text of the engine or a vocabulary word is translated
            return self._translate(value, False)
        return value

    def _format(self, value, spec: str) -> str:
        """Python's own formatting (so every language shows the same digits, rounded once), then the locale's
        decimal and grouping symbols (Babel's CLDR data): 1,234.50 in English and Chinese, 1.234,50 in Vietnamese."""
        from babel.numbers import get_decimal_symbol, get_group_symbol

        if not spec or isinstance(value, (str, bool)) or not isinstance(value, (int, float)):
            return format(value, spec) if spec and not isinstance(value, str) else str(value)
        english = format(value, spec)
        if self.english:
            return english
        group, decimal = get_group_symbol(self.locale), get_decimal_symbol(self.locale)
        return english.translate({ord(","): "\0", ord("."): decimal}).replace("\0", group)

    # numbers and dates outside templates, as content.py's own helpers do for English
    def pct(self, value: float) -> str:
        return self.msg("{value:.2%}", value=value)

    def money(self, value: float) -> str:
        return self.msg("{value:,.0f}", value=value)

    def fixed(self, value: float) -> str:
        return self.msg("{value:.2f}", value=value)

    def count(self, value: int) -> str:
        return self.msg("{value:,}", value=value)

    def date_line(self, day) -> str:
        """The memo's date as lawyers write it in the language: ISO in English (as before), 2026年11月26日 in
        Chinese, 令和8年11月26日 (2026年) in Japanese, ngày 26 tháng 11 năm 2026 in Vietnamese."""
        import datetime as dt_

        if isinstance(day, str):
            try:
                day = dt_.date.fromisoformat(day)
            except ValueError:
                return day
        if self.language == "zh":
            return f"{day.year}年{day.month}月{day.day}日"
        if self.language == "ja":
            return f"{japanese_era(day)}{day.month}月{day.day}日（{day.year}年）"
        if self.language == "vi":
            return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"
        return day.isoformat()


def _spec(placeholder: str) -> str:
    inner = placeholder[1:-1]
    return inner.split(":", 1)[1] if ":" in inner else ""


_WORDS = re.compile(r"[A-Za-z]{2,}")


def has_words(text: str) -> bool:
    return bool(_WORDS.search(PLACEHOLDER.sub("", text)))


# The Japanese eras since 1926, from the cabinet orders that changed them (元号を改める政令): 昭和 from 1926-12-25,
# 平成 from 1989-01-08 (昭和64年政令第1号), 令和 from 2019-05-01 (平成31年政令第143号). The first year of an era is 元年.
ERAS = ((dt.date(2019, 5, 1), "令和"), (dt.date(1989, 1, 8), "平成"), (dt.date(1926, 12, 25), "昭和"))


def japanese_era(day: dt.date) -> str:
    """The era year of a date, as Japanese official documents write it: 令和8年, 令和元年, 平成31年."""
    for start, name in ERAS:
        if day >= start:
            year = day.year - start.year + 1
            return f"{name}{'元' if year == 1 else year}年"
    return f"{day.year}年"
