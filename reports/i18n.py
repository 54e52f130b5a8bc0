"""Memos in the client's language: gettext catalogs (Babel), a glossary of legal terms, and locale formats.

Catalogs are PO files, one per language and domain, kept beside the text they translate:
  rules/<cc>/locale/<lang>.po   the jurisdiction's rules: each rule's requirement, law and remediation (the entry's
                                comment names the rule) and the conclusions its modules write
  rules/locale/<lang>.po        the rule shapes and market-practice rules the jurisdictions share (patterns.py, ...)
  reports/locale/<lang>.po      the memo's own words and what the engine writes (facts, risk, advice)
The English text is the message id; a text with figures or names in it is a template (`ipsa.engine.text.msg`) whose
placeholders the translation keeps. An entry is *reviewed* only when its flags say so (`#, reviewed`); a memo that
uses any unreviewed entry says so in its qualifications. `python -m ipsa.reports.i18n update` re-extracts every
message and merges it into the catalogs (a changed English text leaves its old translation marked fuzzy: stale);
`check` lists what is missing, stale or inconsistent with the glossary.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po
from ruamel.yaml import YAML

LANGUAGES = ("en", "zh", "vi", "ja")
TRANSLATED = LANGUAGES[1:]
REVIEWED = "reviewed"
PACKAGE = Path(__file__).resolve().parent.parent  # the folder holding engine/, rules/, reports/ (installed: ipsa/)
GLOSSARY = Path(__file__).resolve().parent / "locale" / "glossary.yaml"
KEYWORDS = {"msg": (1,), "N_": (1,)}  # ipsa.engine.text: msg("template {x}", x=...) and N_("a fixed text")
FIXED_DATE = dt.datetime(2026, 11, 26, tzinfo=dt.timezone.utc)  # catalog headers carry no run date: no churn in git
PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


# -- where messages come from ------------------------------------------------------------------------------------

@dataclass
class Source:
    """One English text to translate, where it was found and what a translator should know."""

    msgid: str
    locations: list[tuple[str, int]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


def domain_of(path: Path) -> str:
    """The catalog a source file's messages belong to: 'rules/cn', 'rules' or 'reports'."""
    relative = path.resolve().relative_to(PACKAGE)
    if relative.parts[0] == "rules" and len(relative.parts) > 2:
        return f"rules/{relative.parts[1]}"
    if relative.parts[0] == "rules":
        return "rules"
    return "reports"


def catalog_path(domain: str, language: str) -> Path:
    return PACKAGE / domain / "locale" / f"{language}.po"


def _add(found: dict[str, dict[str, Source]], domain: str, msgid: str, where: tuple[str, int] | None, comment: str = "") -> None:
    if not _has_words(msgid):  # a number format or a separator: the locale's symbols, not a translation
        return
    source = found.setdefault(domain, {}).setdefault(msgid, Source(msgid))
    if where and where not in source.locations:
        source.locations.append(where)
    if comment and comment not in source.comments:
        source.comments.append(comment)


def extract() -> dict[str, dict[str, Source]]:
    """Every message by domain: the rules' own texts (read from the loaded rule base, so a text a shared pattern
    builds for a jurisdiction lands in that jurisdiction's catalog), then every `msg(...)` and `N_(...)` in the code."""
    import inspect

    from ipsa.rules import all_rules

    found: dict[str, dict[str, Source]] = {}
    for rule in all_rules():
        domain = f"rules/{rule.jurisdiction.lower()}"
        if not (PACKAGE / domain).is_dir():
            domain = "rules"
        where = _rule_location(rule, inspect)
        for part in ("requirement", "law", "remediation"):
            _add(found, domain, getattr(rule, part), where, f"{rule.id} {part}")
    for root in ("engine", "rules", "reports", "web"):
        for path in sorted((PACKAGE / root).rglob("*.py")):
            for lineno, message, comments, _context in extract_from_file(
                    "python", str(path), keywords=KEYWORDS, comment_tags=("Translators:",)):
                text = message if isinstance(message, str) else message[0]
                _add(found, domain_of(path), text, (str(path.relative_to(PACKAGE)), lineno), " ".join(comments))
    return found


def _rule_location(rule, inspect) -> tuple[str, int] | None:
    try:
        path = Path(inspect.getsourcefile(rule.then)).resolve()
        return str(path.relative_to(PACKAGE)), inspect.getsourcelines(rule.then)[1]
    except (TypeError, OSError, ValueError):
        return None


# -- the catalogs ------------------------------------------------------------------------------------------------

def read_catalog(path: Path, language: str) -> Catalog:
    if not path.exists():
        return Catalog(locale=language, project="ipsa", fuzzy=False, creation_date=FIXED_DATE, revision_date=FIXED_DATE)
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def update(only: list[str] | None = None) -> list[Path]:
    """Merge the extracted messages into every language's catalogs (or those of the domains `only`); returns the
    files written."""
    written = []
    for domain, sources in sorted(extract().items()):
        if only and domain not in only:
            continue
        template = Catalog(project="ipsa", header_comment=f"# ipsa: {domain}", fuzzy=False, creation_date=FIXED_DATE)
        for source in sources.values():
            template.add(source.msgid, locations=source.locations, auto_comments=source.comments)
        for language in TRANSLATED:
            path = catalog_path(domain, language)
            catalog = read_catalog(path, language)
            catalog.update(template, no_fuzzy_matching=False, update_header_comment=True)
            catalog.obsolete.clear()  # a text no code writes any more leaves the catalog (git keeps its history)
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as handle:
                write_po(handle, catalog, width=120, sort_output=False, ignore_obsolete=True, include_previous=True)
            written.append(path)
    return written


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


