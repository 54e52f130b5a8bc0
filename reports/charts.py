"""The memo's charts, drawn with matplotlib from the assessment alone: the deal's structure (its `structure` arrows
between parties), the royalty fan chart and the loss distribution. Each is drawn only in the format asked for
(SVG text for HTML and PDF, PNG bytes for DOCX), deterministically: fixed fonts, no timestamps, a fixed SVG salt.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
import warnings
from functools import cache

import matplotlib
import matplotlib.ticker

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402  (figures of their own: none left open in pyplot's global list)
import networkx as nx  # noqa: E402

from ipsa.engine.assessment import Assessment  # noqa: E402
from ipsa.reports.i18n import Translator  # noqa: E402

FALLBACK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP")  # Debian's fonts-noto-cjk; used only where installed


def _families() -> list[str]:
    """DejaVu Sans, then the installed CJK families for the glyphs it lacks (matplotlib falls back glyph by glyph).
    A CJK font that fontconfig lists but matplotlib's font cache predates is added to it."""
    from matplotlib import font_manager

    known = {f.name for f in font_manager.fontManager.ttflist}
    if not known.issuperset(FALLBACK_FAMILIES) and shutil.which("fc-list"):
        listed = subprocess.run(["fc-list", ":lang=zh", "--format", "%{file}\n"], capture_output=True, text=True,
                                check=False).stdout.split()
        for path in sorted(set(listed)):
            if "CJK" in path and "Sans" in path:
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):  # an unreadable font file adds nothing
                    continue
        known = {f.name for f in font_manager.fontManager.ttflist}
    return ["DejaVu Sans"] + [family for family in FALLBACK_FAMILIES if family in known]


FAMILIES = _families()
matplotlib.rcParams.update({"svg.hashsalt": "ipsa", "font.family": FAMILIES, "font.size": 8, "axes.titlesize": 9,
                     "svg.fonttype": "none"})
MISSING_MARK = "?"


@cache
def _coverage() -> frozenset[int]:
    """The code points the chart fonts can draw."""
    from fontTools.ttLib import TTCollection, TTFont
    from matplotlib import font_manager

    covered: set[int] = set()
    for family in FAMILIES:
        path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        if path.lower().endswith((".ttc", ".otc")):
            with TTCollection(path) as collection:
                covered.update(collection.fonts[0].getBestCmap() or {})
        else:
            with TTFont(path) as font:
                covered.update(font.getBestCmap() or {})
    return frozenset(covered)


def drawable(text: str, missing: set[str] | None) -> str:
    """For a PNG (`missing` a set): the text with each character the chart fonts cannot draw replaced by
    MISSING_MARK and recorded, so the picture shows a visible mark instead of an empty box. For an SVG (`missing`
    None) the text as it is: it stays text, drawn by the reader's fonts (the PDF checks its own)."""
    if missing is None:
        return text
    covered = _coverage()
    out = []
    for ch in text:
        if ord(ch) > 0x7F and ord(ch) not in covered and not unicodedata.category(ch).startswith(("Z", "C")):
            missing.add(ch)
            out.append(MISSING_MARK)
        else:
            out.append(ch)
    return "".join(out)

ROLE_COLOURS = {"originator": "#8c2d04", "spv": "#08519c", "licensee": "#238b45", "investor": "#6a51a3",
                "insurer": "#b15928", "guarantor": "#b15928", "manager": "#41b6c4", "trustee": "#41b6c4"}


def _save(fig, fmt: str) -> str | bytes:
    buffer = io.BytesIO()
    if fmt == "svg":
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    else:
        fig.savefig(buffer, format="png", dpi=150, metadata={"Software": None}, bbox_inches="tight")
    if fmt == "png":
        return buffer.getvalue()
    svg = buffer.getvalue().decode("utf-8")
    return svg[svg.index("<svg"):]  # drop the XML prologue and doctype so the SVG can sit inside HTML


def structure(a: Assessment, missing: set[str] | None, tr: Translator):
    """Parties as boxes, with the transfers, licences, royalty payments and credit support that join them."""
    parties = {p.id: p for p in a.deal.parties}
    shown = nx.DiGraph()
    for edge in a.structure:
        shown.add_edge(edge.source, edge.target, label=drawable(tr(edge.label), missing))
    shown.add_node(a.deal.spv_party)
    for node in shown.nodes:
        roles = set(parties[node].roles) if node in parties else set()
        shown.nodes[node]["layer"] = 0 if "originator" in roles else 1 if "spv" in roles else 2 if "licensee" in roles else 3
    position = _layered(shown)
    fig = Figure(figsize=(7.5, 3.8))
    ax = fig.subplots()
    ax.set_axis_off()
    nx.draw_networkx_edges(shown, position, ax=ax, arrows=True, arrowsize=10, edge_color="#777777",
                           connectionstyle="arc3,rad=0.08", node_size=2200)
    nx.draw_networkx_edge_labels(shown, position, ax=ax, edge_labels=nx.get_edge_attributes(shown, "label"), font_size=6,
                                 font_family=matplotlib.rcParams["font.family"])  # networkx's own default is DejaVu alone
    for node, (x, y) in sorted(position.items()):
        party = parties.get(node)
        name = party.name if party else node
        name = drawable(name if len(name) <= 28 else name[:26] + "…", missing)
        role = next((r for r in (party.roles if party else []) if r in ROLE_COLOURS), "other")
        ax.text(x, y, name, ha="center", va="center", fontsize=6.5, color="white", wrap=True,
                bbox={"boxstyle": "round,pad=0.4", "fc": ROLE_COLOURS.get(role, "#525252"), "ec": "none"})
    ax.margins(0.15)
    return fig


