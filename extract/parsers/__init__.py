"""Pure parsers over plain text (no spaCy, no I/O): quantities, prices and rates, shipping.

The spaCy components in :mod:`extract.components` call these and write their results onto the Doc,
so each parser can be tested and reused on its own.
"""
from __future__ import annotations

__all__ = ["quantities", "prices", "shipping"]
