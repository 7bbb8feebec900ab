"""Find amounts and dose strengths in listing text: a pure function, no spaCy, no I/O.

Amounts are normalised to the canonical units of :mod:`extract.lexicons.units`. A dose unit
(mg, ug, mg/ml) beside a count or a volume on the same line is that count's *strength*, not an
amount: "Tramadol 50 mg x 100" is 100 pills of 50 mg. A dose with nothing to qualify stays an
amount ("500mg DMT"). "N x <mass>" multiplies out ("2 x 3.5g" is 7 g).

>>> [q.to_dict() for q in parse_quantities("Tramadol 50 mg x 100")]
[{'value': 100, 'unit': 'pill', 'strength': {'value': 50, 'unit': 'mg'}, 'span': [9, 20]}]
>>> [(q.value, q.unit) for q in parse_quantities("1/4 pound, a QP or 10 gr")]
[(0.25, 'lb'), (0.25, 'lb'), (10.0, 'g')]
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from extract.lexicons.units import FRACTIONS, NAMED_AMOUNTS, UNIT_ALIASES, UNIT_KIND
from extract.parsers.lines import NumeralLines
from extract.parsers.needles import Needles
from extract.parsers.spans import SpanSet

__all__ = ["Quantity", "parse_quantities", "parse_number", "NUMBER"]

#: A number as listings write it: "1,000", "3.5", "3,5", ".5", "1/4", "½", "1½".
NUMBER = (
    r"(?:[1-9][ \t]*/[ \t]*(?:2|3|4|8|16)(?!\d)"
    r"|\d*[½¼¾⅛⅓⅔]"
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?"
    r"|\d+(?:[.,]\d+)?"
    r"|[.,]\d+)"
)
_BEFORE = r"(?<![\w.,/])"  # not glued to a word or another number ("M30", "10/325")


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


#: Every unit starts with a letter (a test holds the table to it), so the look-ahead after the number
#: only stops early what the units would refuse: without it, each shorter number that "63034" backs
#: off to ("6303", "630"...) tried every unit in turn.
_UNIT_RE = re.compile(
    _BEFORE + r"(?P<num>" + NUMBER + r")(?=[ \t]*[^\W\d_])[ \t]*(?P<unit>" + _alternation(UNIT_ALIASES) + r")(?![^\W\d_])",
    re.IGNORECASE,
)
_NAMED_RE = re.compile(
    r"(?<![\w.,/])(?:(?P<num>" + NUMBER + r")[ \t]*)?(?P<name>" + _alternation(NAMED_AMOUNTS) + r")(?![^\W\d_])",
    re.IGNORECASE,
)
#: Every match of ``_NAMED_RE`` holds one of these (see :mod:`extract.parsers.needles`); a test holds
#: every name of the table to it, so a new named amount cannot be skipped.
_NAMED_NEEDLES = Needles("8 b", "8b", "8th", "ght", "half", "qp", "quarter", "z")
_MULT_AFTER_RE = re.compile(_BEFORE + r"(?P<num>\d+)[ \t]*[x×](?![^\W\d_])", re.IGNORECASE)
_MULT_BEFORE_RE = re.compile(r"(?<![^\W\d_])[x×][ \t]*(?P<num>\d+)(?![\w.,])", re.IGNORECASE)


def parse_number(text: str) -> float | None:
    """Value of a number written as in :data:`NUMBER`; None when it is not one.

    >>> parse_number("1,000"), parse_number("3,5"), parse_number("1/4"), parse_number("1½")
    (1000.0, 3.5, 0.25, 1.5)
    """
    text = text.strip()
    try:
        if "/" in text:
            num, den = (float(p) for p in text.split("/"))
            return num / den if den else None
        if text and text[-1] in FRACTIONS:
            return (float(text[:-1]) if text[:-1] else 0.0) + FRACTIONS[text[-1]]
        if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", text):
            return float(text.replace(",", ""))
        return float(text.replace(",", "."))
    except ValueError:
        return None


@dataclass(frozen=True)
class Quantity:
    """An amount with its canonical unit, optional strength, and character span."""

    value: float
    unit: str
    start: int
    end: int
    strength: tuple[float, str] | None = None

    def to_dict(self) -> dict[str, Any]:
        strength = None
        if self.strength:
            strength = {"value": _plain(self.strength[0]), "unit": self.strength[1]}
        return {"value": _plain(self.value), "unit": self.unit, "strength": strength, "span": [self.start, self.end]}


@dataclass
class _Measure:
    value: float
    unit: str
    start: int
    end: int
    multiplier: bool = False  # came from "100x" / "x 100"

    @property
    def kind(self) -> str | None:
        return UNIT_KIND.get(self.unit)


def _plain(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 6)


def _measures(text: str, numerals: NumeralLines) -> list[_Measure]:
    """Every measure, in order. Each pass finds spans that do not overlap one another (``finditer``)
    and keeps those that overlap no span of an earlier pass."""
    found: list[_Measure] = []
    taken = SpanSet()
    new: list[tuple[int, int]] = []
    for m in _NAMED_RE.finditer(text) if _NAMED_NEEDLES(text) else ():
        value, unit = NAMED_AMOUNTS[m.group("name").lower()]
        times = parse_number(m.group("num")) if m.group("num") else 1.0
        if times:
            found.append(_Measure(times * value, unit, m.start(), m.end()))
            new.append(m.span())
    taken.merge(new)
    new = []
    for m in numerals.finditer(_UNIT_RE):  # a number and its unit stand on one line
        if taken.overlaps(m.start(), m.end()):
            continue
        value = parse_number(m.group("num"))
        unit = UNIT_ALIASES[re.sub(r"[ \t]+", " ", m.group("unit").lower())]
        if value is not None and value > 0:
            found.append(_Measure(value, unit, m.start(), m.end()))
            new.append(m.span())
    taken.merge(new)
    # "x 100" before "100x", so that "Oxy 30 x 100" is 100 pills; neither may reuse a number or an "x"
    for regex in (_MULT_BEFORE_RE, _MULT_AFTER_RE):
        new = []
        for m in numerals.finditer(regex):
            if taken.overlaps(m.start(), m.end()):
                continue
            value = float(m.group("num"))
            if value > 0:
                found.append(_Measure(value, "pill", m.start(), m.end(), multiplier=True))
                new.append(m.span())
        taken.merge(new)
    return sorted(found, key=lambda x: x.start)


def _gap(a: _Measure, b: _Measure) -> int:
    return max(b.start - a.end, a.start - b.end, 0)


def _same_line(text: str, a: _Measure, b: _Measure) -> bool:
    lo, hi = min(a.start, b.start), max(a.end, b.end)
    return "\n" not in text[lo:hi]


def _strength_for(text: str, measures: list[_Measure], i: int, wanted: tuple[str, ...], window: int) -> int | None:
    """Index of the nearest measure of a ``wanted`` kind on the same line as ``measures[i]`` and
    at most ``window`` characters away (the earlier one on a tie). Measures do not overlap and are
    sorted, so only neighbours within the window are looked at."""
    m = measures[i]
    best: tuple[int, int] | None = None
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(measures) and _gap(m, measures[j]) <= window:
            s = measures[j]
            if s.kind in wanted and _same_line(text, m, s) and (best is None or (_gap(m, s), j) < best):
                best = (_gap(m, s), j)
            j += step
    return None if best is None else best[1]


def parse_quantities(text: str, *, pair_window: int = 40, numerals: NumeralLines | None = None) -> list[Quantity]:
    """Every amount in ``text``, in order, with dose strengths attached to the counts they qualify.

    ``pair_window`` is the largest gap in characters between a count (or volume) and the
    strength that qualifies it; both must stand on the same line. ``numerals`` are the lines of
    ``text`` that hold a numeral when the caller has them already (a Doc's components share them).

    >>> [q.to_dict()["strength"] for q in parse_quantities("10x Blue Dolphins 150ug")]
    [{'value': 150, 'unit': 'ug'}]
    >>> [(q.value, q.unit) for q in parse_quantities("2 x 3.5g of buds")]
    [(7.0, 'g')]
    """
    measures = _measures(text, numerals or NumeralLines(text))
    used: set[int] = set()
    out: list[Quantity] = []
    for i, m in enumerate(measures):
        if m.kind not in ("count", "volume"):
            continue
        # "2 x 3.5g": a bare multiplier right before a mass multiplies it out
        if m.multiplier and i + 1 < len(measures):
            nxt = measures[i + 1]
            if nxt.kind == "mass" and m.end <= nxt.start and text[m.end:nxt.start].strip() in ("", "of"):
                used.update((i, i + 1))
                out.append(Quantity(m.value * nxt.value, nxt.unit, m.start, nxt.end))
                continue
        wanted = ("dose",) if m.kind == "count" else ("concentration",)
        best = _strength_for(text, measures, i, wanted, pair_window)
        if best is None:
            out.append(Quantity(m.value, m.unit, m.start, m.end))
        else:
            s = measures[best]
            used.update((i, best))
            # the span takes in the strength only when nothing stands between them
            between = abs(best - i) > 1
            start, end = (m.start, m.end) if between else (min(m.start, s.start), max(m.end, s.end))
            out.append(Quantity(m.value, m.unit, start, end, (s.value, s.unit)))
        used.add(i)
    for i, m in enumerate(measures):
        if i not in used:
            out.append(Quantity(m.value, m.unit, m.start, m.end))
    # a strength shared by two counts ("2mg: 10 pills, 50 pills") keeps both; drop exact repeats
    unique = {(q.start, q.end, q.value, q.unit): q for q in out}
    return sorted(unique.values(), key=lambda q: (q.start, q.end))