def _term_pattern(words: list[str]) -> re.Pattern:
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")(?![\w-])",
                      re.IGNORECASE)


def check(language: str, only: str | None = None) -> list[str]:
    """What is wrong with a language's catalogs (or the one of domain `only`): missing, stale, obsolete,
    placeholders that differ from the English, glossary terms not used."""
    problems: list[str] = []
    terms = [(_term_pattern(t["en"]), t[language]) for t in glossary()]
    for domain, sources in sorted(extract().items()):
        if only and domain != only:
            continue
        path = catalog_path(domain, language)
        catalog = read_catalog(path, language)
        where = path.relative_to(PACKAGE)
        for msgid in sources:
            message = catalog.get(msgid)
            if message is None or not message.string:
                problems.append(f"{where}: missing: {msgid[:80]!r}")
            elif message.fuzzy:
                problems.append(f"{where}: stale (the English changed): {msgid[:80]!r}")
        for message in catalog:
            if not message.id:
                continue
            if message.id not in sources:
                problems.append(f"{where}: no code writes {message.id[:80]!r} any more")
                continue
            if not message.string or message.fuzzy:
                continue
            if placeholders(message.id) != placeholders(message.string):
                problems.append(f"{where}: placeholders differ from the English in {message.id[:80]!r}")
            for pattern, forms in terms:
                if pattern.search(message.id) and not any(form.lower() in message.string.lower() for form in forms):
                    problems.append(f"{where}: {pattern.search(message.id).group(0)!r} is not rendered as "
                                    f"{' or '.join(forms)} in {message.id[:60]!r}")
    return problems


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "update":
        for path in update(argv[1:] or None):
            print(path.relative_to(PACKAGE))
        return 0
    if command == "check":
        languages = [a for a in argv[1:] if a in TRANSLATED] or list(TRANSLATED)
        domains = [a for a in argv[1:] if a not in TRANSLATED] or [None]
        problems = [p for language in languages for domain in domains for p in check(language, domain)]
        print("\n".join(problems) or "every catalog complete")
        return 1 if problems else 0
    print("usage: python -m ipsa.reports.i18n update [DOMAIN...] | check [LANG...] [DOMAIN...]  (DOMAIN: reports, rules, rules/cn, ...)",
          file=sys.stderr)
    return 2



# -- translating a memo ------------------------------------------------------------------------------------------

SEPARATORS = {"en": ", ", "zh": "、", "ja": "、", "vi": ", "}
# Punctuation a template made of nothing else becomes in the language (full-width in Chinese and Japanese).
PUNCTUATION = {"zh": {"; ": "；", ", ": "、", ".": "。", " and ": "和"}, "ja": {"; ": "；", ", ": "、", ".": "。"}}


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

    @property
    def english(self) -> bool:
        return self.language == "en"

    def __call__(self, english: object) -> str:
        """A text of the assessment (a finding's conclusion, a fact, a vehicle's name) in this language."""
        english = str(english)
        if self.english or not english:
            return english
        from ipsa.engine.text import from_json, known

        data = self.messages.get(english)
        message = from_json(data) if data is not None else known(english)
        if message is not None and message.params:
            return self.fill(message.template, message.params)
        return self._lookup(english) or english

    def msg(self, template: str, **params) -> str:
        """ipsa's own words (the memo's headings and sentences), filled and translated."""
        return self.fill(template, params)

    def fill(self, template: str, params: dict) -> str:
        from ipsa.engine.text import Message

        if self.english:
            return str(Message(template, params))
        translated = self._lookup(template) or PUNCTUATION.get(self.language, {}).get(template, template)
        values = {}
        for name, value in params.items():
            values[name] = self._value(value)
        return PLACEHOLDER.sub(lambda m: self._format(values[m.group(1)], _spec(m.group(0))), translated)

    def _lookup(self, english: str) -> str | None:
        entry = self.entries.get(english)
        if entry is None:
            if _has_words(english):
                self.missing.add(english)
            return None
        if not entry.reviewed:
            self.unreviewed.add(english)
        return entry.text

    def _value(self, value):
        from ipsa.engine.text import Message

        if isinstance(value, Message):
            return self.fill(value.template, value.params) if value.params else self(value.template)
        if isinstance(value, (list, tuple)):
            return SEPARATORS[self.language].join(str(self._value(v)) for v in value)
        if isinstance(value, str):
            entry = self.entries.get(value)  # a term the code passes in (a method, a role): translated if catalogued
            if entry is not None and not entry.reviewed:
                self.unreviewed.add(value)
            return entry.text if entry is not None else value
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


_WORDS = re.compile(r"[A-Za-z]{3,}")


def _has_words(text: str) -> bool:
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


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
