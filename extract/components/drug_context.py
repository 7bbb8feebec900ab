"""A drug named by its context: rules for a line that names no substance of the lexicon.

Pure functions over text, no spaCy: :class:`ContextRules` takes the tables of
:mod:`extract.lexicons.drug_contexts` and :meth:`ContextRules.infer` returns, for one line, the rule
that fired and the character span of its cue, or ``None``. The drug component calls it on every
line where it found no drug (``how="inferred"``). Rules, tried in this order:

- ``blotter`` (LSD): a microgram dose (10-999 ug) with a blotter form ("tabs", "hits", "blotters")
  or a count ("10x", "x10"); or a count of hits/blotters/sheets ("10 Hits of Fluff"); or a blotter
  print ("Fat Freddy's") with a tab/hit word;
- ``pill_press`` (MDMA): a pill stamp with a count, a pill word or an MDMA-sized dose ("500 Purple
  Doraemon", "Tesla pills"); a dose marked as ecstasy vendors mark it ("210mg+", "200-220mg") with a
  pill word or a count; a count first and an MDMA-sized dose after it ("10 X PURPLE BOLTS 125MG");
- ``steroid``: a concentration of an injectable ("250 mg/ml", at least 75 mg per ml; "300mg/10ml"
  is 300 mg/ml in a 10 ml vial)
  or a steroid word ("vials", "cycle") with a mg dose;
- ``cannabis``: a weight ("3.5g", "1/2 oz", "QP") with a grower's word ("greenhouse", "strain",
  "AAA+", "hash") or a strain-shaped name ("Larry OG", "Purp Dream").

>>> rules = ContextRules.default()
>>> rules.infer("10x Fat Freddy's 200ug")[0]
'blotter'
>>> rules.infer("25x Blue Punisher 240mg")[0]
'pill_press'
>>> rules.infer("7g Larry OG greenhouse")[0]
'cannabis'
>>> rules.infer("Leather wallet 10x12cm") is None
True
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from extract.lexicons import drug_contexts as tables
from extract.parsers.branches import alternation, by_first_letter
from extract.parsers.needles import FoldedNeedles

__all__ = ["ContextRules"]

# Digits and blanks are taken whole (``++``, ``*+``): a number then a run of blanks never backtracks
# through every split of the two (a line of 500k digits and 500k blanks would take hours).
_NUM = r"(?<![\w.,])\d++(?:[.,]\d++)?"


def _alternatives(terms: Iterable[str]) -> list[str]:
    """Words/phrases as patterns, longest first, spaces matching any run of blanks."""
    return sorted({re.escape(t).replace(r"\ ", r"[\s\-]+") for t in terms}, key=len, reverse=True)


def _words(terms: Iterable[str]) -> str:
    """One alternation of whole words/phrases (grouped by first letter: every line of a page is
    searched for several lists of names)."""
    return r"(?<![\w])" + by_first_letter(_alternatives(terms)) + r"(?![\w+])"


#: Every count, dose and concentration pattern of the rules holds a digit: a line without one skips them.
_DIGIT = re.compile(r"\d")


def _has_digit(line: str) -> bool:
    """Whether ``line`` holds a digit (``\\d``). An ASCII line's digits are 0-9, and ten substring
    tests pass over a long description many times faster than a regular expression does.

    >>> _has_digit("ships in 2 days"), _has_digit("no digit here"), _has_digit("٣ tabs")
    (True, False, True)
    """
    if line.isascii():
        return any(digit in line for digit in "0123456789")
    return _DIGIT.search(line) is not None


def _find(pattern: re.Pattern[str], line: str) -> tuple[int, int] | None:
    m = pattern.search(line)
    return m.span() if m else None


@dataclass(frozen=True)
class ContextRules:
    """Compiled context rules; build with :meth:`default` or from your own tables."""

    press: re.Pattern[str]
    press_common: re.Pattern[str]
    pill_word: re.Pattern[str]
    blotter_name: re.Pattern[str]
    cannabis_cue: re.Pattern[str]
    strain: re.Pattern[str]
    weight: re.Pattern[str]
    steroid_cue: re.Pattern[str]
    #: What every rule needs somewhere in a line to fire (each rule returns the span of one of
    #: these): a number with a dose or weight unit, a stamp name, a weight word or a blotter form.
    #: Most lines (a price, a handle, a shipping field) hold none, and one search passes over such a
    #: line where the rules took a dozen. It is written wider than the rules (one list of words
    #: ending at any non-word character), so it only ever lets more lines through.
    cue: re.Pattern[str]
    mdma_mg: tuple[int, int] = tables.MDMA_DOSE_MG

    _COUNT = re.compile(r"(?<![\w.,])\d+\s*[x×](?![\w])|(?<![\w])[x×]\s*\d+(?![\w.,])", re.IGNORECASE)
    _LEADING_COUNT = re.compile(r"^\W*+\d++\s*+(?:[x×]\s*)?(?=[a-z\"'*(])(?!(?:mgs?|ug|mcg|µg|ml|g|gr|grams?|oz|lbs?|kg)\b)",
                                re.IGNORECASE)
    _MG = re.compile(_NUM + r"\s*(?:\+\s*)?mgs?\b(\s*\+)?", re.IGNORECASE)
    _MARKED_MG = re.compile(r"(?<![\w.,])(\d{2,3})\s*(?:\+\s*mgs?\b|mgs?\s*\+|[-–]\s*\d{2,3}\s*mgs?\b)", re.IGNORECASE)
    _UG = re.compile(r"(?<![\w.,])\d{2,3}(?:[.,]\d++)?\s*+(?:ug|µg|μg|mcg)\b(?!\s*/\s*h)", re.IGNORECASE)
    _BLOTTER_FORMS = (r"hits?", r"blotters?", r"tabs?", r"drops?", r"candy", r"candies", r"sheets?", r"squares?",
                      r"gel\s*tabs?", r"microdots?")
    _BLOTTER_FORM = re.compile(r"(?<![\w])" + alternation(_BLOTTER_FORMS) + r"(?![\w])", re.IGNORECASE)
    #: Every match of ``_BLOTTER_FORM`` holds one of these (a test holds each form to it): a
    #: description with none is not searched for the forms, which took most of this rule's time.
    _BLOTTER_FORM_NEEDLES = FoldedNeedles("hit", "blotter", "tab", "drop", "cand", "sheet", "square", "microdot")
    _HIT_COUNT = re.compile(r"(?<![\w.,])\d++\s*+(?:x\s*+)?(?:hits|blotters|sheets)\b", re.IGNORECASE)
    _CONCENTRATION = re.compile(r"(?<![\w.,])(\d{2,4})\s*+(?:mg\s*+)?/\s*+(\d{0,2})\s*+ml\b", re.IGNORECASE)

    @classmethod
    def default(cls) -> "ContextRules":
        """Rules over the built-in tables of :mod:`extract.lexicons.drug_contexts`."""
        return cls.from_tables(tables.PRESS_NAMES, tables.PRESS_NAMES_COMMON, tables.PILL_WORDS,
                               tables.BLOTTER_NAMES, tables.CANNABIS_CUES, tables.STRAIN_SUFFIXES,
                               tables.CANNABIS_WEIGHTS, tables.WEIGHT_UNITS, tables.STEROID_CUES)

    @classmethod
    def from_tables(cls, press: Iterable[str], press_common: Iterable[str], pill_words: Iterable[str],
                    blotter_names: Iterable[str], cannabis_cues: Iterable[str], strain_suffixes: Iterable[str],
                    weights: Iterable[str], weight_units: Iterable[str], steroid_cues: Iterable[str]) -> "ContextRules":
        press, press_common, weights = tuple(press), tuple(press_common), tuple(weights)  # each is read twice
        units = "|".join(sorted(map(re.escape, weight_units), key=len, reverse=True))
        number = r"(?<![\w.,])(?:\d++/\d++|\d++(?:[.,]\d++)?)(?:st|nd|rd|th)?"
        weighed = rf"{number}\s*(?:{units})(?![a-z])"
        weight = rf"{weighed}|{_words(weights)}"
        doses = "|".join(p.pattern for p in (cls._UG, cls._HIT_COUNT, cls._MG, cls._MARKED_MG, cls._CONCENTRATION))
        cue_words = by_first_letter([*_alternatives([*press, *press_common, *weights]), *cls._BLOTTER_FORMS])
        suffixes = "|".join(map(re.escape, strain_suffixes))
        return cls(
            press=re.compile(_words(press), re.IGNORECASE),
            press_common=re.compile(_words(press_common), re.IGNORECASE),
            pill_word=re.compile(_words(pill_words), re.IGNORECASE),
            blotter_name=re.compile(_words(blotter_names), re.IGNORECASE),
            cannabis_cue=re.compile(_words(cannabis_cues), re.IGNORECASE),
            strain=re.compile(rf"\b[A-Z][A-Za-z'’]+\s+(?i:{suffixes})\b"),
            weight=re.compile(weight, re.IGNORECASE),
            steroid_cue=re.compile(_words(steroid_cues), re.IGNORECASE),
            # every dose and weighed amount starts with a digit: one look-ahead passes over the rest
            cue=re.compile(rf"(?=\d)(?:{doses}|{weighed})|(?<![\w]){cue_words}(?![\w])", re.IGNORECASE),
        )

    def _mdma_dose(self, line: str) -> tuple[int, int] | None:
        low, high = self.mdma_mg
        for m in self._MG.finditer(line):
            value = float(re.match(r"\d+(?:[.,]\d+)?", m.group()).group().replace(",", "."))
            if low <= value <= high:
                return m.span()
        return None

    def blotter(self, line: str) -> tuple[int, int] | None:
        if _has_digit(line):
            dose = _find(self._UG, line)
            if dose and (self._BLOTTER_FORM.search(line) or self._COUNT.search(line) or self._LEADING_COUNT.search(line)):
                return dose
            hits = _find(self._HIT_COUNT, line)
            if hits:
                return hits
        # the shorter search first: most lines have no blotter word
        if self._BLOTTER_FORM_NEEDLES(line) and self._BLOTTER_FORM.search(line):
            return _find(self.blotter_name, line)
        return None

    def _counted(self, line: str) -> bool:
        return bool(self._COUNT.search(line) or self._LEADING_COUNT.search(line))

    def pill_press(self, line: str) -> tuple[int, int] | None:
        # a count or a pill word is looked for only once a stamp or a marked dose asks for it
        digits = _has_digit(line)
        dose = self._mdma_dose(line) if digits else None
        name = _find(self.press, line)
        if name and (dose or (digits and self._counted(line)) or self.pill_word.search(line)):
            return name
        name = _find(self.press_common, line)
        if name and (dose or self.pill_word.search(line)):
            return name
        if not digits:
            return None
        marked = self._MARKED_MG.search(line)
        if (marked and self.mdma_mg[0] <= int(marked.group(1)) <= self.mdma_mg[1]
                and (self.pill_word.search(line) or self._counted(line))):
            return marked.span()
        if dose and self._LEADING_COUNT.search(line):
            return dose
        return None

    def steroid(self, line: str) -> tuple[int, int] | None:
        if not _has_digit(line):
            return None
        for m in self._CONCENTRATION.finditer(line):
            # "250mg/ml"; "300mg/10ml" is how vendors write 300 mg/ml in a 10 ml vial
            per_ml = int(m.group(1)) / (int(m.group(2)) if m.group(2) in ("1", "01") else 1)
            if per_ml >= 75:
                return m.span()
        if self._MG.search(line):
            return _find(self.steroid_cue, line)
        return None

    def cannabis(self, line: str) -> tuple[int, int] | None:
        if not self.weight.search(line):
            return None
        return _find(self.cannabis_cue, line) or _find(self.strain, line)

    def infer(self, line: str, *, lsd_only: bool = False) -> tuple[str, int, int] | None:
        """``(rule, start, end)`` for the first rule that names a drug class in ``line``, else None;
        with ``lsd_only`` only the blotter rule is tried."""
        if not lsd_only and not self.cue.search(line):
            return None  # no rule can fire (see ``cue``)
        for rule in (self.blotter,) if lsd_only else (self.blotter, self.pill_press, self.steroid, self.cannabis):
            span = rule(line)
            if span:
                return rule.__name__, span[0], span[1]
        return None
