"""The one tokenizer both backends search with: case- and accent-folded words.

Elasticsearch's test distribution has no ASCII folding or stemming filters, and SQLite's FTS5
folds accents its own way; to give the same answers on both, onionwatch folds text itself, in
Python, before either backend sees it. The folded words are stored space-separated in the
``q_*`` fields (Elasticsearch: ``whitespace`` analyzer; SQLite: an FTS5 column), and query words
are folded the same way, so a word matches exactly when its folded form matches.

>>> words("Fentanyl HCl 1g – PURE Café, M30's")
['fentanyl', 'hcl', '1g', 'pure', 'cafe', 'm30', 's']
>>> fold("Ÿes-Ñó")
'yes no'
"""
from __future__ import annotations

import re
import unicodedata
from typing import Iterable

__all__ = ["words", "fold", "fold_all"]

_WORD = re.compile(r"[^\W_]+")


def words(text: str | None) -> list[str]:
    """The folded words of a text: NFKD, combining marks dropped, case folded, split on non-letters."""
    if not text:
        return []
    if text.isascii():  # the same words without the Unicode round trip (ASCII has nothing to fold)
        return _WORD.findall(text.lower())
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return _WORD.findall(stripped)


def fold(text: str | None) -> str:
    """The folded words of a text joined by single spaces (what the ``q_*`` fields store)."""
    return " ".join(words(text))


def fold_all(texts: Iterable[str | None]) -> str:
    """Several texts folded into one field value."""
    return " ".join(w for text in texts for w in words(text))
