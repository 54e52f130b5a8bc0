"""Every figure in the memo is the assessment's own: each risk and advice figure of the assessment JSON, formatted,
appears in the Markdown, the HTML text and the DOCX text; and every percentage the memo prints comes from a value
of that JSON, so no second set of figures can creep in."""

from __future__ import annotations

import json
import re

import html5lib
import pytest

from tests.conftest import EXAMPLE_NAMES
from tests.test_memo import docx_text, rendered

PERCENT = re.compile(r"(?<![\d.,])\d[\d,]*(?:\.\d+)?%")


def pct(value: float) -> str:
    return f"{value:.2%}"


def money(value: float) -> str:
    return f"{value:,.0f}"


def html_text(data: bytes) -> str:
    """The HTML's text as a reader sees it, without the stylesheet and the charts' own labels."""
    tree = html5lib.parse(data.decode(), namespaceHTMLElements=False)
    for parent in tree.iter():
        for child in list(parent):
            if child.tag in ("style", "head") or child.tag.endswith("svg"):
                parent.remove(child)
    return " ".join(tree.itertext())


def texts(name: str) -> dict[str, str]:
    out = rendered(name)
    return {"md": out["md"].decode().replace("\\", ""), "html": html_text(out["html"]), "docx": docx_text(out["docx"])[1]}


def expected_figures(data: dict) -> list[str]:
    """The risk and advice figures of the assessment JSON, as the memo must print them."""
    r, advice, figures = data["risk"], data["advice"], []
    for c in r["classes"]:
        figures += [f"{pct(c['pd'])} ± {pct(c['pd_se'])}", f"{pct(c['expected_loss'])} ± {pct(c['expected_loss_se'])}",
                    f"{c['wal_years']:.2f} ± {c['wal_se']:.2f}", money(c["balance"]), pct(c["wrap_reliance"])]
    if r["dscr_min_p5"] is not None:
        figures += [f"{r['dscr_min_p5']:.2f}x", f"{r['dscr_min_p50']:.2f}x", pct(r["trigger_rate"])]
    if r["enhancement"]:
        e = r["enhancement"]
        figures += [pct(e["target_senior_pd"]), pct(e["current_enhancement"]), money(e["expected_collections_pv"])]
        if e["achievable"]:
            figures += [pct(e["required_enhancement"]), money(e["max_senior_balance"])]
        else:  # no balance meets the target: the memo gives how often even a tiny senior class fails instead
            figures += [pct(e["smallest_senior_pd"])]
    for s in r["stresses"]:
        figures += [f"{pct(s['senior_pd'])} ± {pct(s['senior_pd_se'])}", pct(s["senior_expected_loss"])]
    if r["selection"]:
        figures += [pct(r["selection"]["chosen_senior_el"]), pct(r["selection"]["take_all_senior_el"])]
    for p in advice["plan"] + ([advice["insurance"]] if advice["insurance"] else []):
        before, after = p["diff"]["before"]["senior_pd"], p["diff"]["after"]["senior_pd"]
        if before is not None and after is not None:
            figures.append(f"{pct(before)} → {pct(after)}" if p is not advice["insurance"] else f"from {pct(before)} to {pct(after)}")
    for v in advice["vehicles"]:
        if v["tax_leakage"] is not None:
            figures.append(f"about {money(v['tax_leakage'])} {data['deal']['currency']} of tax")
    return figures


def json_percentages(value) -> set[str]:
    """Every percentage the JSON can produce: each number formatted, and each percentage its texts already hold."""
    if isinstance(value, dict):
        return set().union(*(json_percentages(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(json_percentages(v) for v in value)) if value else set()
    if isinstance(value, bool) or value is None:
        return set()
    if isinstance(value, (int, float)):
        return {pct(value)}
    return set(PERCENT.findall(str(value)))


@pytest.fixture(scope="module", params=EXAMPLE_NAMES)
def example(request):
    return request.param, json.loads(rendered(request.param)["json"]), texts(request.param)


def test_every_risk_and_advice_figure_of_the_json_is_in_every_format(example):
    name, data, by_format = example
    assert data["risk"] and data["risk"]["classes"] and data["advice"], name
    for figure in expected_figures(data):
        for fmt, text in by_format.items():
            assert figure in text, (name, fmt, figure)


def test_the_advice_starts_from_the_figures_of_the_risk_section(example):
    """The plan's 'before' is the assessment itself: the senior default probability and enhancement it starts from
    are those of the risk section."""
    name, data, _ = example
    senior = data["risk"]["classes"][0]
    for p in data["advice"]["plan"]:
        before = p["diff"]["before"]
        assert pct(before["senior_pd"]) == pct(senior["pd"]), (name, p["id"])
        if data["risk"]["enhancement"] and before["required_enhancement"] is not None:
            assert pct(before["required_enhancement"]) == pct(data["risk"]["enhancement"]["required_enhancement"]), name


def test_every_percentage_in_the_memo_comes_from_the_json(example):
    name, data, by_format = example
    allowed = json_percentages(data)
    for fmt, text in by_format.items():
        stray = set(PERCENT.findall(text)) - allowed
        assert not stray, (name, fmt, sorted(stray))
