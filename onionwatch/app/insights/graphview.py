"""An interactive view of a vendor graph as one self-contained HTML fragment: inline SVG and a few
lines of inline JavaScript (no CDN, no tiles, works offline and in a notebook).

Node positions come from :func:`ring_layout` (accounts on a ring, the identifiers they share
inside it, their own outside it: deterministic, so a graph always looks the same).
Every label is escaped by Jinja2's autoescape: handles and identifiers are market text. Hovering
a node shows its name; clicking one highlights it and its neighbours.

>>> import networkx as nx
>>> G = nx.Graph(); G.add_edge("m/<b>x</b>", "pgp:F1")
>>> G.nodes["m/<b>x</b>"].update(type="account", label="<b>x</b>")
>>> html = graph_html(G, center="m/<b>x</b>")
>>> "<b>x</b>" in html, "&lt;b&gt;x&lt;/b&gt;" in html
(False, True)
"""
from __future__ import annotations

import itertools
import math

import networkx as nx
from jinja2 import Environment

__all__ = ["graph_html", "ring_layout", "GraphView", "KIND_COLOURS", "ALIAS_COLOUR"]

KIND_COLOURS = {"account": "#d62728", "center": "#111111", "pgp": "#1f77b4", "btc": "#ff7f0e",
                "xmr": "#9467bd", "crypto": "#bcbd22", "contact": "#2ca02c", "email": "#17becf",
                "photo": "#8c564b", "origin": "#e377c2"}
#: Alias links (accounts resolution joined) are drawn thick and red; "uses" edges thin and grey.
ALIAS_COLOUR = "#d62728"
_OTHER = "#7f7f7f"
_ids = itertools.count(1)

_TEMPLATE = """\
<div class="ow-graph" id="{{ id }}" style="font:12px sans-serif;max-width:{{ width }}px">
<div style="margin:2px 0"><b>{{ title }}</b> &middot; {{ accounts }} account(s), {{ identifiers }} identifier(s).
Click a node to highlight its neighbours.</div>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {{ width }} {{ height }}" width="{{ width }}" height="{{ height }}" style="background:#fff;border:1px solid #ccc">
{% for e in edges %}<line x1="{{ e.x1 }}" y1="{{ e.y1 }}" x2="{{ e.x2 }}" y2="{{ e.y2 }}" stroke="{{ e.colour }}" stroke-width="{{ e.width }}"{% if e.alias %} stroke-dasharray="6 3"{% endif %} data-a="{{ e.a }}" data-b="{{ e.b }}" data-c="{{ e.colour }}"><title>{{ e.title }}</title></line>
{% endfor %}{% for n in nodes %}<g class="ow-node" data-n="{{ n.i }}" style="cursor:pointer"><circle cx="{{ n.x }}" cy="{{ n.y }}" r="{{ n.r }}" fill="{{ n.colour }}"/><title>{{ n.name }}</title>{% if n.show %}<text x="{{ n.tx }}" y="{{ n.y + 4 }}" text-anchor="{{ n.anchor }}" font-size="{{ n.size }}">{{ n.label }}</text>{% endif %}</g>
{% endfor %}</svg>
<div style="margin:2px 0"><span style="color:{{ alias_colour }}">- - -</span> alias link (score) &nbsp;{% for kind, colour in legend %}<span style="color:{{ colour }}">&#9679;</span> {{ kind }} &nbsp;{% endfor %}</div>
<script>
(function () {
  var root = document.getElementById("{{ id }}");
  var lines = root.querySelectorAll("line"), nodes = root.querySelectorAll(".ow-node");
  nodes.forEach(function (node) {
    node.addEventListener("click", function () {
      var me = node.getAttribute("data-n"), near = {}; near[me] = true;
      lines.forEach(function (l) {
        var a = l.getAttribute("data-a"), b = l.getAttribute("data-b"), on = (a === me || b === me);
        if (on) { near[a] = true; near[b] = true; }
        l.setAttribute("stroke", on ? l.getAttribute("data-c") : "#eee");
      });
      nodes.forEach(function (n) { n.style.opacity = near[n.getAttribute("data-n")] ? 1 : 0.25; });
    });
  });
})();
</script>
</div>
"""
_env = Environment(autoescape=True)
_template = _env.from_string(_TEMPLATE)


def _colour(G: nx.Graph, node, center) -> str:
    data = G.nodes[node]
    if node == center:
        return KIND_COLOURS["center"]
    if data.get("type") == "account":
        return KIND_COLOURS["account"]
    return KIND_COLOURS.get(data.get("kind", ""), _OTHER)


