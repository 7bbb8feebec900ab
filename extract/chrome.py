"""Page chrome learned from a crawl: blocks repeated across many vendors' pages are not facts.

Markets wrap every page in chrome: category menus that name every drug, "featured" and "related"
boxes with other vendors' listings, prices and origins, notices, footers. Extraction run over the
whole page takes those for the listing's facts. Where a market's profile has no ``content``
selector for the listing's own area, the chrome is learned from the crawl itself:

- a page is cut into **blocks**: each block-level element (``div``, ``p``, ``li``, ``tr``,
  ``option``...) with the text it holds itself (its inline content, not nested blocks), keyed by
  its **DOM path** (tags and classes from the root, no ids or positions) and its normalised text;
- a block seen on pages of at least ``min_vendors`` *different* vendors, and of at least
  ``min_vendor_share`` of the vendors the crawl saw, is chrome. A vendor's own boilerplate (a
  sign-off on all of their listings) is one vendor's and is never chrome;
- a path seen on pages of that many vendors, whose blocks are each on pages of ``min_vendors`` or
  more vendors in at least ``path_share`` of their occurrences, is chrome as a whole: a box whose
  items change with the page ("top in this category", on a small category's pages too) is removed
  wherever it appears;
- a labelled field ("Escrow Yes", "Ships to: Worldwide") that repeats across vendors because
  many listings share its value is kept, unless its whole path is chrome; so are the page's
  exchange rates ("1 BTC = $62,986"): site-wide, but they convert the listing's price;
- with pages of fewer vendors than that, nothing is learned, and the model says so.

:func:`learn_chrome` reads ``(html, vendor)`` pairs once and returns a frozen, JSON-serialisable
:class:`ChromeModel`; :func:`strip_chrome` removes the chrome blocks' text from one page and says
what it removed. A block whose text is one of the page's profile fields (``keep``), or is one
after its label, is never removed: profile fields are never dropped. Both run in time linear in the pages' size (one
parse, one walk); a page nested deeper than the parser keeps is left untouched.

>>> def page(vendor, item):
...     return (f'<body><div class="m"><p>Fentanyl (12)</p><p>Heroin (3)</p></div>'
...             f'<div class="l"><h1>{item}</h1><p>by {vendor}</p></div></body>')
>>> model = learn_chrome((page(v, f"item {i}"), v) for i, v in enumerate("abcd"))
>>> model.learned, model.vendors
(True, 4)
>>> out = strip_chrome(page("e", "Cocaine 5g"), model)
>>> [text for _, text in out.removed]
['Fentanyl (12)', 'Heroin (3)']
>>> "Fentanyl" in out.html, "Cocaine 5g" in out.html
(False, True)
>>> learn_chrome([(page("a", "x"), "a")]).note
'learned nothing: pages of 1 vendor, at least 3 needed'
"""
from __future__ import annotations

import hashlib
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import lxml.etree
import lxml.html

from extract.html import BLOCK_TAGS, DROP_TAGS

__all__ = ["ChromeModel", "Stripped", "learn_chrome", "strip_chrome", "page_blocks",
           "MIN_VENDORS", "MIN_VENDOR_SHARE", "PATH_SHARE", "MAX_DEPTH"]

#: A block is chrome when seen on pages of at least this many different vendors...
MIN_VENDORS = 3
#: ...and of at least this share of all the vendors whose pages were read.
MIN_VENDOR_SHARE = 0.2
#: A DOM path is chrome as a whole when at least this share of its blocks' occurrences are of
#: blocks seen on pages of ``min_vendors`` or more vendors (content paths stay under half).
PATH_SHARE = 0.65
#: Pages nested this deep may have been cut by the parser: they are never rewritten.
MAX_DEPTH = 250
_MAX_CLASS_CHARS = 100


