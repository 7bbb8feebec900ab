"""Label-value pairs read from a page's structure, whatever its layout.

Markets lay a listing's details out as table rows (``<tr><th>Ships from</th><td>Germany</td>``),
definition lists (``<dt>``/``<dd>``), label elements beside their value (``<span class=k>Ships
from</span><span>Germany</span>``, ``<b>Escrow:</b> yes``, ``<label><b>Ship to :</b></label>
<small>US</small>``) and "Label: value" texts. :func:`label_pairs` finds them all in one walk of
the tree, knowing nothing of any market:

- a **label** is a text node whose whole text (trailing ":" and blanks removed) is a wording of
  :data:`extract.lexicons.labels.FIELD_LABELS`; the element holding it alone, and the wrappers
  holding only that element (``<label><b>..</b></label>``), are the label element;
- its **value** is what follows the label element in its parent: its tail and the next siblings,
  up to a line break, a block, the next label or :data:`MAX_VALUE_CHARS`; a label cell (``th``,
  ``td``, ``dt``) takes the next cell; a label alone in its block takes the next block;
- a text node "Label: value" (a label, ":" or "=", then text) is a pair by itself.

Navigation (``<nav>``, ``role=navigation``) and elements that are never text (scripts, styles,
forms' buttons) are not read. Time is linear in the page: each element is visited once and a
value reads at most :data:`MAX_SIBLINGS` siblings. Nothing is fetched or run.

>>> [(p.field, p.label, p.value) for p in label_pairs(
...     "<div><span>Sent from</span><span>Germany</span></div><p><b>Escrow:</b> yes</p>"
...     "<table><tr><th>Destinations</th><td>EU, UK</td></tr></table><p>Stock: 12 left</p>")]
[('ships_from', 'Sent from', 'Germany'), ('escrow', 'Escrow', 'yes'), ('ships_to', 'Destinations', 'EU, UK'), ('stock', 'Stock', '12 left')]
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

import lxml.etree
import lxml.html

from extract.html import BLOCK_TAGS, CHROME_ROLES, CHROME_TAGS, DROP_TAGS
from extract.lexicons.labels import FIELD_LABELS, MAX_LABEL_CHARS

__all__ = ["LabelPair", "label_pairs", "label_pairs_of_text", "label_field", "MAX_VALUE_CHARS", "MAX_SIBLINGS"]

#: A value is cut at this many characters (a label's value is a short field, not a description).
MAX_VALUE_CHARS = 300
#: Siblings a value reads at most after its label.
MAX_SIBLINGS = 12
_CELLS = frozenset({"td", "th", "dt", "dd"})
_LABEL_CELLS = frozenset({"th", "td", "dt"})
_SPACES = re.compile(r"\s+")
_EDGE = " \t\u00a0:：=-–—>»|*•·"
# what may stand around a label's words: icons, emoji, bullets, colons ("🚚 Ships from:", "» FE ?")
_LABEL_EDGES = re.compile(r"^[^\w(]+|[^\w)?]+$")
# a value shown as an icon: its class names ("fa fa-check", "icon-times")
_ICON_YES = re.compile(r"(?i)(?<![a-z])(?:check|tick|ok|yes|true|success|enabled|on)(?![a-z])")
_ICON_NO = re.compile(r"(?i)(?<![a-z])(?:times|close|cross|ban|no|false|remove|disabled|off|x)(?![a-z])")


@dataclass(frozen=True)
class LabelPair:
    """A label, the fact its wording names (``field``) and the value's text, in document order."""

    field: str
    label: str
    value: str


@lru_cache(maxsize=1)
def _label_res() -> tuple[tuple[str, re.Pattern], ...]:
    return tuple((field, re.compile(r"(?:" + "|".join(words) + r")", re.IGNORECASE))
                 for field, words in FIELD_LABELS.items())


def _clean(text: str | None) -> str:
    return _SPACES.sub(" ", text or "").strip()


def label_field(text: str | None) -> str | None:
    """The fact a label's text names, or None when it is no label of the lexicon.

    >>> label_field(" Origin Country : "), label_field("Versand nach:"), label_field("Ships from Germany")
    ('ships_from', 'ships_to', None)
    """
    if not text or (len(text) > 4 * MAX_LABEL_CHARS and len(text.strip()) > 2 * MAX_LABEL_CHARS):
        return None
    label = _LABEL_EDGES.sub("", _clean(text)).replace(" ?", "?")
    if not label or len(label) > MAX_LABEL_CHARS:
        return None
    label = label.replace(" ", " ")
    for field, pattern in _label_res():
        if pattern.fullmatch(label):
            return field
    return None