def _component_layout(G: nx.Graph, nodes: list, center=None) -> dict:
    """Accounts on a ring (``center`` first); an identifier of one account just outside it, an
    identifier several accounts share inside the ring, between them."""
    accounts = sorted((n for n in nodes if G.nodes[n].get("type") == "account"),
                      key=lambda n: (n != center, str(n)))
    pos: dict = {}
    if len(accounts) == 1:
        pos[accounts[0]] = (0.0, 0.0)
    for i, account in enumerate(accounts if len(accounts) > 1 else []):
        angle = 2 * math.pi * (i + 0.5) / len(accounts)  # half a step round: no account straight left
        pos[account] = (math.cos(angle), math.sin(angle))
    groups: dict[tuple, list] = {}
    for node in nodes:
        if node not in pos:
            owners = tuple(sorted((m for m in G[node] if m in pos), key=str))
            groups.setdefault(owners, []).append(node)
    for owners, members in sorted(groups.items(), key=lambda kv: str(kv[0])):
        members.sort(key=str)
        if not owners:  # nothing to hang on: a small ring of its own
            for i, node in enumerate(members):
                angle = 2 * math.pi * i / len(members)
                pos[node] = (0.3 * math.cos(angle), 0.3 * math.sin(angle))
        elif len(owners) == 1:
            x, y = pos[owners[0]]
            base = math.atan2(y, x) if (x, y) != (0.0, 0.0) else 0.0
            spread = min(math.pi / 1.5, 0.35 * len(members)) if len(accounts) > 1 else 2 * math.pi
            for i, node in enumerate(members):
                angle = base + spread * ((i + 0.5) / len(members) - 0.5)
                radius = 0.75 if len(accounts) > 1 else 1.0
                pos[node] = (x + radius * math.cos(angle), y + radius * math.sin(angle))
        else:
            cx = sum(pos[o][0] for o in owners) / len(owners) * 0.55
            cy = sum(pos[o][1] for o in owners) / len(owners) * 0.55
            for i, node in enumerate(members):
                angle = 2 * math.pi * i / len(members)
                radius = 0.22 * (len(members) > 1)
                pos[node] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
    return pos


def ring_layout(G: nx.Graph, *, center=None) -> dict:
    """Positions for a vendor-link graph: each connected part laid out by accounts on a ring, the
    parts side by side in rows (biggest first).

    >>> G = nx.Graph(); G.add_nodes_from(["m/a", "n/b"], type="account"); G.add_edge("m/a", "pgp:X")
    >>> G.add_edge("n/b", "pgp:X"); sorted(ring_layout(G))
    ['m/a', 'n/b', 'pgp:X']
    """
    parts = sorted(nx.connected_components(G), key=lambda c: (-len(c), min(map(str, c))))
    columns = max(1, math.ceil(math.sqrt(len(parts))))
    pos = {}
    for index, part in enumerate(parts):
        row, column = divmod(index, columns)
        for node, (x, y) in _component_layout(G, list(part), center).items():
            pos[node] = (x + 3.4 * column, y - 3.6 * row)
    return pos


def graph_html(G: nx.Graph, *, center=None, title: str = "Vendor graph", width: int = 760,
               height: int = 520, seed: int = 7, label_identifiers: bool = False) -> str:
    """Render ``G`` (nodes with ``type`` account/identifier, ``kind``, ``label``) as HTML."""
    margin = 40
    layout = ring_layout(G, center=center)
    xs = [p[0] for p in layout.values()] or [0.0]
    ys = [p[1] for p in layout.values()] or [0.0]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0

    def place(p):
        return (round(margin + 140 + (p[0] - min(xs)) / span_x * (width - 2 * margin - 280), 1),
                round(margin + (p[1] - min(ys)) / span_y * (height - 2 * margin), 1))

    index = {node: i for i, node in enumerate(G.nodes)}
    nodes = []
    for node, i in index.items():
        x, y = place(layout[node])
        data = G.nodes[node]
        account = data.get("type") == "account"
        label = str(data.get("label", node))
        r = 9 if node == center else 7 if account else 4
        left = x < width / 2 - 5  # labels point away from the middle, so they do not cross it
        nodes.append({"i": i, "x": x, "y": y, "name": str(node), "colour": _colour(G, node, center),
                      "r": r, "tx": x - r - 2 if left else x + r + 2, "anchor": "end" if left else "start",
                      "show": account or label_identifiers,
                      "label": label if len(label) <= 40 else label[:37] + "...",
                      "size": 13 if node == center else 11})
    edges = []
    for a, b in G.edges:
        (x1, y1), (x2, y2) = place(layout[a]), place(layout[b])
        attrs = G.edges[a, b]
        alias = attrs.get("type") == "alias"
        hover = (f"alias {a} ~ {b}: score {attrs.get('score', 0):.3f} ("
                 + ", ".join(sorted(attrs.get("signals", {}))) + ")") if alias else f"{a} uses {b}"
        edges.append({"x1": x1, "y1": y1, "x2": x2, "y2": y2, "a": index[a], "b": index[b],
                      "alias": alias, "colour": ALIAS_COLOUR if alias else "#999",
                      "width": 2.5 if alias else 1.2, "title": hover})
    kinds = sorted({G.nodes[n].get("kind") for n in G if G.nodes[n].get("type") != "account"} - {None})
    legend = [("this account", KIND_COLOURS["center"]), ("account", KIND_COLOURS["account"])]
    legend += [(kind, KIND_COLOURS.get(kind, _OTHER)) for kind in kinds]
    return _template.render(
        id=f"ow-graph-{next(_ids)}", title=title, width=width, height=height, nodes=nodes,
        edges=edges, legend=legend, alias_colour=ALIAS_COLOUR,
        accounts=sum(1 for n in G if G.nodes[n].get("type") == "account"),
        identifiers=sum(1 for n in G if G.nodes[n].get("type") != "account"))


class GraphView:
    """A graph view that shows itself in Jupyter (``_repr_html_``) and saves as a page."""

    def __init__(self, G: nx.Graph, **options) -> None:
        self.graph = G
        self.html = graph_html(G, **options)

    def _repr_html_(self) -> str:
        return self.html

    def save(self, path) -> None:
        """Write the view as a standalone HTML page (UTF-8)."""
        with open(path, "w", encoding="utf-8") as fh:
            fh.write('<!doctype html><html><head><meta charset="utf-8"><title>onionwatch vendor graph'
                     "</title></head><body>" + self.html + "</body></html>\n")
