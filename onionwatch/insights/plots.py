"""Charts of the insights tables with matplotlib, and their embedding as data URIs for
self-contained HTML. In a notebook the figures show inline; the report draws with the Agg backend.

Each function takes a table from :mod:`.overview` / :mod:`.fentanyl` and returns a Figure; market
text drawn into a chart is data, never markup.

>>> import pandas as pd
>>> fig = routes_chart(pd.DataFrame({"ships_from": ["NL"], "ships_to": ["US"], "listings": [3]}))
>>> figure_data_uri(fig).startswith("data:image/png;base64,")
True
"""
from __future__ import annotations

import base64
import io

import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd

from .graphview import KIND_COLOURS

__all__ = ["class_chart", "unit_price_chart", "routes_chart", "graph_figure", "figure_data_uri"]


def _empty(ax, what: str) -> None:
    ax.text(0.5, 0.5, f"no {what} yet", ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()


def class_chart(table: pd.DataFrame):
    """Stacked bars of listings per market and drug class (from ``listings_by_class``)."""
    fig, ax = plt.subplots(figsize=(8, 3.8))
    if table.empty:
        _empty(ax, "listings")
        return fig
    pivot = table.pivot_table(index="market", columns="drug_class", values="listings", fill_value=0)
    pivot[pivot.sum().sort_values(ascending=False).index].plot.barh(stacked=True, ax=ax, width=0.7)
    ax.set_xlabel("listings")
    ax.set_ylabel("")
    ax.legend(fontsize=7, ncol=2, loc="lower right")
    fig.tight_layout()
    return fig


def unit_price_chart(listings: pd.DataFrame, *, unit: str = "g", top: int = 12):
    """Box plots of price per ``unit`` (g or pill) for the drugs with most such listings."""
    fig, ax = plt.subplots(figsize=(8, 3.8))
    rows = listings[(listings["unit"] == unit) & listings["unit_price_usd"].notna()].explode("drugs")
    rows = rows[rows["drugs"].notna()]
    if rows.empty:
        _empty(ax, f"prices per {unit}")
        return fig
    order = rows["drugs"].value_counts().head(top).index
    ax.boxplot([rows.loc[rows["drugs"] == d, "unit_price_usd"] for d in order], vert=False,
               tick_labels=[str(d) for d in order])
    ax.set_xscale("log")
    ax.set_xlabel(f"USD per {unit} (log scale)")
    fig.tight_layout()
    return fig


def routes_chart(routes: pd.DataFrame, *, top: int = 15):
    """Horizontal bars of the busiest shipping routes (from ``shipping_routes``)."""
    fig, ax = plt.subplots(figsize=(8, 3.8))
    if routes.empty:
        _empty(ax, "routes")
        return fig
    head = routes.head(top).iloc[::-1]
    ax.barh([f"{a} \u2192 {b}" for a, b in zip(head["ships_from"], head["ships_to"])], head["listings"])
    ax.set_xlabel("listings")
    fig.tight_layout()
    return fig


def graph_figure(G: nx.Graph, *, seed: int = 7, title: str = ""):
    """A static picture of an account-identifier graph: accounts red and named, identifiers
    coloured by kind."""
    fig, ax = plt.subplots(figsize=(8, 5))
    ax.set_axis_off()
    if not len(G):
        _empty(ax, "linked accounts")
        return fig
    pos = nx.spring_layout(G, seed=seed)
    colours = [KIND_COLOURS["account"] if G.nodes[n].get("type") == "account"
               else KIND_COLOURS.get(G.nodes[n].get("kind", ""), "#7f7f7f") for n in G]
    sizes = [80 if G.nodes[n].get("type") == "account" else 25 for n in G]
    nx.draw_networkx_edges(G, pos, ax=ax, edge_color="#999999", width=0.8)
    nx.draw_networkx_nodes(G, pos, ax=ax, node_color=colours, node_size=sizes)
    labels = {n: str(G.nodes[n].get("label", n)) for n in G if G.nodes[n].get("type") == "account"}
    for node, text in labels.items():  # plain text, never parsed as mathtext
        x, y = pos[node]
        ax.text(x, y + 0.03, text, fontsize=7, ha="center", usetex=False, parse_math=False)
    if title:
        ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig


def figure_data_uri(fig, *, dpi: int = 96) -> str:
    """The figure as a ``data:image/png;base64,...`` URI; the figure is closed."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
