"""The fast paths of extraction find what the plain searches find: needle pre-checks
(extract.parsers.needles) never skip a text their pattern would match, fast alternations
(extract.parsers.branches) match what the plain ones match, and searching only the lines with a
number (extract.parsers.lines) finds every amount, price and rate."""
from __future__ import annotations

import random
import re
import string
import sys

import pytest

from extract.lexicons.units import NAMED_AMOUNTS
from extract.parsers import contacts, prices, quantities
from extract.parsers.branches import alternation, first_letter_class
from extract.parsers.lines import finditer_numbered_lines
from extract.parsers.needles import Needles


def test_lower_agrees_with_ignorecase_on_every_character_of_a_needle():
    letters = sorted({ch for needles in [quantities._NAMED_NEEDLES, *contacts.MESSENGER_NEEDLES.values()]
                      for needle in needles.needles for ch in needle})
    every = "".join(chr(cp) for cp in range(sys.maxunicode + 1) if not 0xD800 <= cp <= 0xDFFF)
    candidates = re.findall("[" + re.escape("".join(letters)) + "]", every, re.IGNORECASE)
    assert len(candidates) >= len(letters)
    for ch in candidates:
        for letter in letters:
            if re.fullmatch(re.escape(letter), ch, re.IGNORECASE):
                assert ch.lower() == letter, (hex(ord(ch)), letter)


def test_needles_refuse_letters_that_lower_disagrees_on():
    for bad in ("is", "S", "ſ", ""):
        with pytest.raises(ValueError):
            Needles(bad)


def test_every_named_amount_holds_a_needle():
    for name in NAMED_AMOUNTS:
        assert quantities._NAMED_NEEDLES(name), name
        assert quantities._NAMED_NEEDLES(name.upper()), name


@pytest.mark.parametrize("kind, text", [
    ("wickr", "WICKR: shop1"), ("wickr", "wikr me - shop1"), ("telegram", "TG: @shop_one"),
    ("telegram", "t.me/shop_one"), ("telegram", "Telegram.me/shop_one"), ("threema", "THREEMA ID ABCD1234"),
    ("signal", "SIGNAL: +44 7700 900123"),
])
def test_every_messenger_match_holds_its_needle(kind, text):
    assert contacts.MESSENGER_NEEDLES[kind](text)
    assert [c.kind for c in contacts.find_contacts(text)] == [kind]


def test_a_page_without_needles_is_not_searched_and_finds_nothing():
    assert quantities.parse_quantities("stealth shipping, fast reply") == []
    assert contacts.find_contacts("stealth shipping, fast reply") == []


def test_first_letter_classes_match_what_ignorecase_matches():
    """extract.parsers.branches: each ASCII letter's or digit's case-sensitive class is exactly
    the set of characters ``re.IGNORECASE`` matches to it, over every Unicode character."""
    every = "".join(chr(cp) for cp in range(sys.maxunicode + 1) if not 0xD800 <= cp <= 0xDFFF)
    for ch in string.ascii_lowercase + string.digits:
        ignorecase = set(re.findall(re.escape(ch), every, re.IGNORECASE))
        exact = set(re.findall(first_letter_class(ch), every))
        assert ignorecase == exact, ch
        assert set(re.findall(first_letter_class(ch.upper()), every, re.IGNORECASE)) == ignorecase, ch


def test_alternation_keeps_the_winning_alternative_and_span():
    alternatives = ["fe", "fe only", "escrow", "express(?:[ \t]+mail)?", "ems", "1st[ \t]+class", "a?b", "x"]
    plain = re.compile(r"(?<![\w])(?:" + "|".join(f"{a}(?P<g{i}>)" for i, a in enumerate(alternatives)) + r")(?![\w])",
                       re.IGNORECASE)
    fast = re.compile(r"(?<![\w])" + alternation([f"{a}(?P<g{i}>)" for i, a in enumerate(alternatives)]) + r"(?![\w])",
                      re.IGNORECASE)
    text = "FE only, Fe, fe ONLY; ESCROW ſcrow ESCROW Express  mail, EMS 1ST class ab b X xx İ ı"
    assert [(m.span(), m.lastgroup) for m in fast.finditer(text)] == [(m.span(), m.lastgroup) for m in plain.finditer(text)]


_PIECES = ["1", "10", "3.5", "1,000", "½", "1/4", "٣", " ", "\t", "\n", "\r\n", "$", "€", "BTC", "btc", "USD", "EU", "eur",
           "g", "mg", "x", "×", "oz", "/", ".", ",", "=", "ships", "USD/BTC", "1 BTC = ", "a"]


@pytest.mark.parametrize("pattern", [prices._MONEY_RE, prices._RATE_PAIR_RE, quantities._UNIT_RE,
                                     quantities._MULT_BEFORE_RE, quantities._MULT_AFTER_RE])
def test_numbered_lines_find_every_match(pattern):
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 30)))
        expected = [(m.span(), m.groupdict()) for m in pattern.finditer(text)]
        assert [(m.span(), m.groupdict()) for m in finditer_numbered_lines(pattern, text)] == expected, repr(text)
