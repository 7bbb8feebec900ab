"""HTML to text for extraction, keeping the block structure that fields are read from.

Rules: scripts, styles, ``<head>``, templates, comments and processing instructions are dropped
(nothing is ever run or fetched); block elements (``div``, ``p``, ``li``, ``tr``, headings...) and
``<br>`` end a line (so do elements styled ``display:block``); table cells, ``<dt>``, ``<label>`` and elements
styled ``display:inline-block`` are followed by a tab, so "label<TAB>value" pairs
stay on one line; whitespace inside a line is collapsed, except in ``<pre>``; option texts of a
``<select>`` each get a line; a read-only ``<textarea>`` (where markets publish PGP keys) is kept as
``<pre>``, an editable one dropped. Image alt text and attribute values are not text.

>>> html_to_text("<div><label>Ships from</label><span> United States </span></div><p>a<br>b</p>")
'Ships from\\tUnited States\\na\\nb'
>>> html_to_text("<table><tr><td>BTC</td><td>1.0</td></tr><tr><td>USD</td><td>5261.1</td></tr></table>")
'BTC\\t1.0\\nUSD\\t5261.1'
"""
from __future__ import annotations

import logging
import re

import lxml.etree
import lxml.html

from extract.html_stream import stream_html

__all__ = ["html_to_text", "truncated", "drop_link_runs", "BLOCK_TAGS", "DROP_TAGS", "CHROME_TAGS", "CHROME_ROLES"]

log = logging.getLogger(__name__)

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
_NOT_WORDS = re.compile(r"[\W\d_]*")
# blanks around a cell break; it starts only where a run of spaces starts, so a long run of spaces
# in <pre> without a tab is read once, not once from each of its spaces
_CELL_GAP = re.compile(r"(?<! ) *+\t[ \t]*+")
#: Site chrome dropped with its content (unless ``keep_boilerplate``): navigation is never a fact.
CHROME_TAGS = frozenset({"nav", "menu"})
CHROME_ROLES = frozenset({"navigation", "menu", "menubar", "banner", "search"})
#: A navigation run: at least this many consecutive lines made only of link text...
LINK_RUN_MIN = 3
#: ...whose median length is at most this many characters (menus and categories, not listing titles).
LINK_RUN_MAX_CHARS = 40


class _Writer:
    """Collects text pieces and line/cell breaks; a line break absorbs a cell break."""

    def __init__(self) -> None:
        # ("text", value, in_link) or ("break", "\n" / "\t", False)
        self.parts: list[tuple[str, str, bool]] = []

    def text(self, value: str | None, pre: bool, link: bool = False) -> None:
        if value:
            value = value.replace("\r\n", "\n") if pre else _SPACES.sub(" ", value.replace("\n", " "))
            self.parts.append(("text", value, link))

    def mark(self, kind: str) -> None:
        self.parts.append(("break", kind, False))

    def lines(self) -> list[list[tuple[str, bool]]]:
        """The text as lines of ``(piece, in_link)`` segments."""
        lines: list[list[tuple[str, bool]]] = [[]]
        pending: str | None = None
        last = ""
        for kind, value, link in self.parts:
            if kind == "break":
                pending = "\n" if "\n" in (value, pending) else "\t"
                continue
            if pending or not last or last in (" ", "\n", "\t"):
                value = value.lstrip(" ")
            if not value:
                continue
            if pending and last:
                if pending == "\n":
                    lines.append([])
                else:
                    lines[-1].append(("\t", False))
            pending = None
            for i, piece in enumerate(value.split("\n")):
                if i:
                    lines.append([])
                if piece:
                    lines[-1].append((piece, link))
            last = value[-1]
        return lines

    def result(self, keep_boilerplate: bool = False) -> str:
        lines = self.lines()
        if not keep_boilerplate:
            lines = drop_link_runs(lines)
        text = [_CELL_GAP.sub("\t", "".join(p for p, _ in line)).strip(" \t") for line in lines]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(text)).strip("\n")


def _link_only(line: list[tuple[str, bool]]) -> bool:
    """True when every cell of the line holds a link and nothing else but digits and punctuation."""
    cells: list[list[tuple[str, bool]]] = [[]]
    for piece, link in line:
        if piece == "\t" and not link:
            cells.append([])
        else:
            cells[-1].append((piece, link))
    cells = [c for c in cells if "".join(p for p, _ in c).strip()]
    return bool(cells) and all(
        any(link and p.strip() for p, link in cell) and all(link or _NOT_WORDS.fullmatch(p) for p, link in cell)
        for cell in cells)