@dataclass(frozen=True)
class ChromeModel:
    """What was learned for one market: chrome block keys and chrome paths, with how."""

    blocks: frozenset[str] = frozenset()  # digests of (path, text)
    paths: frozenset[str] = frozenset()
    pages: int = 0
    vendors: int = 0
    min_vendors: int = MIN_VENDORS
    min_vendor_share: float = MIN_VENDOR_SHARE
    path_share: float = PATH_SHARE
    note: str = ""

    @property
    def learned(self) -> bool:
        return bool(self.blocks or self.paths)

    def to_dict(self) -> dict[str, Any]:
        return {"blocks": sorted(self.blocks), "paths": sorted(self.paths), "pages": self.pages,
                "vendors": self.vendors, "min_vendors": self.min_vendors,
                "min_vendor_share": self.min_vendor_share, "path_share": self.path_share,
                "note": self.note}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ChromeModel:
        return cls(**{**data, "blocks": frozenset(data.get("blocks", ())),
                      "paths": frozenset(data.get("paths", ()))})

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True)


@dataclass(frozen=True)
class Stripped:
    """A page with its chrome removed: the HTML, the ``(path, text)`` of each removed block, how
    many chrome blocks were kept because they hold a profile field, and a note when untouched."""

    html: str
    removed: tuple[tuple[str, str], ...] = ()
    kept: int = 0
    note: str = ""


@dataclass
class _Block:
    path: str
    pieces: list[str] = field(default_factory=list)
    slots: list[tuple[Any, str]] = field(default_factory=list)  # (element, "text" | "tail")

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.pieces).split())


def _key(path: str, text: str) -> str:
    return hashlib.blake2b(f"{path}\x1f{text}".encode("utf-8", "surrogatepass"),
                           digest_size=12).hexdigest()


