"""ipsa.reports: the memo's one content model (content.py), its renderers (Jinja2 templates for Markdown and HTML,
docx_memo.py, pdf_memo.py) and the rulebook.

Templates receive the Assessment (`a`) and the memo's content (`memo`); no legal text or figure is typed into a
template. HTML is autoescaped; Markdown escapes every text it is given.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from ipsa.engine.assessment import AREAS
from ipsa.reports.content import AREA_TITLES, Span

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|&])")


def md_escape(value: object) -> str:
    """Escape Markdown and HTML metacharacters so text renders as text in any Markdown viewer."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(value).splitlines()))


def md_inline(spans: list[Span]) -> str:
    out = []
    for s in spans:
        body = md_escape(s.text)
        if s.style == "em" and body:
            body = f"*{body}*"
        elif s.style == "strong" and body:
            body = f"**{body}**"
        elif s.style == "code":
            body = f"`{s.text}`"
        elif s.style == "unverified":  # brackets with no link after them are text: keep the mark readable
            body = body.replace("\\[", "[").replace("\\]", "]")
        out.append(body)
    return "".join(out)


def md_row(cells: list) -> str:
    """One Markdown table row; cells are spans or plain strings."""
    return "| " + " | ".join(md_escape(c) if isinstance(c, str) else md_inline(c) for c in cells) + " |"


_HTML_STYLES = {"em": "em", "strong": "strong", "code": "code"}


def html_inline(spans: list[Span]) -> Markup:
    out = []
    for s in spans:
        body = escape(s.text)
        if s.style in _HTML_STYLES:
            body = Markup("<{0}>{1}</{0}>").format(Markup(_HTML_STYLES[s.style]), body)
        elif s.style == "unverified":
            body = Markup('<span class="unverified">{}</span>').format(body)
        if s.href:
            body = Markup('<a href="{}">{}</a>').format(s.href, body)
        if s.lang:
            body = Markup('<span lang="{}">{}</span>').format(s.lang, body)
        out.append(body)
    return Markup("").join(out)


def css_string(value: object) -> Markup:
    """Text for a quoted CSS string (the printed page's footer): backslash, quote and angle bracket escaped."""
    return Markup(str(value).replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ").replace("\n", " "))


@lru_cache(maxsize=16)
def environment(template_dir: Path | None = None) -> Environment:
    """The templates: a firm's folder first, then the bundled ones (cached; changed files are reloaded)."""
    loaders = [PackageLoader("ipsa.reports", "templates")]
    if template_dir is not None:
        loaders.insert(0, FileSystemLoader(str(template_dir)))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(md=md_escape, md_inline=md_inline, md_row=md_row, inline=html_inline, css_string=css_string)
    return env


def render_rulebook(template_dir: Path | None = None, language: str = "en") -> str:
    """The whole rule base as one HTML document for a lawyer's review: each rule with its requirement, the law's
    gist, its citations (unverified ones marked), dated parameters, remediation and the scenarios that test it. In
    another language the rules' own texts and the document's words are translated; the instruments' research notes
    (gists) and the Gherkin scenarios, which are the tests' own text, stay in English, as the document says."""
    from ipsa.reports.i18n import Translator
    from ipsa.engine.jurisdiction import jurisdictions
    from ipsa.engine.scenarios import scenarios_by_rule
    from ipsa.knowledge_base import load as load_kb
    from ipsa.rules import all_rules, in_force_window, rulebase_version

    tr = Translator(language)
    kb = load_kb()
    scenarios = scenarios_by_rule()
    names = {j.code: j.name for j in jurisdictions()}  # in the jurisdictions' listing order
    order = list(names)
    rules = sorted(all_rules(), key=lambda r: (order.index(r.jurisdiction), AREAS.index(r.area), r.id))
    by_jurisdiction: dict[str, list[dict]] = {}
    for rule in rules:
        start, end = in_force_window(rule)
        window = (tr.msg("from {start}", start=start) if start else tr.msg("without a start date")) + (
            tr.msg(" until {end}", end=end) if end else "")
        by_jurisdiction.setdefault(rule.jurisdiction, []).append({
            "rule": rule, "window": window, "citations": [kb.resolve(ref) for ref in rule.citations],
            "parameters": [kb.parameters[pid] for pid in rule.parameters], "scenarios": scenarios.get(rule.id, ()),
        })
    contents = [(j, {area: [e for e in entries if e["rule"].area == area] for area in AREAS}) for j, entries in by_jurisdiction.items()]
    return environment(template_dir).get_template("rulebook.html.j2").render(
        version=rulebase_version(), rules=rules, by_jurisdiction=list(by_jurisdiction.items()), contents=contents,
        areas=AREAS, area_titles={k: tr(v) for k, v in AREA_TITLES.items()},
        jurisdiction_names={k: tr(v) for k, v in names.items()},
        scenario_total=sum(len(s) for s in scenarios.values()), tr=tr, msg=tr.msg, language=language,
    )
