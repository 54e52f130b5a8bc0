"""ipsa.reports: Jinja2 templates and renderers that turn an Assessment into a memo.

Templates receive only the Assessment and the knowledge base's rendering of citations; no legal text is typed
into a template. HTML is autoescaped; Markdown escapes everything that came from the deal file.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined, select_autoescape

from ipsa.engine.assessment import Assessment
from ipsa.engine.rulekit import AREAS

FORMATS = {"md": "memo.md.j2", "html": "memo.html.j2"}
AREA_TITLES = {
    "spv_form": "SPV form",
    "bankruptcy_remoteness": "Bankruptcy remoteness",
    "tax": "Tax",
    "supervision": "Supervision",
}
JURISDICTION_NAMES = {
    "CN": "People's Republic of China", "VN": "Viet Nam", "US": "United States", "JP": "Japan",
    "EU": "European Union", "GB": "United Kingdom",
}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|&])")


def md_escape(value: object) -> str:
    """Escape Markdown and HTML metacharacters so deal text renders as text in any Markdown viewer."""
    return _MD_SPECIAL.sub(r"\\\1", str(value))


def environment(template_dir: Path | None = None) -> Environment:
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
    env.filters["md"] = md_escape
    env.filters["money"] = lambda v: f"{v:,.0f}"
    env.filters["pct"] = lambda v: f"{v:.2%}"
    return env


def render(assessment: Assessment, fmt: str, template_dir: Path | None = None, advice=None,
           generated: str | None = None, charts: list | None = None, font_note: str | None = None) -> str:
    """Render a memo in `fmt` ('md' or 'html'); a firm may supply a folder whose templates take precedence.
    `generated` is the memo's date line (today unless given); `charts` (reports.charts) are placed in the HTML;
    `font_note` is the PDF edition's statement of what it cannot draw."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown memo format {fmt!r}; expected one of {', '.join(FORMATS)}")
    template = environment(template_dir).get_template(FORMATS[fmt])
    by_section: dict[str, dict[str, list]] = {}
    for finding in assessment.findings:
        by_section.setdefault(finding.jurisdiction, {}).setdefault(finding.area, []).append(finding)
    return template.render(
        a=assessment,
        sections=[(j, [(area, by_section[j][area]) for area in AREAS if area in by_section.get(j, {})])
                  for j in assessment.jurisdictions_assessed],
        areas=AREAS,
        area_titles=AREA_TITLES,
        jurisdiction_names=JURISDICTION_NAMES,
        authorities=assessment.authorities(),
        advice=advice,
        generated=generated or dt.date.today().isoformat(),
        charts=charts if charts is not None else [],
        font_note=font_note,
    )


def render_rulebook(template_dir: Path | None = None) -> str:
    """The whole rule base as one HTML document for a lawyer's review: each rule with its requirement, the law's
    gist, its citations (unverified ones marked), dated parameters, remediation and the scenarios that test it."""
    from ipsa.engine.scenarios import scenarios_by_rule
    from ipsa.knowledge_base import load as load_kb
    from ipsa.rules import all_rules, in_force_window, rulebase_version

    kb = load_kb()
    scenarios = scenarios_by_rule()
    order = list(JURISDICTION_NAMES)
    rules = sorted(all_rules(), key=lambda r: (order.index(r.jurisdiction) if r.jurisdiction in order else 99, AREAS.index(r.area), r.id))
    by_jurisdiction: dict[str, list[dict]] = {}
    for rule in rules:
        start, end = in_force_window(rule)
        window = (f"from {start}" if start else "without a start date") + (f" until {end}" if end else "")
        by_jurisdiction.setdefault(rule.jurisdiction, []).append({
            "rule": rule, "window": window, "citations": [kb.resolve(ref) for ref in rule.citations],
            "parameters": [kb.parameters[pid] for pid in rule.parameters], "scenarios": scenarios.get(rule.id, ()),
        })
    contents = [(j, {area: [e for e in entries if e["rule"].area == area] for area in AREAS}) for j, entries in by_jurisdiction.items()]
    return environment(template_dir).get_template("rulebook.html.j2").render(
        version=rulebase_version(), rules=rules, by_jurisdiction=list(by_jurisdiction.items()), contents=contents,
        areas=AREAS, area_titles=AREA_TITLES, jurisdiction_names=JURISDICTION_NAMES,
        scenario_total=sum(len(s) for s in scenarios.values()),
    )