def _parse(html: str | bytes):
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    if not html.strip():
        return None
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    try:
        return lxml.html.document_fromstring(html.lstrip().removeprefix("\ufeff"), parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return None


def _component(el) -> str:
    classes = " ".join(sorted((el.get("class") or "").split()))[:_MAX_CLASS_CHARS]
    return f"{el.tag}.{classes.replace(' ', '.')}" if classes else el.tag


def _walk(root) -> tuple[list[_Block], int]:
    """Every block of the tree with its own text and where that text lives; and the max depth.
    One pass, no recursion (``iterwalk``), so deep trees cost nothing extra."""
    blocks: list[_Block] = []
    open_blocks: list[_Block] = []
    is_block: list[bool] = []
    path: list[str] = []
    dropped = 0  # > 0 inside an element whose content is never text
    depth = 0
    for event, el in lxml.etree.iterwalk(root, events=("start", "end")):
        tag = el.tag.lower() if isinstance(el.tag, str) else None
        if event == "start":
            path.append(_component(el) if tag else "?")
            depth = max(depth, len(path))
            drop = tag is None or tag in DROP_TAGS
            if drop or dropped:
                dropped += 1
                is_block.append(False)
                continue
            block = tag in BLOCK_TAGS
            is_block.append(block)
            if block:
                open_blocks.append(_Block("/".join(path)))
            if el.text and el.text.strip() and open_blocks:
                open_blocks[-1].pieces.append(el.text)
                open_blocks[-1].slots.append((el, "text"))
            continue
        path.pop()
        was_block = is_block.pop()
        if dropped:
            dropped -= 1
        elif was_block:
            done = open_blocks.pop()
            if done.pieces:
                blocks.append(done)
        if not dropped and el.tail and el.tail.strip() and open_blocks:
            open_blocks[-1].pieces.append(el.tail)
            open_blocks[-1].slots.append((el, "tail"))
    return blocks, depth


def page_blocks(html: str | bytes) -> list[tuple[str, str]]:
    """The ``(path, text)`` blocks of a page, in document order (nested blocks close first).

    >>> page_blocks('<div class="b a"><p>Hi <b>there</b></p>tail</div>')
    [('html/body/div.a.b/p', 'Hi there'), ('html/body/div.a.b', 'tail')]
    """
    root = _parse(html)
    if root is None:
        return []
    return [(b.path, b.text) for b in _walk(root)[0] if b.text]


def learn_chrome(pages: Iterable[tuple[str | bytes, str | None]], *,
                 min_vendors: int = MIN_VENDORS, min_vendor_share: float = MIN_VENDOR_SHARE,
                 path_share: float = PATH_SHARE) -> ChromeModel:
    """Learn a market's chrome from its crawled pages, each given with its vendor.

    Pages without a vendor (``None`` or ``""``), and pages that cannot be parsed, are skipped:
    only a vendor tells chrome from one vendor's boilerplate.
    """
    if min_vendors < 1 or not 0 <= min_vendor_share <= 1 or not 0 < path_share <= 1:
        raise ValueError("need min_vendors >= 1, 0 <= min_vendor_share <= 1, 0 < path_share <= 1")
    seen: dict[str, set[str]] = defaultdict(set)  # block key -> vendors
    occurrences: dict[str, int] = defaultdict(int)  # block key -> pages
    path_of: dict[str, str] = {}
    vendors: set[str] = set()
    read = 0
    for html, vendor in _pairs(pages):
        root = _parse(html)
        if root is None or not vendor:
            continue
        read += 1
        vendors.add(vendor)
        for key, path in {_key(b.path, b.text): b.path for b in _walk(root)[0] if b.text}.items():
            seen[key].add(vendor)
            occurrences[key] += 1
            path_of.setdefault(key, path)
    settings = {"min_vendors": min_vendors, "min_vendor_share": min_vendor_share,
                "path_share": path_share, "pages": read, "vendors": len(vendors)}
    needed = max(min_vendors, math.ceil(min_vendor_share * len(vendors)))
    if len(vendors) < min_vendors:
        return ChromeModel(**settings, note=f"learned nothing: pages of {len(vendors)} vendor"
                           f"{'' if len(vendors) == 1 else 's'}, at least {min_vendors} needed")
    blocks = frozenset(key for key, who in seen.items() if len(who) >= needed)
    total: dict[str, int] = defaultdict(int)
    chrome: dict[str, int] = defaultdict(int)
    path_vendors: dict[str, set[str]] = defaultdict(set)
    for key, path in path_of.items():
        total[path] += occurrences[key]
        path_vendors[path] |= seen[key]
        if len(seen[key]) >= min_vendors:  # repeated across vendors, if not (yet) on enough of them
            chrome[path] += occurrences[key]
    paths = frozenset(p for p, n in total.items()
                      if chrome[p] >= path_share * n and len(path_vendors[p]) >= needed)
    note = (f"{len(blocks)} chrome blocks and {len(paths)} chrome paths from {read} pages of "
            f"{len(vendors)} vendors (a block on pages of {needed}+ vendors is chrome)")
    return ChromeModel(blocks=blocks, paths=paths, **settings, note=note)


def _pairs(pages: Iterable[tuple[str | bytes, str | None]]):
    for item in pages:
        if not (isinstance(item, tuple) and len(item) == 2):
            raise TypeError(f"learn_chrome reads (html, vendor) pairs, not {type(item).__name__}")
        yield item


def _norm(text: str) -> str:
    return " ".join(text.split())


#: A chrome block of at most this many text pieces, the last a profile field's text and the ones
#: before it no longer than :data:`LABEL_CHARS` together, is that field after its label ("Ships
#: to" + "Worldwide") and is kept; a menu naming the listing's own category among others is not.
FIELD_PIECES = 3
LABEL_CHARS = 30


def _holds_field(block: _Block, value: str, protected: set[str]) -> bool:
    if value in protected:
        return True
    pieces = [p for p in (_norm(p) for p in block.pieces) if p]
    return (len(pieces) <= FIELD_PIECES and pieces[-1] in protected
            and sum(len(p) for p in pieces[:-1]) <= LABEL_CHARS)


@lru_cache(maxsize=1)
def _field_label_re() -> re.Pattern:
    """A block that starts with a listing field's label and goes on with its value (the labels
    extraction reads: origin, destinations, escrow, finalize-early, payment, vendor)."""
    from extract.lexicons.shipping import FROM_LABELS, TO_LABELS
    from extract.lexicons.terms import ESCROW_LABELS, FE_LABELS, PAYMENT_LABELS
    from extract.parsers.vendor import VENDOR_LABELS

    labels = "|".join(FROM_LABELS + TO_LABELS + ESCROW_LABELS + FE_LABELS + PAYMENT_LABELS + VENDOR_LABELS)
    return re.compile(r"[^\w]{0,3}(?:" + labels + r")[ \t]*(?:[:=][ \t]*|[ \t])(?=\S)", re.IGNORECASE)


def _labelled_field(block: _Block, value: str) -> bool:
    """Whether a block is one labelled field ("Escrow Yes", "Ships to: Worldwide"): a value that
    happens to repeat across vendors, not chrome, unless its whole path is chrome."""
    pieces = sum(1 for p in block.pieces if p.strip())
    return pieces <= FIELD_PIECES and _field_label_re().match(value) is not None


def strip_chrome(html: str | bytes, model: ChromeModel, *, keep: Iterable[str] = ()) -> Stripped:
    """``html`` with the text of its chrome blocks removed (markup and other text untouched).

    ``keep``: texts of the page's profile fields; a chrome block whose whole text is one of them, or
    a field with its label (one piece is the field, the rest a short label: :data:`FIELD_PIECES`,
    :data:`LABEL_CHARS`), is kept. A page with nothing to remove, one that
    cannot be parsed, and one nested deeper than :data:`MAX_DEPTH` come back unchanged.
    """
    text = html.decode("utf-8", errors="replace") if isinstance(html, bytes) else html
    if not model.learned:
        return Stripped(text, note=model.note or "no chrome learned")
    root = _parse(text)
    if root is None:
        return Stripped(text, note="not parseable as HTML: left as is")
    blocks, depth = _walk(root)
    if depth >= MAX_DEPTH:
        return Stripped(text, note=f"nested {depth} deep: left as is")
    protected = {_norm(k) for k in keep if isinstance(k, str) and k.strip()}
    chrome: list[_Block] = []
    kept = 0
    for block in blocks:
        value = block.text
        if not value:
            continue
        if block.path not in model.paths:
            if _key(block.path, value) not in model.blocks:
                continue
            if _labelled_field(block, value):
                kept += 1
                continue
        if protected and _holds_field(block, value, protected):
            kept += 1
            continue
        chrome.append(block)
    rates = _rate_blocks(chrome)
    removed: list[tuple[str, str]] = []
    for i, block in enumerate(chrome):
        if i in rates:
            kept += 1
            continue
        for el, slot in block.slots:
            setattr(el, slot, None)
        removed.append((block.path, block.text))
    if not removed:
        return Stripped(text, kept=kept)
    try:
        return Stripped(lxml.html.tostring(root, encoding="unicode"), tuple(removed), kept)
    except (lxml.etree.LxmlError, ValueError) as exc:  # never lose the page over its chrome
        return Stripped(text, kept=kept, note=f"could not be rewritten ({exc}): left as is")


def _rate_blocks(chrome: list[_Block]) -> set[int]:
    """The chrome blocks that state exchange rates ("1 BTC = $62,986", "EUR/USD 1.0777", a rates
    table's "BTC 1.0" / "USD 5261.1" rows): site-wide, but the page's own rates convert its
    prices, so they stay."""
    from extract.lexicons.currencies import CODES
    from extract.parsers.prices import find_rates

    out = set()
    for i, block in enumerate(chrome):
        text = block.text
        row = _RATE_ROW.fullmatch(text)
        if (row and row.group(1).upper() in CODES) or any(
                r.source != "side_by_side" for r in find_rates(text[:_RATE_TEXT_CHARS])):
            out.add(i)
    return out


#: A row of a rates table: a currency code and a number.
_RATE_ROW = re.compile(r"([A-Za-z]{2,5})[ \t]+\d[\d,.]{0,20}")
#: Rate statements are short: longer chrome text is read only this far for them.
_RATE_TEXT_CHARS = 400
