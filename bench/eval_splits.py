"""Evaluation discipline: which part of each development set may be tuned on, which is only scored.

- **Agora** is split by vendor, deterministically (a salted SHA-256 of the folded vendor name), so
  one vendor's wording is never on both sides and every run, on every machine, draws the same line.
  :func:`agora_part` says ``"tune"`` or ``"score"``; about ``score_share`` of the vendors (not of
  the rows: vendors list very different numbers of items) land in the scored part.
- **Real pages** are scored leave-one-market-out (:data:`REAL_FOLDS`): develop on Dream plus the
  sandbox and score Apollon, then the reverse. Extraction runs without market profiles, as it would
  on a market nobody has written a profile for.

A library of :mod:`bench.extract_eval` (``from bench.eval_splits import agora_part``), not run on
its own.

The salt is versioned: changing it (or the share) moves rows between the parts, which makes every
earlier "scored part" number incomparable, so do it only with a new name and say so in the report.

>>> agora_part("SomeVendor") == agora_part("  somevendor ")
True
>>> agora_part("SomeVendor") in ("tune", "score")
True
>>> sorted(REAL_FOLDS)
['score apollon', 'score dream']
"""
from __future__ import annotations

import hashlib
from collections import Counter
from typing import Iterable

__all__ = ["SPLIT_SALT", "SCORE_SHARE", "PARTS", "REAL_FOLDS", "agora_part", "vendor_key", "part_sizes"]

#: Versioned salt of the vendor split; a new value is a new split.
SPLIT_SALT = "onionwatch-agora-vendor-split-v1"
#: Share of vendors put in the scored part.
SCORE_SHARE = 0.5
#: The two parts, in report order.
PARTS = ("tune", "score")
#: Leave-one-market-out folds of the real pages: fold name -> (markets developed on, market scored).
#: The sandbox is on the development side of both folds.
REAL_FOLDS = {
    "score apollon": (("dream", "sandbox"), "apollon"),
    "score dream": (("apollon", "sandbox"), "dream"),
}


def vendor_key(vendor: str) -> str:
    """A vendor name folded for the split: case and surrounding/inner runs of blanks do not count."""
    return " ".join(vendor.split()).casefold()


def agora_part(vendor: str, score_share: float = SCORE_SHARE, salt: str = SPLIT_SALT) -> str:
    """``"score"`` for about ``score_share`` of vendor names, ``"tune"`` for the rest; stable across runs."""
    digest = hashlib.sha256(f"{salt}\x00{vendor_key(vendor)}".encode("utf-8")).digest()
    return "score" if int.from_bytes(digest[:8], "big") / 2 ** 64 < score_share else "tune"


def part_sizes(vendors: Iterable[str], score_share: float = SCORE_SHARE) -> dict[str, tuple[int, int]]:
    """``{part: (rows, vendors)}`` for the vendor of each row.

    >>> part_sizes(["a", "a", "b"])["tune"][0] + part_sizes(["a", "a", "b"])["score"][0]
    3
    """
    rows: Counter[str] = Counter()
    names: dict[str, set[str]] = {p: set() for p in PARTS}
    for v in vendors:
        part = agora_part(v, score_share)
        rows[part] += 1
        names[part].add(vendor_key(v))
    return {p: (rows[p], len(names[p])) for p in PARTS}
