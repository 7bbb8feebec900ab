"""The vendor's name: a spaCy component (factory ``onionwatch_vendor_v1``).

Matching is :func:`extract.parsers.vendor.find_vendor` over ``doc.text``. Results: ``doc._.vendor``
(``{"name", "span", "source"}`` or None) and ``doc.spans[span_key]``.

>>> import spacy
>>> nlp = spacy.blank("en"); _ = nlp.add_pipe("onionwatch_vendor_v1")
>>> nlp("Vendor\\tPHARMORA (1000)")._.vendor
{'name': 'PHARMORA', 'span': [7, 15], 'source': 'label'}
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from extract.components._doc import doc_text, register_extensions, set_span_group
from extract.components._pipe import BatchedPipe
from extract.parsers.vendor import find_vendor
from extract.registry import versioned_factory

__all__ = ["VendorRecognizer", "make_vendor_recognizer"]


class VendorRecognizer(BatchedPipe):
    """Finds the vendor with :func:`find_vendor` and annotates the Doc."""

    def __init__(self, name: str = "vendor", *, span_key: str = "vendor") -> None:
        register_extensions()
        self.name = name
        self.span_key = span_key

    def __call__(self, doc: Doc) -> Doc:
        found = find_vendor(doc_text(doc))
        doc._.vendor = {"name": found.name, "span": [found.start, found.end], "source": found.source} if found else None
        set_span_group(doc, self.span_key, [(found.start, found.end, "VENDOR")] if found else [])
        return doc


@versioned_factory("onionwatch_vendor_v1", alias="onionwatch_vendor", assigns=["doc._.vendor", "doc.spans"],
                   default_config={"span_key": "vendor"})
def make_vendor_recognizer(nlp: Language, name: str, span_key: str) -> VendorRecognizer:
    """Factory for ``onionwatch_vendor_v1`` (entry point in setup.cfg)."""
    return VendorRecognizer(name, span_key=span_key)
