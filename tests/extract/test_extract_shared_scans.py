"""The shared scans and early exits of the drug, quantity and price searches find what the plain
searches find: a Doc's numeral lines (extract.parsers.lines.NumeralLines), first-letter groups
(extract.parsers.branches.by_first_letter), folded needles (extract.parsers.needles), the drug
context rules' cue (extract.components.drug_context) and the look-ahead of the unit pattern."""
from __future__ import annotations

import random
import re
import string
import sys

import pytest

from extract.components.drug_context import ContextRules
from extract.lexicons.units import UNIT_ALIASES
from extract.parsers import prices, quantities
from extract.parsers.branches import alternation, by_first_letter
from extract.parsers.lines import NumeralLines, finditer_numbered_lines
from extract.parsers.needles import FoldedNeedles, fold_case

_PIECES = ["1", "10", "3.5", "1,000", "½", "1/4", "٣", " ", "\t", "\n", "\r\n", "$", "€", "BTC", "btc", "USD", "EU", "eur",
           "g", "mg", "x", "×", "oz", "/", ".", ",", "=", ":", "|", "ships", "USD/BTC", "1 BTC = ", "1.0", "a", "ml", "ug"]


def _texts(pieces: list[str], count: int, seed: int = 7):
    rng = random.Random(seed)
    for _ in range(count):
        yield "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))


def test_fold_case_lowers_every_character_ignorecase_matches_to_an_ascii_letter_or_digit():
    every = "".join(chr(cp) for cp in range(sys.maxunicode + 1) if not 0xD800 <= cp <= 0xDFFF)
    for letter in string.ascii_lowercase + string.digits:
        for ch in set(re.findall(re.escape(letter), every, re.IGNORECASE)):
            assert fold_case(ch) == letter, (hex(ord(ch)), letter)
            assert fold_case(f"x{ch}y") == f"x{letter}y", (hex(ord(ch)), letter)


def test_folded_needles_take_i_and_s_and_refuse_other_characters():
    assert FoldedNeedles("hit")("10 HİTS") and FoldedNeedles("sheet")("ſHEET")
    for bad in ("", "Hit", "gel tab", "µg"):
        with pytest.raises(ValueError):
            FoldedNeedles(bad)


@pytest.mark.parametrize("form", ["hit", "hits", "blotter", "blotters", "tab", "tabs", "drop", "drops", "candy", "candies",
                                  "sheet", "sheets", "square", "squares", "gel tabs", "geltab", "microdot", "microdots"])
def test_every_blotter_form_holds_a_needle(form):
    for written in (form, form.upper(), form.title(), form.replace("i", "İ").replace("s", "ſ")):
        assert ContextRules._BLOTTER_FORM.search(f"10 {written} 100ug"), written
        assert ContextRules._BLOTTER_FORM_NEEDLES(written), written


def test_by_first_letter_keeps_the_winning_alternative_and_span():
    words = ["fe", "fe only", "escrow", "express", "ems", "1st class", "Kilo", "kilo pack", "stamp", "i", "ice"]
    alternatives = [f"{re.escape(w)}(?P<g{i}>)" for i, w in enumerate(words)]
    plain = re.compile(r"(?<![\w])" + alternation(alternatives) + r"(?![\w])", re.IGNORECASE)
    grouped = re.compile(r"(?<![\w])" + by_first_letter(alternatives) + r"(?![\w])", re.IGNORECASE)
    assert grouped.pattern != plain.pattern
    pieces = [*words, " ", "-", "X", "ONLY", "İ", "ı", "ſ", "K", "\u212a", "pack", "CE"]
    for text in _texts(pieces, 3000):
        assert [(m.span(), m.lastgroup) for m in grouped.finditer(text)] == \
            [(m.span(), m.lastgroup) for m in plain.finditer(text)], repr(text)


