"""Doc extension attributes the components write, and the span-group helper they share.

Every fact is a JSON-safe dict carrying ``"span": [start, end]``, character offsets into
``doc.text``. The attributes default to None ("this component did not run"):

- ``doc._.drugs``: ``[{"name", "class", "span"}]``
- ``doc._.quantities``: ``[{"value", "unit", "strength", "span"}]``
- ``doc._.money``: every amount, ``[{"amount", "currency", "span"}]``
- ``doc._.rates``: rates the page shows, ``[{"base", "quote", "value", "source", "span"}]``
- ``doc._.price``: ``{"amount", "currency", "usd", "span", "usd_rate"}`` or None
- ``doc._.ships_from``: ``{"code", "span", "source"}`` or None
- ``doc._.ships_to``: ``[{"code", "span", "source"}]``
- ``doc._.vendor``: ``{"name", "span", "source"}`` or None
- ``doc._.escrow``, ``doc._.finalize_early``: ``{"value", "span", "source"}`` or None
- ``doc._.shipping_methods``: ``[{"name", "span"}]``
- ``doc._.pgp_keys``: ``[{"fingerprint", "key_id", "algorithm", "created", "user_ids", "span"}]``
- ``doc._.crypto_addresses``: ``[{"currency", "address", "network", "kind", "span"}]``
- ``doc._.contacts``: ``[{"kind", "value", "span"}]``
- ``doc._.price_tiers``: ``[{"quantity", "unit", "amount", "currency", "span"}]``
- ``doc._.unit_price``: ``{"amount", "currency", "usd", "unit", "span"}`` or None (price per g/pill/ml)
"""
from __future__ import annotations

import weakref
from typing import Iterable

from spacy.tokens import Doc, SpanGroup

from extract.parsers.lines import Lines, NumeralLines

__all__ = ["EXTENSIONS", "register_extensions", "set_span_group", "doc_text", "remember_text", "doc_lines",
           "doc_numeral_lines"]

EXTENSIONS = ("drugs", "quantities", "money", "rates", "price", "ships_from", "ships_to", "vendor", "escrow",
              "finalize_early", "shipping_methods", "pgp_keys", "crypto_addresses", "contacts", "price_tiers",
              "unit_price")


_TEXTS: weakref.WeakKeyDictionary[Doc, str] = weakref.WeakKeyDictionary()


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per Doc. spaCy joins every token's text again on each access (a
    Token object a token), which took half the time of the whole pipeline on long pages; the
    components share this copy, which lives as long as the Doc and is not serialised with it."""
    text = _TEXTS.get(doc)
    if text is None:
        text = _TEXTS[doc] = doc.text
    return text


def remember_text(doc: Doc, text: str) -> Doc:
    """Give :func:`doc_text` the text ``doc`` was made from (a tokenizer that keeps its input
    character for character knows it without joining the tokens); returns ``doc``."""
    _TEXTS[doc] = text
    return doc


_LINES: weakref.WeakKeyDictionary[Doc, Lines] = weakref.WeakKeyDictionary()
_NUMERALS: weakref.WeakKeyDictionary[Doc, NumeralLines] = weakref.WeakKeyDictionary()


def doc_lines(doc: Doc) -> Lines:
    """The line breaks of :func:`doc_text`, found once per Doc for the components that ask which
    line a position is on (see :class:`~extract.parsers.lines.Lines`)."""
    lines = _LINES.get(doc)
    if lines is None:
        lines = _LINES[doc] = Lines(doc_text(doc))
    return lines


def doc_numeral_lines(doc: Doc) -> NumeralLines:
    """The lines of :func:`doc_text` that hold a numeral, found once per Doc: the quantities and
    prices components search many patterns over them (see :class:`~extract.parsers.lines.NumeralLines`)."""
    numerals = _NUMERALS.get(doc)
    if numerals is None:
        numerals = _NUMERALS[doc] = NumeralLines(doc_text(doc))
    return numerals


def register_extensions() -> None:
    """Declare the Doc attributes once; other packages' attributes of the same name are kept."""
    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


def set_span_group(doc: Doc, key: str, items: Iterable[tuple[int, int, str]]) -> None:
    """Put ``(start_char, end_char, label)`` items in ``doc.spans[key]``, widened to whole tokens.

    The group is a view for inspection (displaCy, ``Span`` arithmetic); the exact character spans
    are in the extension attributes.
    """
    spans = []
    for start, end, label in items:
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is not None:
            spans.append(span)
    doc.spans[key] = SpanGroup(doc, name=key, spans=spans)