def _skipped(el) -> bool:
    if not isinstance(el.tag, str):
        return True  # comments, processing instructions
    tag = el.tag.lower()
    return tag in DROP_TAGS or tag in CHROME_TAGS or (el.get("role") or "").lower() in CHROME_ROLES


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _text_of(el, limit: int = MAX_VALUE_CHARS) -> str:
    """An element's visible text (not its tail), read until ``limit`` characters."""
    parts, size = [], 0
    for piece in el.itertext():
        parts.append(piece)
        size += len(piece)
        if size > limit:
            break
    return _clean(" ".join(parts))[:limit]


def _icon_text(el) -> str:
    """The text of a value shown without text: an image's ``alt``, a ``title`` or ``aria-label``,
    else "yes" / "no" for a check or cross icon's class names (``<i class="fa fa-check">``)."""
    for n, node in enumerate(el.iter()):
        if n > 8 or _skipped(node):
            break
        for attr in ("alt", "title", "aria-label"):
            if (said := _clean(node.get(attr))[:MAX_VALUE_CHARS]):
                return said
        classes = node.get("class") or ""
        if _ICON_YES.search(classes):
            return "yes"
        if _ICON_NO.search(classes):
            return "no"
    return ""


def _punctuation(text: str) -> bool:
    return not text.strip(_EDGE)


def _own_label(el) -> str | None:
    """The label an element holds alone (its text is a label and no child adds words), or None."""
    if label_field(el.text) is None:
        return None
    for child in el:
        if not _punctuation(_clean(child.tail)) or (not _skipped(child) and not _punctuation(_text_of(child, 4))):
            return None
    return _LABEL_EDGES.sub("", _clean(el.text))


def _label_element(el):
    """The outermost element holding only the label ``el`` holds (``<small><label><b>Ship to:``)."""
    for _ in range(4):
        parent = el.getparent()
        if parent is None or _clean(parent.text) or _clean(el.tail) or _tag(parent) in ("body", "html"):
            return el
        if any(sib is not el and (_clean(sib.tail) or _text_of(sib, 2) or _icon_text(sib)) for sib in parent):
            return el
        el = parent
    return el


def _is_label(el) -> bool:
    return _tag(el) in ("dt", "th") or (label_field(_text_of(el, MAX_LABEL_CHARS + 10)) is not None)


def _value_after(el, used: set) -> str:
    """What follows the label element ``el`` in its parent (see the module docstring); the
    elements read are added to ``used`` (a value is never read as a label)."""
    tag = _tag(el)
    if tag in ("th", "td") and (column := _column_value(el, used)) is not None:
        return column
    if tag in _LABEL_CELLS:
        for sib in el.itersiblings():
            if _tag(sib) in _CELLS and not _skipped(sib):
                if _tag(sib) in ("dt", "th"):
                    return ""
                used.add(sib)
                return _text_of(sib) or _icon_text(sib)
        return ""
    return _value_of(_clean(el.tail), el.itersiblings(), used)


def _rows_after(row) -> Iterator:
    """The table rows after ``row``, crossing from a ``<thead>`` into the ``<tbody>`` after it."""
    yield from (r for r in row.itersiblings() if _tag(r) == "tr")
    section = row.getparent()
    if section is not None and _tag(section) in ("thead", "tbody"):
        for later in section.itersiblings():
            yield from (r for r in later if _tag(r) == "tr")


def _column_value(el, used: set) -> str | None:
    """In a header row of labels (``<tr><th>Origin</th><th>Destination</th><th>Escrow</th>``) with
    exactly one row of values below, the value under ``el``; None when the row is no such header
    (a table of many rows lists many listings, not this one's details)."""
    row = el.getparent()
    if row is None or _tag(row) != "tr":
        return None
    cells = [c for c in row if _tag(c) in ("th", "td")]
    if len(cells) < 3 or sum(label_field(_text_of(c, MAX_LABEL_CHARS + 10)) is not None for c in cells) < 2:
        return None
    below = []
    for r in _rows_after(row):
        below.append(r)
        if len(below) > 1:
            return None
    if len(below) != 1:
        return None
    values = [c for c in below[0] if _tag(c) in ("th", "td")]
    index = cells.index(el)
    if len(values) != len(cells):
        return None
    used.add(values[index])
    return _text_of(values[index]) or _icon_text(values[index])