def test_every_unit_starts_with_a_letter():
    """The look-ahead after the number in quantities._UNIT_RE takes this for granted."""
    for unit in UNIT_ALIASES:
        assert re.match(r"[^\W\d_]", unit), unit


def test_the_unit_look_ahead_changes_no_match():
    plain = re.compile(quantities._UNIT_RE.pattern.replace(r"(?=[ \t]*[^\W\d_])", ""), re.IGNORECASE)
    assert plain.pattern != quantities._UNIT_RE.pattern
    for text in _texts(_PIECES + ["mg / ml", "grams", "μg", "шт", "pills", "63034"], 3000):
        assert [(m.span(), m.groupdict()) for m in quantities._UNIT_RE.finditer(text)] == \
            [(m.span(), m.groupdict()) for m in plain.finditer(text)], repr(text)


def test_the_amount_look_ahead_changes_no_match():
    plain = re.compile(prices._MONEY_RE.pattern.replace(r"(?=[\d.])", ""))
    assert plain.pattern != prices._MONEY_RE.pattern
    for text in _texts(_PIECES + [".5", "1.234,50", "1 234,56", "$", "US$", "EUR", "euros", "mBTC", "฿"], 3000):
        assert [(m.span(), m.groupdict()) for m in prices._MONEY_RE.finditer(text)] == \
            [(m.span(), m.groupdict()) for m in plain.finditer(text)], repr(text)


@pytest.mark.parametrize("pattern", [prices._MONEY_RE, prices._RATE_PAIR_RE, prices._TABLE_ROW_RE, quantities._UNIT_RE,
                                     quantities._MULT_BEFORE_RE, quantities._MULT_AFTER_RE])
def test_numeral_lines_find_every_match(pattern):
    for text in _texts(_PIECES, 3000):
        expected = [(m.span(), m.groupdict()) for m in pattern.finditer(text)]
        assert [(m.span(), m.groupdict()) for m in NumeralLines(text).finditer(pattern)] == expected, repr(text)
        assert [(m.span(), m.groupdict()) for m in finditer_numbered_lines(pattern, text)] == expected, repr(text)


def test_rates_from_the_numeral_lines_are_every_rate():
    """find_rates searches "1 BTC = $X" only on the lines that hold a numeral."""
    for text in _texts(_PIECES + ["฿", "XMR", "≈", "~"], 3000):
        starts = {m.start for m in prices.find_money(text)}
        expected = [m.span() for m in prices._RATE_EQ_RE.finditer(text) if m.end() in starts]
        assert [m.span() for m in NumeralLines(text).finditer(prices._RATE_EQ_RE) if m.end() in starts] == expected, repr(text)


_LINE_PIECES = ["10", "150", "250", "3.5", "1/2", " ", "  ", "-", "x", "X ", "+", "/", "mg", "MG", "ug", "µg", "ml", "g",
                "oz", "hits", "tabs", "Blotters", "sheets", "pills", "vials", "Fat Freddy's", "Tesla", "Punisher",
                "Larry", "OG", "kush", "indoor", "QP", "zip", "half ounce", "cycle", "shipping", "price", "$50",
                "250mg/ml", "300mg/10ml", "amps"]


def test_the_cue_passes_every_line_a_rule_fires_on():
    rules = ContextRules.default()
    rng = random.Random(11)
    fired: dict[str, int] = {}
    for _ in range(5000):
        line = "".join(rng.choice(_LINE_PIECES) + rng.choice(["", " ", " "]) for _ in range(rng.randint(0, 8)))
        by_rules = next(((rule.__name__, *span) for rule in (rules.blotter, rules.pill_press, rules.steroid, rules.cannabis)
                         if (span := rule(line))), None)
        assert rules.infer(line) == by_rules, repr(line)
        if by_rules:
            fired[by_rules[0]] = fired.get(by_rules[0], 0) + 1
    # the table of pieces reaches every rule often enough to mean something
    assert set(fired) == {"blotter", "pill_press", "steroid", "cannabis"} and min(fired.values()) > 30, fired
