"""Ships-from and ships-to as ISO codes: a spaCy component (factory ``onionwatch_shipping_v1``).

Matching is :func:`extract.parsers.shipping.parse_shipping` over ``doc.text`` (labelled fields
first, free text when there are none and ``free_text`` is on). Results: ``doc._.ships_from``
(``{"code", "span", "source"}`` or None), ``doc._.ships_to`` (``[{"code", "span", "source"}]``) and
``doc.spans[span_key]`` labelled ``from:XX`` / ``to:XX``.

>>> import spacy
>>> nlp = spacy.blank("en"); _ = nlp.add_pipe("onionwatch_shipping_v1")
>>> doc = nlp("Ships from: Holland\\nShips to: Worldwide")
>>> doc._.ships_from["code"], [p["code"] for p in doc._.ships_to]
('NL', ['WW'])
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from extract.components._doc import doc_text, register_extensions, set_span_group
from extract.parsers.shipping import Shipping, parse_shipping
from extract.registry import versioned_factory

__all__ = ["ShippingRecognizer", "make_shipping_matcher"]


class ShippingRecognizer:
    """Finds origin and destinations with :func:`parse_shipping` and annotates the Doc."""

    def __init__(self, name: str = "shipping", *, span_key: str = "shipping", free_text: bool = True) -> None:
        register_extensions()
        self.name = name
        self.span_key = span_key
        self.free_text = free_text

    def match(self, text: str) -> Shipping:
        return parse_shipping(text, free_text=self.free_text)

    def annotate(self, doc: Doc, found: Shipping) -> None:
        origin = found.ships_from
        doc._.ships_from = {"code": origin.code, "span": [origin.start, origin.end], "source": found.source} if origin else None
        doc._.ships_to = [{"code": p.code, "span": [p.start, p.end], "source": found.source} for p in found.ships_to]
        items = [(origin.start, origin.end, f"from:{origin.code}")] if origin else []
        items += [(p.start, p.end, f"to:{p.code}") for p in found.ships_to]
        set_span_group(doc, self.span_key, items)

    def __call__(self, doc: Doc) -> Doc:
        self.annotate(doc, self.match(doc_text(doc)))
        return doc


@versioned_factory("onionwatch_shipping_v1", alias="onionwatch_shipping",
                   assigns=["doc._.ships_from", "doc._.ships_to", "doc.spans"],
                   default_config={"span_key": "shipping", "free_text": True})
def make_shipping_matcher(nlp: Language, name: str, span_key: str, free_text: bool) -> ShippingRecognizer:
    """Factory for ``onionwatch_shipping_v1`` (entry point in setup.cfg)."""
    return ShippingRecognizer(name, span_key=span_key, free_text=free_text)
