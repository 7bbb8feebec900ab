"""Is a rebuilt store at least as complete as the one it would replace? A per-field comparison.

A rebuild reads every page again from the archive. When it cannot (the evidence is elsewhere,
damaged, or an extraction rule was lost), the new store is quietly poorer: fewer listings, or the
same listings with fewer prices, countries or drugs. :func:`field_counts` counts, for one store,
its listings and vendor accounts and how many values each field of their documents holds (a list
counts its items: ``ships_to: ["DE", "FR"]`` is two values); :func:`losses` lists the counts a new
store has lost against the old one, and :func:`format_diff` prints them for a person.

>>> old = {"listings": 3, "listing.ships_to": 5, "listing.price_usd": 3}
>>> new = {"listings": 3, "listing.ships_to": 2, "listing.price_usd": 3, "listing.drugs": 1}
>>> losses(old, new)
[('listing.ships_to', 5, 2)]
>>> print(format_diff(old, new))
  field                  old      new   change
  listing.drugs            0        1       +1
  listing.price_usd        3        3        =
  listing.ships_to         5        2       -3  LOST
  listings                 3        3        =
"""
from __future__ import annotations

from collections import Counter
from typing import Any, Iterable

__all__ = ["field_counts", "losses", "format_diff"]


def _values(value: Any) -> int:
    if value is None or value == "" or value == [] or value == {}:
        return 0
    if isinstance(value, (list, tuple, set)):
        return sum(1 for item in value if item not in (None, "", [], {}))
    return 1


def _count(docs: Iterable[dict[str, Any]], kind: str, counts: Counter) -> None:
    for doc in docs:
        counts[f"{kind}s"] += 1
        for key, value in doc.items():
            counts[f"{kind}.{key}"] += _values(value)


def field_counts(store) -> dict[str, int]:
    """``{"listings": n, "vendors": n, "listing.<field>": values, "vendor.<field>": values}`` of a store."""
    counts: Counter = Counter({"listings": 0, "vendors": 0})
    _count(store.iter_listings(), "listing", counts)
    _count(store.iter_vendors(), "vendor", counts)
    return dict(counts)


def losses(old: dict[str, int], new: dict[str, int]) -> list[tuple[str, int, int]]:
    """``(field, old count, new count)`` for every count that is lower in ``new``, by field name."""
    return [(name, old[name], new.get(name, 0)) for name in sorted(old) if new.get(name, 0) < old[name]]


def format_diff(old: dict[str, int], new: dict[str, int]) -> str:
    """A table of every count of either store, old against new, the lost ones marked ``LOST``."""
    names = sorted(set(old) | set(new))
    width = max([len("field"), *map(len, names)])
    lines = [f"  {'field':<{width}} {'old':>8} {'new':>8} {'change':>8}"]
    for name in names:
        before, after = old.get(name, 0), new.get(name, 0)
        change = "=" if before == after else f"{after - before:+d}"
        lines.append(f"  {name:<{width}} {before:>8} {after:>8} {change:>8}" + ("  LOST" if after < before else ""))
    return "\n".join(lines)
