"""Data tables the extraction components read: drugs, countries, units, currencies, contacts.

Tables only, no matching logic, so that they can be reviewed and extended on their own.
"""
from __future__ import annotations

__all__ = ["drugs", "countries", "units", "currencies", "contacts"]
