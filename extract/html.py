"""HTML to text for extraction, keeping the block structure that fields are read from.

Rules: scripts, styles, ``<head>``, templates, comments and processing instructions are dropped
(nothing is ever run or fetched); block elements (``div``, ``p``, ``li``, ``tr``, headings...) and
``<br>`` end a line (so do elements styled ``display:block``); table cells, ``<dt>``, ``<label>`` and elements
styled ``display:inline-block`` are followed by a tab, so "label<TAB>value" pairs
stay on one line; whitespace inside a line is collapsed, except in ``<pre>``; option texts of a
``<select>`` each get a line. Image alt text and attribute values are not text.

>>> html_to_text("<div><label>Ships from</label><span> United States </span></div><p>a<br>b</p>")
'Ships from\\tUnited States\\na\\nb'
>>> html_to_text("<table><tr><td>BTC</td><td>1.0</td></tr><tr><td>USD</td><td>5261.1</td></tr></table>")
'BTC\\t1.0\\nUSD\\t5261.1'
"""
from __future__ import annotations

import re

import lxml.etree
import lxml.html

__all__ = ["html_to_text", "BLOCK_TAGS", "DROP_TAGS"]

#: Elements whose content is never text.
DROP_TAGS = frozenset({"script", "style", "head", "noscript", "template", "svg", "math", "iframe", "object",
                       "embed", "canvas", "audio", "video", "map", "button", "textarea"})
#: Elements that start and end a line.
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "details", "dialog",
    "dir", "div", "dl", "fieldset", "figcaption", "figure", "footer", "form", "frameset", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "ol",
    "option", "p", "pre", "section", "summary", "table", "tbody", "tfoot", "thead", "tr", "ul", "select",
    "optgroup",
})
_CELL_TAGS = frozenset({"td", "th", "dt", "label"})
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")


class _Writer:
    """Collects text pieces and line/cell breaks; a line break absorbs a cell break."""

    def __init__(self) -> None:
        self.parts: list[tuple[str, str]] = []  # ("text", value) or ("break", "\n" / "\t")

    def text(self, value: str | None, pre: bool) -> None:
        if value:
            value = value.replace("\r\n", "\n") if pre else _SPACES.sub(" ", value.replace("\n", " "))
            self.parts.append(("text", value))

    def mark(self, kind: str) -> None:
        self.parts.append(("break", kind))

    def result(self) -> str:
        out: list[str] = []
        pending: str | None = None
        for kind, value in self.parts:
            if kind == "break":
                pending = "\n" if "\n" in (value, pending) else "\t"
                continue
            if pending or not out or out[-1][-1:] in (" ", "\n", "\t"):
                value = value.lstrip(" ")
            if not value:
                continue
            if pending and out:
                out.append(pending)
            pending = None
            out.append(value)
        lines = [re.sub(r" *\t[ \t]*", "\t", line).strip(" \t") for line in "".join(out).split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def _walk(el, writer: _Writer, pre: bool) -> None:
    tag = el.tag if isinstance(el.tag, str) else None
    if tag is None:  # comment, processing instruction, entity
        writer.text(el.tail, pre)
        return
    tag = tag.lower().split("}")[-1]
    if tag in DROP_TAGS:
        writer.text(el.tail, pre)
        return
    if tag == "br":
        writer.mark("\n")
        writer.text(el.tail, pre)
        return
    inner_pre = pre or tag == "pre"
    style = (el.get("style") or "").replace(" ", "").lower()
    block = tag in BLOCK_TAGS or "display:block" in style or "display:flex" in style
    cell = tag in _CELL_TAGS or "display:inline-block" in style or "display:table-cell" in style
    if block:
        writer.mark("\n")
    writer.text(el.text, inner_pre)
    for child in el:
        _walk(child, writer, inner_pre)
    if block or tag == "dd":
        writer.mark("\n")
    elif cell:
        writer.mark("\t")
    writer.text(el.tail, pre)


def html_to_text(html: str | bytes) -> str:
    """Visible text of an HTML page, one block a line. Never fetches or runs anything.

    Bytes are decoded by lxml from the page's declared charset (UTF-8 when none). Raises
    ``ValueError`` when the input cannot be parsed as HTML at all.
    """
    if isinstance(html, str):
        # lxml refuses str input that carries an XML encoding declaration
        html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
        if not html.strip():
            return ""
    elif not html.strip():
        return ""
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True,
                                  encoding=None if isinstance(html, str) else "utf-8")
    try:
        root = lxml.html.fromstring(html, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise ValueError(f"not parseable as HTML: {exc}") from exc
    writer = _Writer()
    _walk(root, writer, pre=False)
    return writer.result()
