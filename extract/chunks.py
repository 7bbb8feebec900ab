"""Texts longer than spaCy's ``nlp.max_length``, analysed in pieces with their offsets kept.

spaCy refuses a text over ``nlp.max_length`` characters (1,000,000 by default). A longer text is
cut into pieces at most that long (after a blank line, else a line break, else a blank, else
anywhere), each piece runs through the pipeline on its own, and :func:`merge_results` makes one
result of the pieces' results: every ``span`` is moved by its piece's offset, so it indexes the
whole text; list facts (drugs, quantities, keys, addresses, contacts, tiers) are joined in text
order; for a fact a page states once (vendor, price, origin, destinations, escrow, finalize
early) the first piece that has it labelled wins, else the first piece that has it at all.

>>> split_text("aaaa\\n\\nbbbb\\ncccc", 8)
[(0, 'aaaa\\n\\n'), (6, 'bbbb\\n'), (11, 'cccc')]
>>> part = {"vendor": "bob", "spans": {"vendor": [2, 5]}, "drugs": [{"name": "x", "span": [0, 1]}]}
>>> merged = merge_results([(0, {"vendor": None, "spans": {"vendor": None}, "drugs": []}, {}), (100, part, {})])
>>> merged["vendor"], merged["spans"]["vendor"], merged["drugs"][0]["span"]
('bob', [102, 105], [100, 101])
"""
from __future__ import annotations

import copy
from typing import Any

__all__ = ["split_text", "shift_spans", "merge_results", "SINGLE_FACTS"]

#: Facts a page states once: result keys, the key of their span in ``spans`` and ``details``, and
#: the Doc attribute whose ``source`` says whether a labelled field gave them.
SINGLE_FACTS = {
    "vendor": (("vendor",), ("vendor",), "vendor"),
    "price": (("price",), ("per_unit", "usd_rate"), "price"),
    "ships_from": (("ships_from",), (), "ships_from"),
    "ships_to": (("ships_to",), (), "ships_to"),
    "escrow": (("escrow",), ("escrow",), "escrow"),
    "finalize_early": ((), ("finalize_early",), "finalize_early"),
}
_LIST_FACTS = ("drugs", "quantities", "price_tiers", "pgp_keys", "crypto_addresses", "contacts")
_LIST_DETAILS = ("price_tiers", "shipping_methods", "crypto_addresses", "pgp_keys")


def split_text(text: str, max_chars: int) -> list[tuple[int, str]]:
    """``(offset, piece)`` pairs covering ``text`` in order, each piece at most ``max_chars`` long."""
    if max_chars < 1:
        raise ValueError("max_chars must be at least 1")
    pieces = []
    start = 0
    while len(text) - start > max_chars:
        limit, floor = start + max_chars, start + max_chars // 2
        cut = text.rfind("\n\n", floor, limit - 1)
        if cut >= 0:
            cut += 2
        else:
            cut = text.rfind("\n", floor, limit)
            cut = cut + 1 if cut >= 0 else max(text.rfind(" ", floor, limit), text.rfind("\t", floor, limit)) + 1
        if cut <= start:
            cut = limit
        pieces.append((start, text[start:cut]))
        start = cut
    pieces.append((start, text[start:]))
    return pieces


def shift_spans(value: Any, offset: int) -> Any:
    """A deep copy of a result (or part of one) with every span moved by ``offset``: the values of
    ``"span"`` keys, the items of ``"spans"`` lists and the values of ``"spans"`` dicts.

    >>> shift_spans({"span": [1, 2], "spans": {"a": [3, 4], "b": None}, "x": [{"spans": [[5, 6]]}]}, 10)
    {'span': [11, 12], 'spans': {'a': [13, 14], 'b': None}, 'x': [{'spans': [[15, 16]]}]}
    """
    value = copy.deepcopy(value)
    if offset:
        _shift(value, offset)
    return value


def _moved(span: Any, offset: int) -> Any:
    return [span[0] + offset, span[1] + offset] if isinstance(span, (list, tuple)) and len(span) == 2 else span


def _shift(value: Any, offset: int) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "span":
                value[key] = _moved(item, offset)
            elif key == "spans" and isinstance(item, dict):
                value[key] = {k: _moved(v, offset) for k, v in item.items()}
            elif key == "spans" and isinstance(item, list):
                value[key] = [_moved(v, offset) for v in item]
            else:
                _shift(item, offset)
    elif isinstance(value, list):
        for item in value:
            _shift(item, offset)


def merge_results(parts: list[tuple[int, dict[str, Any], dict[str, str | None]]]) -> dict[str, Any]:
    """One result from ``(offset, result, sources)`` per piece, in text order; ``sources`` maps a
    :data:`SINGLE_FACTS` key to where that piece found it (``"label"``, ``"text"``...)."""
    shifted = [(shift_spans(result, offset), sources) for offset, result, sources in parts]
    merged = copy.deepcopy(shifted[0][0])
    for key in _LIST_FACTS:
        if key in merged:
            merged[key] = [item for result, _ in shifted for item in result.get(key) or []]
    if merged.get("contacts"):
        seen: set[tuple[str, str]] = set()
        merged["contacts"] = [c for c in merged["contacts"]
                              if (c["kind"], c["value"].lower()) not in seen and not seen.add((c["kind"], c["value"].lower()))]
    details = merged.get("details")
    if isinstance(details, dict):
        for key in _LIST_DETAILS:
            details[key] = [item for result, _ in shifted for item in (result.get("details") or {}).get(key) or []]
    for key, (span_keys, detail_keys, _) in SINGLE_FACTS.items():
        have = [(result, sources) for result, sources in shifted if _present(result, key)]
        if not have:
            continue
        best = next((r for r, s in have if s.get(key) == "label"), have[0][0])
        if key in merged:
            merged[key] = best[key]
        for span_key in span_keys:
            merged.setdefault("spans", {})[span_key] = (best.get("spans") or {}).get(span_key)
        if isinstance(details, dict):
            for detail_key in detail_keys:
                details[detail_key] = (best.get("details") or {}).get(detail_key)
    return merged


def _present(result: dict[str, Any], key: str) -> bool:
    value = result.get(key)
    return value is not None and value != []
