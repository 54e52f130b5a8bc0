"""The memo's charts, drawn with matplotlib: the deal's structure from its graph, the royalty fan chart and the
loss distribution. Each chart comes as SVG text (for HTML and PDF) and PNG bytes (for DOCX), deterministic for
the same input: fixed fonts, no timestamps, a fixed hash salt for SVG ids.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import matplotlib
import matplotlib.ticker

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402

plt.rcParams.update({"svg.hashsalt": "ipsa", "font.family": "DejaVu Sans", "font.size": 8, "axes.titlesize": 9,
                     "svg.fonttype": "none"})

ROLE_COLOURS = {"originator": "#8c2d04", "spv": "#08519c", "licensee": "#238b45", "investor": "#6a51a3",
                "insurer": "#b15928", "guarantor": "#b15928", "manager": "#41b6c4", "trustee": "#41b6c4"}


@dataclass
class Chart:
    title: str
    caption: str
    svg: str
    png: bytes


def _finish(fig, title: str, caption: str) -> Chart:
    svg_buffer, png_buffer = io.StringIO(), io.BytesIO()
    fig.savefig(svg_buffer, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    fig.savefig(png_buffer, format="png", dpi=150, metadata={"Software": None}, bbox_inches="tight")
    plt.close(fig)
    svg = svg_buffer.getvalue()
    svg = svg[svg.index("<svg"):]  # drop the XML prologue and doctype so the SVG can sit inside HTML
    return Chart(title, caption, svg, png_buffer.getvalue())


def structure(deal) -> Chart:
    """Parties as boxes, with the transfers, licences and royalty payments that join them."""
    from ipsa.engine.graph import DealGraph

    g = DealGraph(deal)
    shown = nx.DiGraph()
    names = {p.id: p.name if len(p.name) <= 28 else p.name[:26] + "…" for p in deal.parties}
    for transfer in deal.transfers:
        shown.add_edge(transfer.from_party, transfer.to, label=transfer.method.replace("_", " "))
    for licence in g.pooled_licences:
        shown.add_edge(licence.licensor, licence.licensee, label="licence")
    for path in g.royalty_paths():
        shown.add_edge(path.licensee, path.account_holder, label="royalties")
    for wrap in deal.credit_enhancement.wraps:
        shown.add_edge(wrap.provider, deal.spv.party, label=wrap.kind)
    shown.add_node(deal.spv.party)
    layers = {}
    for node in shown.nodes:
        roles = set(deal.party(node).roles)
        layers[node] = 0 if "originator" in roles else 1 if "spv" in roles else 2 if "licensee" in roles else 3
    for node, layer in layers.items():
        shown.nodes[node]["layer"] = layer
    position = nx.multipartite_layout(shown, subset_key="layer", align="horizontal", scale=1.0)
    position = {n: (x, -y) for n, (x, y) in position.items()}
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    ax.set_axis_off()
    nx.draw_networkx_edges(shown, position, ax=ax, arrows=True, arrowsize=10, edge_color="#777777",
                           connectionstyle="arc3,rad=0.08", node_size=2200)
    nx.draw_networkx_edge_labels(shown, position, ax=ax, edge_labels=nx.get_edge_attributes(shown, "label"), font_size=6)
    for node, (x, y) in sorted(position.items()):
        role = next((r for r in deal.party(node).roles if r in ROLE_COLOURS), "other")
        ax.text(x, y, names[node], ha="center", va="center", fontsize=6.5, color="white", wrap=True,
                bbox={"boxstyle": "round,pad=0.4", "fc": ROLE_COLOURS.get(role, "#525252"), "ec": "none"})
    ax.margins(0.15)
    return _finish(fig, "Deal structure", "Originator at the top, the SPV below it, licensees and others further down; "
                   "arrows show transfers, licences, royalty payments and credit support.")


def fan(risk, currency: str) -> Chart:
    """Simulated royalty collections per period: median, 5-95% band, mean, and the contractual expectation."""
    x = [d.isoformat() for d in risk.period_ends]
    index = list(range(len(x)))
    fig, ax = plt.subplots(figsize=(7.5, 3.0))
    ax.fill_between(index, risk.collections_p5, risk.collections_p95, color="#9ecae1", label="5%-95% of paths")
    ax.plot(index, risk.collections_p50, color="#08519c", label="median")
    ax.plot(index, risk.collections_mean, color="#08519c", linestyle="--", linewidth=0.8, label="mean")
    ax.plot(index, risk.expected_contractual, color="#636363", linestyle=":", label="contractual")
    step = max(len(index) // 8, 1)
    ax.set_xticks(index[::step], [x[i][:7] for i in index[::step]])
    ax.set_ylabel(f"royalties per period ({currency})")
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda value, _: f"{value:,.0f}"))
    ax.legend(loc="upper right", fontsize=6, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _finish(fig, "Royalty fan chart", f"Simulated collections over {risk.paths:,} paths (seed {risk.seed}).")


def losses(risk) -> Chart:
    """Distribution over paths of the share of the notes' principal lost."""
    edges, counts = risk.pool_loss_histogram["edges"], risk.pool_loss_histogram["counts"]
    total = sum(counts) or 1.0
    fig, ax = plt.subplots(figsize=(7.5, 2.6))
    widths = [b - a for a, b in zip(edges, edges[1:])]
    ax.bar(edges[:-1], [c / total for c in counts], width=widths, align="edge", color="#fc9272", edgecolor="#de2d26", linewidth=0.4)
    ax.set_xlabel("share of the notes' principal lost")
    ax.set_ylabel("share of paths")
    ax.spines[["top", "right"]].set_visible(False)
    return _finish(fig, "Loss distribution", f"Principal lost across all classes, over {risk.paths:,} paths.")


def memo_charts(assessment, deal) -> list[Chart]:
    charts = [structure(deal)]
    if assessment.risk is not None and assessment.risk.classes:
        charts += [fan(assessment.risk, assessment.deal.currency), losses(assessment.risk)]
    return charts
