"""An interactive view of a vendor graph as one self-contained HTML fragment: inline SVG and a few
lines of inline JavaScript (no CDN, no tiles, works offline and in a notebook).

Node positions come from networkx's spring layout (seeded, so a graph always looks the same).
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

import networkx as nx
from jinja2 import Environment

__all__ = ["graph_html", "GraphView", "KIND_COLOURS"]

KIND_COLOURS = {"account": "#d62728", "center": "#111111", "pgp": "#1f77b4", "btc": "#ff7f0e",
                "xmr": "#9467bd", "contact": "#2ca02c", "email": "#17becf"}
_OTHER = "#7f7f7f"
_ids = itertools.count(1)

_TEMPLATE = """\
<div class="ow-graph" id="{{ id }}" style="font:12px sans-serif;max-width:{{ width }}px">
<div style="margin:2px 0"><b>{{ title }}</b> &middot; {{ accounts }} account(s), {{ identifiers }} identifier(s).
Click a node to highlight its neighbours.</div>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {{ width }} {{ height }}" width="{{ width }}" height="{{ height }}" style="background:#fff;border:1px solid #ccc">
{% for e in edges %}<line x1="{{ e.x1 }}" y1="{{ e.y1 }}" x2="{{ e.x2 }}" y2="{{ e.y2 }}" stroke="#999" stroke-width="1.2" data-a="{{ e.a }}" data-b="{{ e.b }}"/>
{% endfor %}{% for n in nodes %}<g class="ow-node" data-n="{{ n.i }}" style="cursor:pointer"><circle cx="{{ n.x }}" cy="{{ n.y }}" r="{{ n.r }}" fill="{{ n.colour }}"/><title>{{ n.name }}</title>{% if n.show %}<text x="{{ n.x + n.r + 2 }}" y="{{ n.y + 4 }}" font-size="{{ n.size }}">{{ n.label }}</text>{% endif %}</g>
{% endfor %}</svg>
<div style="margin:2px 0">{% for kind, colour in legend %}<span style="color:{{ colour }}">&#9679;</span> {{ kind }} &nbsp;{% endfor %}</div>
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
        l.setAttribute("stroke", on ? "#d62728" : "#ddd");
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


def graph_html(G: nx.Graph, *, center=None, title: str = "Vendor graph", width: int = 760,
               height: int = 520, seed: int = 7, label_identifiers: bool = False) -> str:
    """Render ``G`` (nodes with ``type`` account/identifier, ``kind``, ``label``) as HTML."""
    margin = 40
    layout = nx.spring_layout(G, seed=seed) if len(G) else {}
    xs = [p[0] for p in layout.values()] or [0.0]
    ys = [p[1] for p in layout.values()] or [0.0]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0

    def place(p):
        return (round(margin + (p[0] - min(xs)) / span_x * (width - 2 * margin - 150), 1),
                round(margin + (p[1] - min(ys)) / span_y * (height - 2 * margin), 1))

    index = {node: i for i, node in enumerate(G.nodes)}
    nodes = []
    for node, i in index.items():
        x, y = place(layout[node])
        data = G.nodes[node]
        account = data.get("type") == "account"
        label = str(data.get("label", node))
        nodes.append({"i": i, "x": x, "y": y, "name": str(node), "colour": _colour(G, node, center),
                      "r": 9 if node == center else 7 if account else 4,
                      "show": account or label_identifiers,
                      "label": label if len(label) <= 40 else label[:37] + "...",
                      "size": 13 if node == center else 11})
    edges = []
    for a, b in G.edges:
        (x1, y1), (x2, y2) = place(layout[a]), place(layout[b])
        edges.append({"x1": x1, "y1": y1, "x2": x2, "y2": y2, "a": index[a], "b": index[b]})
    kinds = sorted({G.nodes[n].get("kind") for n in G if G.nodes[n].get("type") != "account"} - {None})
    legend = [("this account", KIND_COLOURS["center"]), ("account", KIND_COLOURS["account"])]
    legend += [(kind, KIND_COLOURS.get(kind, _OTHER)) for kind in kinds]
    return _template.render(
        id=f"ow-graph-{next(_ids)}", title=title, width=width, height=height, nodes=nodes,
        edges=edges, legend=legend,
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
