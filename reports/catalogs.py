"""Keeping the catalogs: extract every translatable text, merge it into each language's PO files, and check them.

`python -m ipsa.reports.catalogs update [DOMAIN...]` re-extracts every message and merges it into the catalogs (a
changed English text leaves its old translation marked fuzzy: stale; a text no code writes any more leaves);
`check [LANG...] [DOMAIN...]` lists what is missing, stale, placed differently or inconsistent with the glossary.
Messages come from the loaded rule base (each rule's requirement, law and remediation, under its jurisdiction), the
knowledge base's vehicle forms, the deal model's vocabularies, and every `msg(...)` and `N_(...)` in the code.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import write_po

from ipsa.reports.i18n import (
    FIXED_DATE, PACKAGE, TRANSLATED, has_words, glossary, placeholders, read_catalog, term_pattern,
)

KEYWORDS = {"msg": (1,), "N_": (1,)}  # ipsa.engine.text: msg("template {x}", x=...) and N_("a fixed text")


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
    if not has_words(msgid):  # a number format or a separator: the locale's symbols, not a translation
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
    from ipsa.knowledge_base import load as load_knowledge_base

    for vehicle in load_knowledge_base().vehicles.values():  # the vehicle forms' descriptions, under their jurisdiction
        domain = f"rules/{vehicle.jurisdiction.lower()}"
        if not (PACKAGE / domain).is_dir():
            domain = "rules"
        where = (f"knowledge_base/{vehicle.jurisdiction.lower()}/vehicles.yaml", 0)
        for text in (vehicle.name, vehicle.summary, vehicle.reason or "", vehicle.investors, *vehicle.steps):
            _add(found, domain, text, where, f"vehicle {vehicle.id}")
    for word in vocabulary():
        _add(found, "reports", word, ("engine/model.py", 0), "a value of the deal description")
    for path in sorted((PACKAGE / "reports" / "templates").glob("*.j2")):  # the templates' own words: msg("...")
        for lineno, message, comments, _context in extract_from_file(
                "jinja2.ext:babel_extract", str(path), keywords={"msg": None}, options={"trimmed": "false"}):
            text = message if isinstance(message, str) else message[0]
            _add(found, "reports", text, (str(path.relative_to(PACKAGE)), lineno), " ".join(comments))
    for root in ("engine", "rules", "reports", "web"):
        for path in sorted((PACKAGE / root).rglob("*.py")):
            for lineno, message, comments, _context in extract_from_file(
                    "python", str(path), keywords=KEYWORDS, comment_tags=("Translators:",)):
                text = message if isinstance(message, str) else message[0]
                _add(found, domain_of(path), text, (str(path.relative_to(PACKAGE)), lineno), " ".join(comments))
    return found


def vocabulary() -> list[str]:
    """The words of the deal description's fixed vocabularies (roles, statuses, methods, investor types...), as a memo
    shows them (underscores as spaces): every Literal of engine/model.py, walked from its models."""
    import typing

    from pydantic import BaseModel

    from ipsa.engine import model

    words: dict[str, None] = {}

    def walk(annotation) -> None:
        if typing.get_origin(annotation) is typing.Literal:
            for value in typing.get_args(annotation):
                if isinstance(value, str) and re.fullmatch(r"[a-z][a-z0-9_ ]+", value):
                    words[value.replace("_", " ")] = None
        for arg in typing.get_args(annotation):
            walk(arg)

    for item in vars(model).values():
        if isinstance(item, type) and issubclass(item, BaseModel) and item.__module__ == model.__name__:
            for info in item.model_fields.values():
                walk(info.annotation)
    walk(model.Role)
    walk(model.EntityType)
    return list(words)


def _rule_location(rule, inspect) -> tuple[str, int] | None:
    try:
        path = Path(inspect.getsourcefile(rule.then)).resolve()
        return str(path.relative_to(PACKAGE)), inspect.getsourcelines(rule.then)[1]
    except (TypeError, OSError, ValueError):
        return None


# -- the catalogs ------------------------------------------------------------------------------------------------

def update(only: list[str] | None = None, languages: list[str] | None = None) -> list[Path]:
    """Merge the extracted messages into every language's catalogs (or those of the domains `only`, in the
    `languages` given); returns the files written."""
    written = []
    for domain, sources in sorted(extract().items()):
        if only and domain not in only:
            continue
        template = Catalog(project="ipsa", header_comment=f"# ipsa: {domain}", fuzzy=False, creation_date=FIXED_DATE)
        for source in sources.values():
            template.add(source.msgid, locations=source.locations, auto_comments=source.comments)
        for language in languages or TRANSLATED:
            path = catalog_path(domain, language)
            catalog = read_catalog(path, language)
            catalog.update(template, no_fuzzy_matching=False, update_header_comment=True)
            catalog.obsolete.clear()  # a text no code writes any more leaves the catalog (git keeps its history)
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as handle:
                write_po(handle, catalog, width=120, sort_output=False, ignore_obsolete=True, include_previous=True)
            written.append(path)
    return written


def check(language: str, only: str | None = None) -> list[str]:
    """What is wrong with a language's catalogs (or the one of domain `only`): missing, stale, obsolete,
    placeholders that differ from the English, glossary terms not used."""
    problems: list[str] = []
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
            problems += [f"{where}: {p}" for p in glossary_problems(message.id, message.string, language)]
    return problems


def glossary_problems(english: str, translated: str, language: str) -> list[str]:
    """The glossary terms an English text uses that its translation does not render with one of the language's forms."""
    out = []
    for term in glossary():
        found = term_pattern(term["en"]).search(english)
        if found and not any(form.lower() in translated.lower() for form in term[language]):
            out.append(f"{found.group(0)!r} is not rendered as {' or '.join(term[language])} in {english[:60]!r}")
    return out


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "update":
        languages = [a for a in argv[1:] if a in TRANSLATED]
        for path in update([a for a in argv[1:] if a not in TRANSLATED] or None, languages or None):
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


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
