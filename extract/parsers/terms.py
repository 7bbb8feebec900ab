"""Escrow, finalize-early and shipping-method terms: pure functions over page text.

Labelled fields win ("Escrow: Yes", "FE enabled<TAB>No", "FE : Allowed", "Payment : Full Escrow",
"Payment: 7 Days Escrow"); free text ("100% FE", "no FE", "full escrow on all orders") decides a
term only when no field does. Payment values name the terms: "... Escrow" means escrow and no
FE; "FE", "Finalize early" or "Direct" means FE and no escrow. Patterns are in
:mod:`extract.lexicons.terms`.

>>> t = find_terms("Payment :\\tFull Escrow")
>>> t.escrow.value, t.finalize_early.value
(True, False)
>>> t = find_terms("Payment\\tEscrow / FE")
>>> t.escrow.value, t.finalize_early.value
(True, True)
>>> t = find_terms("FE enabled\\tNo\\nWe are 100% FE for trusted buyers")
>>> t.escrow.value, t.finalize_early.value, t.finalize_early.source
(False, False, 'label')
>>> [m.name for m in find_terms("Shipped by USPS Priority Mail with tracking").methods]
['usps', 'priority', 'tracked']
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from extract.lexicons import terms as T
from extract.parsers.branches import alternation, by_first_letter
from extract.parsers.fields import labelled_fields
from extract.parsers.needles import Needles, required_needles

__all__ = ["Term", "Method", "Terms", "find_terms", "yes_no", "lower_agrees"]


@dataclass(frozen=True)
class Term:
    """A yes/no term with the span of the text that decided it and where it came from."""

    value: bool
    start: int
    end: int
    source: str  # "label" or "text"


@dataclass(frozen=True)
class Method:
    name: str
    start: int
    end: int


@dataclass
class Terms:
    escrow: Term | None = None
    finalize_early: Term | None = None
    methods: list[Method] = field(default_factory=list)


def _words(patterns) -> str:
    return "(?:" + "|".join(patterns) + ")"


_YES_RE = re.compile(r"^" + _words(T.YES_WORDS) + r"(?![\w])", re.IGNORECASE)
_NO_RE = re.compile(r"^" + _words(T.NO_WORDS) + r"(?![\w])", re.IGNORECASE)


def yes_no(value: str) -> bool | None:
    """True, False or None for a field value ("Yes", "Not Allowed", "✔", "maybe").

    >>> yes_no("Not Allowed"), yes_no("Allowed"), yes_no("no"), yes_no("depends")
    (False, True, False, None)
    """
    value = value.strip(" \t*:-–.!")
    if _NO_RE.match(value):
        return False
    if _YES_RE.match(value):
        return True
    return None


#: Every free-text phrase names escrow (``escrow``, ``treuhand``), finalizing early (``fe``,
#: ``finali[sz]e``, ``early``, ``direct``) or both; each name it holds has a needle in any text it
#: matches (``escrow`` holds "crow", ``finali[sz]e`` "nal", ``direct`` "rect").
_NAMES = (
    (re.compile(r"(?<![a-z])(?:escrow|treuhand)(?![a-z])"), Needles("crow", "treuhand")),
    (re.compile(r"(?<![a-z])(?:fe|finali|early|direct)(?![a-z])"), Needles("fe", "nal", "early", "rect")),
)


@dataclass(frozen=True)
class _Phrases:
    """One table of free-text phrases: ``pattern`` finds them; ``gates`` tell first whether any phrase
    is there. Each gate is a part of the table (its own pattern) with, for each of its phrases, the
    needles the phrase needs, all of them: the needle of each name it holds, and the literal words
    it cannot match without ("escrow only" needs "crow" and "only", see
    :func:`extract.parsers.needles.required_needles`). A page that names escrow in passing, but in
    none of the table's phrasings, is then not searched at all."""

    pattern: re.Pattern
    gates: tuple[tuple[tuple[tuple[tuple[str, ...], ...], ...], re.Pattern], ...]

    def finditer(self, text: str, low: str, present: dict[str, bool]):
        """``pattern.finditer(text)``, or nothing when no gate passes. ``present`` remembers which
        needles ``low`` holds, across the tables of one text: each is looked for once."""
        def holds(needles: tuple[str, ...]) -> bool:
            for needle in needles:
                found = present.get(needle)
                if found is None:
                    found = present[needle] = needle in low
                if found:
                    return True
            return False

        # the alternation matches somewhere exactly when one of its parts does
        for phrases, part in self.gates:
            if any(all(map(holds, needed)) for needed in phrases) and part.search(text):
                return self.pattern.finditer(text)
        return iter(())


def _phrases(patterns: tuple[str, ...]) -> _Phrases:
    def rx(alternatives) -> re.Pattern:
        return re.compile(r"(?<![\w])" + alternation(alternatives) + r"(?![\w])", re.IGNORECASE)
    parts: dict[tuple[Needles, ...], list[str]] = {}
    for p in patterns:
        needed = tuple(needles for name, needles in _NAMES if name.search(p))
        if not needed:
            raise ValueError(f"free-text term phrase {p!r} names neither escrow nor FE: give it a needle "
                             "in extract.parsers.terms")
        parts.setdefault(needed, []).append(p)
    return _Phrases(rx(patterns), tuple(
        (tuple(tuple(n.needles for n in needed + required_needles(p, re.IGNORECASE)) for p in part), rx(part))
        for needed, part in parts.items()))


