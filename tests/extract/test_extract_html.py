"""HTML to text: block structure kept, nothing executed. Pages are small invented layouts."""
from __future__ import annotations

import pytest

from extract.html import html_to_text

LAYOUTS = [
    # label/value divs, as listing detail boxes
    ("<div><label>Ships from</label><span>\n   Germany  </span></div><div><label>Price</label><span>$5</span></div>",
     "Ships from\tGermany\nPrice\t$5"),
    # definition lists
    ("<dl><dt>Origin</dt><dd>NL</dd><dt>Ships to</dt><dd>EU</dd></dl>", "Origin\tNL\nShips to\tEU"),
    # table rows, one per line, cells tab-separated
    ("<table><tr><th>Qty</th><th>Price</th></tr><tr><td>10g</td><td>$80</td></tr></table>", "Qty\tPrice\n10g\t$80"),
    # br and p as line breaks
    ("<p>line one<br>line two</p><p>para</p>", "line one\nline two\npara"),
    # pre keeps its line breaks
    ("<pre>a\n b\nc</pre>", "a\nb\nc"),
    # inline-block spans side by side (rate strips)
    ('<div><span style="display:inline-block">BTC/USD</span><span style="display: inline-block">9000</span></div>',
     "BTC/USD\t9000"),
    # entities decoded
    ("<p>Fish &amp; chips &euro;5</p>", "Fish & chips €5"),
    # select options each on a line
    ("<select><option>Standard - $5</option><option>Express - $20</option></select>", "Standard - $5\nExpress - $20"),
]


@pytest.mark.parametrize("html, text", LAYOUTS)
def test_layouts(html, text):
    assert html_to_text(html) == text


def test_scripts_styles_and_comments_dropped():
    html = ("<html><head><title>T</title><style>p{}</style><script>var price='$1';</script></head>"
            "<body><!-- hidden $9 --><p>Shown</p><noscript>enable js</noscript>"
            "<script type='text/template'>$2</script></body></html>")
    assert html_to_text(html) == "Shown"


def test_bytes_and_declarations():
    assert html_to_text("<p>caf\u00e9</p>".encode("utf-8")) == "caf\u00e9"
    assert html_to_text('<?xml version="1.0" encoding="utf-8"?><html><body><p>x</p></body></html>') == "x"


@pytest.mark.parametrize("html", ["", "   ", b""])
def test_empty(html):
    assert html_to_text(html) == ""


def test_broken_markup_is_read_leniently():
    assert html_to_text("<div><p>open <b>bold</div> tail") == "open bold\ntail"
