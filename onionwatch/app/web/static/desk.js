/* onionwatch's search page: draws a vendor's ego graph with Cytoscape.js.
 *
 * The graph comes as same-origin JSON (data-src of #graph). Every name in it is market text: it is
 * given to Cytoscape as data, which paints labels as text on a canvas, and listed in #graph-labels
 * through textContent. Nothing is ever parsed as HTML, and nothing here uses eval. Links go only to
 * this page's own addresses (a path starting with one "/").
 */
(function () {
  "use strict";
  var box = document.getElementById("graph");
  if (!box || typeof cytoscape !== "function") { return; }

  function local(href) {
    return typeof href === "string" && href.charAt(0) === "/" && href.charAt(1) !== "/" && href.charAt(1) !== "\\";
  }

  function go(href) {
    if (local(href)) { window.location.assign(href); }
  }

  function listLabels(nodes) {
    var list = document.getElementById("graph-labels");
    if (!list) { return; }
    nodes.forEach(function (n) {
      var item = document.createElement("li");
      if (local(n.href)) {
        var link = document.createElement("a");
        link.setAttribute("href", n.href);
        link.textContent = n.label;
        item.appendChild(link);
      } else {
        item.textContent = n.label;
      }
      item.setAttribute("data-kind", n.kind);
      list.appendChild(item);
    });
  }

  function draw(graph) {
    var elements = [];
    graph.nodes.forEach(function (n) {
      elements.push({ group: "nodes", position: { x: n.x, y: n.y },
                      data: { id: n.id, label: n.label, kind: n.kind, colour: n.colour, href: n.href } });
    });
    graph.edges.forEach(function (e) {
      elements.push({ group: "edges", data: { id: e.id, source: e.source, target: e.target, label: e.label,
                                              colour: e.colour, href: e.href, alias: e.alias ? 1 : 0 } });
    });
    var cy = cytoscape({
      container: box, elements: elements, layout: { name: "preset" }, minZoom: 0.2, maxZoom: 4,
      style: [
        { selector: "node", style: { "background-color": "data(colour)", "width": 10, "height": 10,
                                     "font-size": 9, "color": "#333", "text-valign": "bottom",
                                     "text-max-width": 160, "text-wrap": "ellipsis" } },
        { selector: "node[kind = 'account'], node[kind = 'center']",
          style: { "label": "data(label)", "width": 16, "height": 16, "font-size": 11 } },
        { selector: "node[kind = 'center']", style: { "width": 20, "height": 20, "font-weight": "bold" } },
        { selector: "edge", style: { "line-color": "data(colour)", "width": 1, "curve-style": "straight" } },
        { selector: "edge[alias = 1]", style: { "width": 3, "line-style": "dashed", "label": "data(label)",
                                                "font-size": 10, "color": "#d62728", "text-background-color": "#fff",
                                                "text-background-opacity": 1 } }
      ]
    });
    cy.fit(undefined, 30);
    cy.on("tap", "node", function (event) { go(event.target.data("href")); });
    cy.on("tap", "edge", function (event) { go(event.target.data("href")); });
    listLabels(graph.nodes);
    box.setAttribute("data-drawn", String(graph.nodes.length));
  }

  fetch(box.getAttribute("data-src"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
    .then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    })
    .then(draw)
    .catch(function (error) {
      box.textContent = "The graph could not be drawn: " + error.message;
      box.setAttribute("data-drawn", "error");
    });
}());
