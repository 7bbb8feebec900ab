"""Escrow, finalize-early and shipping methods: a spaCy component (factory ``onionwatch_terms_v1``).

Matching is :func:`extract.parsers.terms.find_terms` over ``doc.text``. Results: ``doc._.escrow``
and ``doc._.finalize_early`` (``{"value", "span", "source"}`` or None), ``doc._.shipping_methods``
(``[{"name", "span"}]``) and ``doc.spans[span_key]`` labelled ``escrow``, ``finalize_early`` or the
method's name.

>>> import spacy
>>> nlp = spacy.blank("en"); _ = nlp.add_pipe("onionwatch_terms_v1")
>>> doc = nlp("Escrow\\tYes\\nFE enabled\\tNo\\nSent by DHL express")
>>> doc._.escrow["value"], doc._.finalize_early["value"], [m["name"] for m in doc._.shipping_methods]
(True, False, ['dhl', 'express'])
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from extract.components._doc import doc_text, register_extensions, set_span_group
from extract.components._pipe import BatchedPipe
from extract.parsers.terms import Term, find_terms
from extract.registry import versioned_factory

__all__ = ["TermsRecognizer", "make_terms_recognizer"]


def _term(term: Term | None) -> dict | None:
    return {"value": term.value, "span": [term.start, term.end], "source": term.source} if term else None


class TermsRecognizer(BatchedPipe):
    """Finds trade terms with :func:`find_terms` and annotates the Doc."""

    def __init__(self, name: str = "terms", *, span_key: str = "terms", methods: bool = True) -> None:
        register_extensions()
        self.name = name
        self.span_key = span_key
        self.methods = methods

    def __call__(self, doc: Doc) -> Doc:
        found = find_terms(doc_text(doc))
        doc._.escrow = _term(found.escrow)
        doc._.finalize_early = _term(found.finalize_early)
        methods = found.methods if self.methods else []
        doc._.shipping_methods = [{"name": m.name, "span": [m.start, m.end]} for m in methods]
        items = [(t.start, t.end, label) for label, t in (("escrow", found.escrow), ("finalize_early", found.finalize_early)) if t]
        items += [(m.start, m.end, m.name) for m in methods]
        set_span_group(doc, self.span_key, items)
        return doc


@versioned_factory("onionwatch_terms_v1", alias="onionwatch_terms",
                   assigns=["doc._.escrow", "doc._.finalize_early", "doc._.shipping_methods", "doc.spans"],
                   default_config={"span_key": "terms", "methods": True})
def make_terms_recognizer(nlp: Language, name: str, span_key: str, methods: bool) -> TermsRecognizer:
    """Factory for ``onionwatch_terms_v1`` (entry point in setup.cfg)."""
    return TermsRecognizer(name, span_key=span_key, methods=methods)
