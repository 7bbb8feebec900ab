"""Amounts and dose strengths: a spaCy component (factory ``onionwatch_quantities_v1``).

Matching is :func:`extract.parsers.quantities.parse_quantities` (a pure function over
``doc.text``); this component writes its results to ``doc._.quantities``
(``[{"value", "unit", "strength", "span"}]``) and ``doc.spans[span_key]``.

>>> import spacy
>>> nlp = spacy.blank("en"); _ = nlp.add_pipe("onionwatch_quantities_v1")
>>> nlp("Tramadol 50 mg x 100")._.quantities[0]["strength"]
{'value': 50, 'unit': 'mg'}
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from extract.components._doc import doc_numeral_lines, doc_text, register_extensions, set_span_group
from extract.parsers.lines import NumeralLines
from extract.components._pipe import BatchedPipe
from extract.parsers.quantities import Quantity, parse_quantities
from extract.registry import versioned_factory

__all__ = ["QuantityRecognizer", "make_quantity_matcher"]


class QuantityRecognizer(BatchedPipe):
    """Finds quantities with :func:`parse_quantities` and annotates the Doc."""

    def __init__(self, name: str = "quantities", *, span_key: str = "quantities", pair_window: int = 40) -> None:
        register_extensions()
        self.name = name
        self.span_key = span_key
        self.pair_window = pair_window

    def match(self, text: str, numerals: NumeralLines | None = None) -> list[Quantity]:
        return parse_quantities(text, pair_window=self.pair_window, numerals=numerals)

    def annotate(self, doc: Doc, found: list[Quantity]) -> None:
        doc._.quantities = [q.to_dict() for q in found]
        set_span_group(doc, self.span_key, [(q.start, q.end, q.unit) for q in found])

    def __call__(self, doc: Doc) -> Doc:
        self.annotate(doc, self.match(doc_text(doc), doc_numeral_lines(doc)))
        return doc


@versioned_factory("onionwatch_quantities_v1", alias="onionwatch_quantities", assigns=["doc._.quantities", "doc.spans"],
                   default_config={"span_key": "quantities", "pair_window": 40})
def make_quantity_matcher(nlp: Language, name: str, span_key: str, pair_window: int) -> QuantityRecognizer:
    """Factory for ``onionwatch_quantities_v1`` (entry point in setup.cfg)."""
    return QuantityRecognizer(name, span_key=span_key, pair_window=pair_window)
