"""onionwatch extraction: listing text and pages -> drugs, quantities, prices, shipping, vendor, terms,
PGP keys, crypto addresses and contacts (spaCy).

The public API (see :mod:`extract.api`)::

    from extract import load_pipeline, extract_record, extract_many, extract_path
    nlp = load_pipeline()
    extract_record(nlp, id="l1", source="market", title="...", html="...")

Importing this package registers the spaCy factories of every component (``onionwatch_drugs_v1``
and the others listed in :mod:`extract.components`).
"""
from __future__ import annotations

from extract.api import (
    DEFAULT_CONFIG, MAX_INPUT_BYTES, MAX_TEXT_CHARS, RESULT_KEYS, build_text, extract_many, extract_path,
    extract_record, load_pipeline, result_from_doc,
)
from extract.errors import ErrorCode, ExtractError
from extract.html import html_to_text

__all__ = [
    "load_pipeline", "extract_record", "extract_many", "extract_path", "build_text", "result_from_doc",
    "html_to_text", "ErrorCode", "ExtractError", "DEFAULT_CONFIG", "MAX_INPUT_BYTES", "MAX_TEXT_CHARS",
    "RESULT_KEYS",
]