def _layered(graph: nx.DiGraph) -> dict[str, tuple[float, float]]:
    """Rows by layer (originator, SPV, licensees, others), nodes spread evenly in id order: the same picture whatever
    Python's hash seed (networkx's multipartite layout ordered nodes within a layer differently from run to run)."""
    layers: dict[int, list[str]] = {}
    for node in sorted(graph.nodes):
        layers.setdefault(graph.nodes[node]["layer"], []).append(node)
    position = {}
    for row, (_, nodes) in enumerate(sorted(layers.items())):
        for k, node in enumerate(nodes):
            position[node] = ((k + 0.5) / len(nodes) * 2 - 1, -row * 0.6)
    return position


def fan(a: Assessment, missing: set[str] | None, tr: Translator):
    """Simulated royalty collections per period: median, 5-95% band, mean, and the contractual expectation."""
    risk = a.risk
    x = [d.isoformat() for d in risk.period_ends]
    index = list(range(len(x)))
    fig = Figure(figsize=(7.5, 3.0))
    ax = fig.subplots()
    ax.fill_between(index, risk.collections_p5, risk.collections_p95, color="#9ecae1", label=tr.msg("5%-95% of paths"))
    ax.plot(index, risk.collections_p50, color="#08519c", label=tr.msg("median"))
    ax.plot(index, risk.collections_mean, color="#08519c", linestyle="--", linewidth=0.8, label=tr.msg("mean"))
    ax.plot(index, risk.expected_contractual, color="#636363", linestyle=":", label=tr.msg("contractual"))
    step = max(len(index) // 8, 1)
    ax.set_xticks(index[::step], [x[i][:7] for i in index[::step]])
    ax.set_ylabel(tr.msg("royalties per period ({currency})", currency=a.deal.currency))
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda value, _: tr.money(value)))
    ax.legend(loc="upper right", fontsize=6, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def losses(a: Assessment, missing: set[str] | None, tr: Translator):
    """Distribution over paths of the share of the notes' principal lost."""
    edges, counts = a.risk.pool_loss_histogram["edges"], a.risk.pool_loss_histogram["counts"]
    total = sum(counts) or 1.0
    fig = Figure(figsize=(7.5, 2.6))
    ax = fig.subplots()
    widths = [b - a for a, b in zip(edges, edges[1:])]
    ax.bar(edges[:-1], [c / total for c in counts], width=widths, align="edge", color="#fc9272", edgecolor="#de2d26", linewidth=0.4)
    ax.set_xlabel(tr.msg("share of the notes' principal lost"))
    ax.set_ylabel(tr.msg("share of paths"))
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def missing_note(missing: set[str], where: str) -> str | None:
    """What a PNG chart could not draw, and how to get it drawn; None if nothing was missing."""
    if not missing:
        return None
    cjk = any(unicodedata.name(ch, "").startswith("CJK") for ch in missing)
    return (f"The {where} cannot show {len(missing)} character(s) of party names"
            + (", Chinese or Japanese among them," if cjk else "") + f" because no chart font has their glyphs; they "
            f"appear as {MISSING_MARK}. " + ("Install fonts-noto-cjk (Debian) and write the memo again. " if cjk else "")
            + "The memo's text shows them.")


CHARTS = {"structure": structure, "fan": fan, "losses": losses}


def draw(key: str, assessment: Assessment, fmt: str, missing: set[str] | None = None, language: str = "en") -> str | bytes:
    """One chart of the memo in a language: SVG text (fmt 'svg') or PNG bytes (fmt 'png'). Characters no chart font
    can draw are shown as MISSING_MARK and added to `missing` (the caller says so); matplotlib's glyph warnings are
    not printed."""
    tr = Translator(language, assessment.messages)
    families = FAMILIES if language != "ja" else sorted(FAMILIES, key=lambda f: ("CJK" in f, "JP" not in f))
    marked = (set() if missing is None else missing) if fmt == "png" else None  # an SVG keeps its text
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        with matplotlib.rc_context({"font.family": families}):  # Japanese glyph forms first in a Japanese memo
            return _save(CHARTS[key](assessment, marked, tr), fmt)