def _value_of(first: str, siblings, used: set) -> str:
    """A value: ``first`` (the text right after the label), then the ``siblings`` until a line
    break, a block or the next label."""
    parts = [first]
    for n, sib in enumerate(siblings):
        if n >= MAX_SIBLINGS or sum(map(len, parts)) > MAX_VALUE_CHARS:
            break
        sib_tag = _tag(sib)
        if sib_tag == "br":
            if any(parts):
                break
            parts.append(_clean(sib.tail))
            continue
        if any(parts) and _is_label(sib):  # the next pair ("Escrow" right after a label is its value)
            break
        if _skipped(sib):
            parts.append(_clean(sib.tail))
            continue
        if sib_tag in BLOCK_TAGS or sib_tag in _CELLS:
            if not any(parts) and sib_tag not in ("dt", "th"):
                used.add(sib)
                parts.append(_text_of(sib) or _icon_text(sib))
            break
        used.add(sib)
        parts.append(_text_of(sib) or _icon_text(sib))
        parts.append(_clean(sib.tail))
    return _clean(" ".join(p for p in parts if p))[:MAX_VALUE_CHARS].strip(_EDGE)


def _inline_pair(text: str | None) -> tuple[str, str, str] | None:
    """``(field, label, value)`` of a text "Label: value", or None. Only the text's first
    characters are searched for the separator, so a long text costs no more than a short one."""
    if not text:
        return None
    start = len(text) - len(text.lstrip())
    head = text[start: start + MAX_LABEL_CHARS + 4]
    cut = min((i for i in (head.find(":"), head.find("："), head.find("=")) if i > 0), default=-1)
    if cut < 0:
        return None
    field = label_field(head[:cut])
    if field is None:
        return None
    value = _clean(text[start + cut + 1: start + cut + 1 + 2 * MAX_VALUE_CHARS])[:MAX_VALUE_CHARS].strip(_EDGE)
    return (field, _clean(head[:cut]), value) if value else None


def _elements(root) -> Iterator:
    """The elements of the tree in document order, navigation and non-text elements left out."""
    stack = [root]
    while stack:
        el = stack.pop()
        if _skipped(el):
            continue
        yield el
        stack.extend(reversed(el))


def label_pairs(html: str | bytes) -> list[LabelPair]:
    """Every label-value pair of a page, in document order (see the module docstring); pairs with
    an empty value are left out. A page that is not HTML gives no pairs."""
    if isinstance(html, str):
        html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    if not html or not html.strip():
        return []
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, huge_tree=True,
                                  encoding=None if isinstance(html, str) else "utf-8")
    try:
        root = lxml.html.fromstring(html, parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return []
    pairs: list[LabelPair] = []
    seen: set = set()
    for el in _elements(root):
        if el in seen:
            continue
        label = _own_label(el) if _tag(el) != "dd" else None
        if label is not None:
            holder = _label_element(el)
            if holder in seen:
                continue
            seen.add(holder)
            value = _value_after(holder, seen)
            if value:
                pairs.append(LabelPair(label_field(label), label, value))
            continue
        if (inline := _inline_pair(el.text)) is not None:
            pairs.append(LabelPair(*inline))
        elif len(el) and (field := label_field(el.text)) and (value := _value_of("", iter(el), seen)):
            pairs.append(LabelPair(field, _clean(el.text).strip(_EDGE), value))  # "Ships to: <a>UK</a>"
        for child in el:  # "Label: value" in the text after a child (after a <br>, say)
            if (inline := _inline_pair(child.tail)) is not None:
                pairs.append(LabelPair(*inline))
    return pairs


def label_pairs_of_text(text: str) -> list[LabelPair]:
    """The pairs of a plain text, one a line: "Label: value", "Label<TAB>value" (how
    :func:`extract.html.html_to_text` writes a label cell and its value), or a label line ending
    in ":" with its value on the next line.

    >>> [(p.field, p.value) for p in label_pairs_of_text("Ships to\\tEU\\nBestand:\\n  12\\nnice stuff")]
    [('ships_to', 'EU'), ('stock', '12')]
    """
    pairs: list[LabelPair] = []
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if len(pairs) > 1000:
            break
        if "\t" not in line and ":" not in line and "=" not in line and "：" not in line:
            continue  # no pair can be on this line (and a label ending its line has a ":")
        label, tab, value = line.partition("\t")
        if tab and (field := label_field(label)) and (value := _clean(value).strip(_EDGE)):
            pairs.append(LabelPair(field, _clean(label).strip(_EDGE), value[:MAX_VALUE_CHARS]))
        elif (inline := _inline_pair(line)) is not None:
            pairs.append(LabelPair(*inline))
        elif _clean(line).endswith((":", "：")) and (field := label_field(line)) and i + 1 < len(lines) \
                and (value := _clean(lines[i + 1]).strip(_EDGE)) and label_field(value) is None:
            pairs.append(LabelPair(field, _clean(line).strip(_EDGE), value[:MAX_VALUE_CHARS]))
    return pairs