def drop_link_runs(lines: list[list[tuple[str, bool]]], *, min_run: int = LINK_RUN_MIN,
                   max_length: int = LINK_RUN_MAX_CHARS) -> list[list[tuple[str, bool]]]:
    """Drop navigation: runs of ``min_run`` or more consecutive lines made only of short link texts.

    Menus, category trees, mirror lists and "other products" boxes are lists of links whatever the
    market; listing fields ("Ships to: <a>US</a>") have a label outside the link and stay. Blank
    lines do not break a run.
    """
    kept: list[list[tuple[str, bool]]] = []
    run: list[list[tuple[str, bool]]] = []
    gaps: list[list[tuple[str, bool]]] = []

    def flush() -> None:
        lengths = sorted(len("".join(p for p, _ in line).strip()) for line in run)
        if len(run) < min_run or lengths[len(lengths) // 2] > max_length:
            kept.extend(run)
        run.clear()

    for line in lines:
        blank = not "".join(p for p, _ in line).strip()
        if blank:
            (gaps if run else kept).append(line)
            continue
        if _link_only(line):
            run.extend(gaps)
            gaps.clear()
            run.append(line)
            continue
        if run:
            run[:] = [r for r in run if "".join(p for p, _ in r).strip()]
            flush()
        kept.extend(gaps)
        gaps.clear()
        kept.append(line)
    if run:
        run[:] = [r for r in run if "".join(p for p, _ in r).strip()]
        flush()
    kept.extend(gaps)
    return kept


class _Rules:
    """The rules of the module docstring over a stream of events: an element starts, text, the
    element ends. The tree of lxml and the streaming tokenizer of the fallback feed the same rules."""

    def __init__(self, writer: _Writer, drop_chrome: bool) -> None:
        self.writer = writer
        self.drop_chrome = drop_chrome
        self.open: list[tuple[bool, bool, str | None]] = []  # (pre, link, break after) per element

    def text(self, value: str | None) -> None:
        pre, link, _ = self.open[-1] if self.open else (False, False, None)
        self.writer.text(value, pre, link)

    def start(self, tag: str, get) -> bool:
        """Enter an element (``get`` reads an attribute); False when its content is not text."""
        tag = tag.lower().split("}")[-1]
        if tag == "textarea" and (get("readonly") is not None or get("disabled") is not None):
            tag = "pre"  # a read-only box shows text the page publishes (PGP keys, addresses): keep it as is
        elif tag in DROP_TAGS or (self.drop_chrome and (tag in CHROME_TAGS or (get("role") or "").lower() in CHROME_ROLES)):
            return False
        if tag == "br":
            self.writer.mark("\n")
            return False
        pre, link, _ = self.open[-1] if self.open else (False, False, None)
        style = (get("style") or "").replace(" ", "").lower()
        block = tag in BLOCK_TAGS or "display:block" in style or "display:flex" in style
        cell = tag in _CELL_TAGS or "display:inline-block" in style or "display:table-cell" in style
        if block:
            self.writer.mark("\n")
        after = "\n" if block or tag == "dd" else "\t" if cell else None
        self.open.append((pre or tag == "pre", link or (tag == "a" and get("href") is not None), after))
        return True

    def end(self) -> None:
        _, _, after = self.open.pop()
        if after:
            self.writer.mark(after)


def _walk(root, rules: _Rules) -> None:
    """Feed an lxml tree to ``rules``, depth first, without recursion (a tree may be deep)."""
    stack = [(root, False)]
    while stack:
        el, done = stack.pop()
        if done:
            rules.end()
        elif isinstance(el.tag, str) and rules.start(el.tag, el.get):  # not a comment, PI or entity
            rules.text(el.text)
            stack.append((el, True))
            stack.extend((child, False) for child in reversed(el))
            continue
        rules.text(el.tail)


def html_to_text(html: str | bytes, *, keep_boilerplate: bool = False) -> str:
    """Visible text of an HTML page, one block a line. Never fetches or runs anything.

    Site chrome is left out unless ``keep_boilerplate``: ``<nav>``/``<menu>`` elements, elements
    with a navigation role, and runs of short link-only lines (:func:`drop_link_runs`): category
    trees, menus and mirror lists name drugs and places that are not the listing's.

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
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, huge_tree=True,
                                  encoding=None if isinstance(html, str) else "utf-8")
    try:
        root = lxml.html.fromstring(html, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise ValueError(f"not parseable as HTML: {exc}") from exc
    writer = _Writer()
    rules = _Rules(writer, drop_chrome=not keep_boilerplate)
    if truncated(parser):
        # libxml2 stops at a nesting depth (2048 with huge_tree) and drops the rest of the page
        # without raising: read the page again with a tokenizer that keeps no tree
        log.warning("HTML nested deeper than lxml reads (%s): reading it as a stream", _fatal(parser))
        stream_html(html, rules)
    else:
        _walk(root, rules)
    return writer.result(keep_boilerplate)


def _fatal(parser) -> str:
    return "; ".join(e.message.strip() for e in parser.error_log if e.level_name == "FATAL")


def truncated(parser) -> bool:
    """True when lxml's parse of a page stopped early: libxml2 reports a resource limit (nesting
    depth, buffer size) as a fatal error in the parser's log and keeps only what it read so far."""
    return any(e.level_name == "FATAL" for e in parser.error_log)
