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

from .graphview import ALIAS_COLOUR, KIND_COLOURS, ring_layout

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
    """A static picture of a vendor-link (sub)graph: accounts red and named, identifiers coloured
    by kind, alias links dashed red and wide, "uses" edges thin and grey."""
    fig, ax = plt.subplots(figsize=(10, 6.5))
    ax.set_axis_off()
    if not len(G):
        _empty(ax, "linked accounts")
        return fig
    pos = ring_layout(G)
    colours = [KIND_COLOURS["account"] if G.nodes[n].get("type") == "account"
               else KIND_COLOURS.get(G.nodes[n].get("kind", ""), "#7f7f7f") for n in G]
    sizes = [80 if G.nodes[n].get("type") == "account" else 25 for n in G]
    alias = [(u, v) for u, v, d in G.edges(data=True) if d.get("type") == "alias"]
    other = [(u, v) for u, v, d in G.edges(data=True) if d.get("type") != "alias"]
    nx.draw_networkx_edges(G, pos, edgelist=other, ax=ax, edge_color="#999999", width=0.8)
    nx.draw_networkx_edges(G, pos, edgelist=alias, ax=ax, edge_color=ALIAS_COLOUR, width=2.0, style="dashed")
    nx.draw_networkx_nodes(G, pos, ax=ax, node_color=colours, node_size=sizes)
    parts = {n: i for i, part in enumerate(nx.connected_components(G)) for n in part}
    middle = {i: sum(pos[n][1] for n in parts if parts[n] == i) / sum(1 for n in parts if parts[n] == i)
              for i in set(parts.values())}
    for node in G:  # handle over market, above the upper accounts and below the lower ones
        data = G.nodes[node]
        if data.get("type") != "account":
            continue
        x, y = pos[node]
        text = f"{data.get('handle', node)}\n{data.get('market', '')}"
        above = y >= middle[parts[node]]
        ax.text(x, y + (0.15 if above else -0.15), text, fontsize=6.5, ha="center",
                va="bottom" if above else "top", usetex=False, parse_math=False)  # plain text, never mathtext
    for part in nx.connected_components(G):  # each resolved actor named under its accounts
        actors = {G.nodes[n].get("actor") for n in part if G.nodes[n].get("type") == "account"} - {None}
        if len(actors) == 1:
            x = sum(pos[n][0] for n in part) / len(part)
            y = min(pos[n][1] for n in part) - 0.75
            ax.text(x, y, actors.pop(), fontsize=7, ha="center", color="#555555", usetex=False, parse_math=False)
    kinds = sorted({G.nodes[n].get("kind") for n in G if G.nodes[n].get("type") != "account"} - {None})
    handles = [plt.Line2D([], [], color=KIND_COLOURS["account"], marker="o", linestyle="", label="account")]
    handles += [plt.Line2D([], [], color=KIND_COLOURS.get(k, "#7f7f7f"), marker="o", linestyle="", label=k)
                for k in kinds]
    handles.append(plt.Line2D([], [], color=ALIAS_COLOUR, linestyle="--", label="alias link"))
    ax.legend(handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    ax.margins(0.12)
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