@lru_cache(maxsize=1)
def _text_res() -> dict[str, _Phrases]:
    return {"fe_true": _phrases(T.FE_TRUE_TEXT), "fe_false": _phrases(T.FE_FALSE_TEXT),
            "escrow_true": _phrases(T.ESCROW_TRUE_TEXT), "escrow_false": _phrases(T.ESCROW_FALSE_TEXT)}


@lru_cache(maxsize=1)
def _method_re() -> tuple[re.Pattern, re.Pattern | None, dict[str, str]]:
    """The shipping-methods pattern for the text (case-insensitive), the same for the lower-cased text
    (case-sensitive, faster; None if a method's pattern holds an upper-case letter), and the
    method each alternative names."""
    # one alternation, in the table's order, each alternative ending in an empty group that names its
    # method, grouped by first letter so that a word is tried only against the methods starting with
    # its letter (extract.parsers.branches)
    alternatives, names = [], {}
    for name, patterns in T.SHIPPING_METHODS.items():
        for pattern in patterns:
            group = f"m{len(alternatives)}"
            alternatives.append(f"{pattern}(?P<{group}>)")
            names[group] = name
    lowered = None
    if all(p == p.lower() for patterns in T.SHIPPING_METHODS.values() for p in patterns):
        lowered = re.compile(r"(?<![\w])" + by_first_letter(alternatives, ignorecase=False) + r"(?![\w])")
    return re.compile(r"(?<![\w])" + by_first_letter(alternatives) + r"(?![\w])", re.IGNORECASE), lowered, names


def lower_agrees(text: str, low: str) -> bool:
    """Whether a lower-case pattern matched case-sensitively on ``low`` (``text.lower()``) matches
    where and what it matches case-insensitively on ``text``. :meth:`str.lower` and
    ``re.IGNORECASE`` agree on every character but "İ" (two characters once lower-cased), "ı" and
    "ſ" (which match "i" and "s"); lower-casing never changes whether a character is ``\\w``
    (tests check both over every Unicode character).

    >>> lower_agrees("Express DHL", "express dhl"), lower_agrees("ſtealth", "ſtealth")
    (True, False)
    """
    return len(low) == len(text) and "ſ" not in low and "ı" not in low


def _from_text(text: str, low: str, true_phrases: _Phrases, false_phrases: _Phrases,
               present: dict[str, bool]) -> Term | None:
    hits = [(m.start(), m.end(), True) for m in true_phrases.finditer(text, low, present)]
    hits += [(m.start(), m.end(), False) for m in false_phrases.finditer(text, low, present)]
    if not hits:
        return None
    values = {v for _, _, v in hits}
    if len(values) > 1:  # the text says both: leave it undecided
        return None
    start, end, value = min(hits)
    return Term(value, start, end, "text")


def _payment(value: str) -> tuple[bool | None, bool | None]:
    """(escrow, finalize_early) from a payment-terms value."""
    low = value.lower()
    fe = re.search(r"\b(?:fe|finali[sz]e[ \t]+early|direct|early[ \t]+release)\b", low)
    escrow = re.search(r"\bescrow\b", low)
    if escrow and not fe:
        return True, False
    if fe and not escrow:
        return False, True
    if escrow and fe and re.search(r"[/,&+|]|\b(?:or|and)\b", low):  # "Escrow / FE": the buyer chooses
        return True, True
    return None, None


def find_terms(text: str) -> Terms:
    """Escrow, finalize-early and shipping methods named in ``text``."""
    found = Terms()
    for f in labelled_fields(text, T.FE_LABELS, next_line=False):
        value = yes_no(f.value)
        if value is not None:
            found.finalize_early = Term(value, f.start, f.end, "label")
            break
    for f in labelled_fields(text, T.ESCROW_LABELS, next_line=False):
        value = yes_no(f.value)
        if value is not None:
            found.escrow = Term(value, f.start, f.end, "label")
            break
    for f in labelled_fields(text, T.PAYMENT_LABELS, next_line=False):
        escrow, fe = _payment(f.value)
        if escrow is None:
            continue
        if found.escrow is None:
            found.escrow = Term(escrow, f.start, f.end, "label")
        if found.finalize_early is None:
            found.finalize_early = Term(fe, f.start, f.end, "label")
        break
    res = _text_res()
    low = text.lower()
    present: dict[str, bool] = {}
    if found.finalize_early is None:
        found.finalize_early = _from_text(text, low, res["fe_true"], res["fe_false"], present)
    if found.escrow is None:
        found.escrow = _from_text(text, low, res["escrow_true"], res["escrow_false"], present)
    pattern, lowered, names = _method_re()
    seen = set()
    for m in lowered.finditer(low) if lowered and lower_agrees(text, low) else pattern.finditer(text):
        name = names[m.lastgroup]
        if name not in seen:
            seen.add(name)
            found.methods.append(Method(name, m.start(), m.end()))
    return found
