"""More fast paths find what the plain searches find: alternations grouped by first letter
(extract.parsers.branches.by_first_letter), needles read from a pattern's syntax tree
(extract.parsers.needles.required_needles) as the terms phrases use them, the address candidates
(extract.validators.crypto), and components run batch by batch (extract.components._pipe)."""
from __future__ import annotations

import random
import re
import string
import sys

import pytest
import spacy

from extract import load_pipeline
from extract.components.terms import TermsRecognizer
from extract.lexicons import terms as T
from extract.parsers import terms
from extract.parsers.branches import alternation, by_first_letter
from extract.parsers import contacts
from extract.parsers.needles import finditer_near, required_needles
from extract.validators import crypto

_ALTERNATIVES = ["fe", "fe only", "escrow", "express(?:[ \t]+mail)?", "ems", "1st[ \t]+class", "first", "x", "ups(?=[ \t]+ground)"]
_TEXT = ("FE only, Fe, fe ONLY; ESCROW ſcrow ESCROW Express  mail, EMS 1ST class First ab b X xx İ ı "
         "UPS ground ups")


def _named(alternatives):
    return [f"{a}(?P<g{i}>)" for i, a in enumerate(alternatives)]


def test_by_first_letter_keeps_the_winning_alternative_and_span():
    plain = re.compile(r"(?<![\w])(?:" + "|".join(_named(_ALTERNATIVES)) + r")(?![\w])", re.IGNORECASE)
    fast = re.compile(r"(?<![\w])" + by_first_letter(_named(_ALTERNATIVES)) + r"(?![\w])", re.IGNORECASE)
    assert fast.pattern != plain.pattern
    rng = random.Random(3)
    words = ["fe", "FE", "only", "escrow", "ſcrow", "express", "EXPRESS", "mail", "ems", "1st", "class", "first", "x",
             "ups", "ground", "İ", " ", "  ", "\t", ",", "\n", "-"]
    for text in [_TEXT] + ["".join(rng.choice(words) for _ in range(rng.randint(0, 20))) for _ in range(3000)]:
        assert [(m.span(), m.lastgroup) for m in fast.finditer(text)] == \
               [(m.span(), m.lastgroup) for m in plain.finditer(text)], repr(text)


@pytest.mark.parametrize("alternatives", [["a?b", "ab"], ["(?:x|y)z", "xz"], ["ab|cd", "ce"], ["[ab]c", "ac"], ["a"]])
def test_by_first_letter_leaves_alternatives_it_cannot_split(alternatives):
    assert by_first_letter(alternatives) == alternation(alternatives)


def test_the_shipping_methods_pattern_is_grouped():
    pattern, lowered, names = terms._method_re()
    assert "(?-i:[Ee])(?:" in pattern.pattern and "(?:e(?:xpress" in lowered.pattern and len(names) == sum(map(len, T.SHIPPING_METHODS.values()))


@pytest.mark.parametrize("pattern, needles", [
    (r"escrow[ \t]+only", [("crow",), ("only",)]),
    (r"(?:full|100[ \t]*%|always)[ \t]+escrow", [("full", "100", "alway"), ("crow",)]),
    (r"\d+[ \t]+days?[ \t]+escrow", [("day",), ("crow",)]),
    (r"(?:we|i)[ \t]+offer", [("offer",)]),           # "i" gives no needle, so the alternation gives none
    (r"no(?:[ \t]+fe)?", [("no",)]),                   # an optional part is not needed
    (r"(?<!ab)cd(?=ef)", [("cd",)]),                   # nor is what a look-around sees
    (r"über[ \t]+treuhand", [("ber",), ("treuhand",)]),
    (r"[a-z]+", []),
])
def test_required_needles(pattern, needles):
    assert [n.needles for n in required_needles(pattern, re.IGNORECASE)] == needles


def test_every_terms_phrase_holds_its_needles():
    """Each phrase, written out in several cases, holds every needle its gate asks for."""
    samples = {
        "100 % fe": T.FE_TRUE_TEXT, "FE only": T.FE_TRUE_TEXT, "finalize early is allowed": T.FE_TRUE_TEXT,
        "We only accept FE": T.FE_TRUE_TEXT, "fe for trusted": T.FE_TRUE_TEXT, "Direct payment only": T.FE_TRUE_TEXT,
        "escrow / fe": T.FE_TRUE_TEXT, "no FE": T.FE_FALSE_TEXT, "fe is not possible": T.FE_FALSE_TEXT,
        "we don't do fe": T.FE_FALSE_TEXT, "never ask for FE": T.FE_FALSE_TEXT, "7 days escrow": T.FE_FALSE_TEXT,
        "ALWAYS ESCROW": T.ESCROW_TRUE_TEXT, "escrow protected": T.ESCROW_TRUE_TEXT,
        "I use full escrow": T.ESCROW_TRUE_TEXT, "through the escrow": T.ESCROW_TRUE_TEXT,
        "Site escrow": T.ESCROW_TRUE_TEXT, "escrow is welcome": T.ESCROW_TRUE_TEXT,
        "via market escrow": T.ESCROW_TRUE_TEXT, "Über Treuhand": T.ESCROW_TRUE_TEXT, "no escrow": T.ESCROW_FALSE_TEXT,
        "escrow is not offered": T.ESCROW_FALSE_TEXT, "Kein Treuhand": T.ESCROW_FALSE_TEXT,
    }
    for text, table in samples.items():
        for variant in (text, text.upper(), text.lower()):
            matched = [p for p in table if re.search(r"(?<![\w])(?:" + p + r")(?![\w])", variant, re.IGNORECASE)]
            assert matched, variant
            for p in matched:
                for needles in required_needles(p, re.IGNORECASE):
                    assert needles(variant), (variant, p, needles.needles)


def test_terms_found_with_the_gates_are_those_of_the_plain_search():
    res = terms._text_res()
    rng = random.Random(5)
    words = ["escrow", "ESCROW", "only", "full", "100%", "7", "days", "fe", "FE", "finalize", "early", "no", "not",
             "we", "do", "don't", "accept", "allowed", "treuhand", "über", "market", "is", " ", "\n", ".", "stealth"]
    for _ in range(2000):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 14)))
        for table in res.values():
            got = [m.span() for m in table.finditer(text, text.lower(), {})]
            assert got == [m.span() for m in table.pattern.finditer(text)], repr(text)


def test_address_candidates_are_the_long_runs_of_letters_and_digits():
    rng = random.Random(11)
    plain = re.compile(r"[0-9A-Za-z]+")
    for _ in range(3000):
        text = "".join(rng.choice(["a", "B", "1", "_", " ", "-", "é", "\n", "bc1q", "x" * 13]) for _ in range(rng.randint(0, 40)))
        expected = [m.span() for m in plain.finditer(text) if 14 <= m.end() - m.start() <= crypto._MAX_LENGTH]
        got = [m.span() for m in crypto._TOKEN.finditer(text) if m.end() - m.start() <= crypto._MAX_LENGTH]
        assert got == expected, repr(text)


def test_batched_components_annotate_as_one_by_one():
    nlp = load_pipeline()
    texts = ["Vendor\tbob\nPrice\t$10\nEscrow\tYes\n5g MDMA, Wickr: bob1", "", "Jabber: s1@exploit.im FE only",
             "Ships from: Germany\n1g cocaine 80 EUR"]
    piped = list(nlp.pipe(texts, batch_size=2))
    one = [nlp(t) for t in texts]
    for a, b in zip(piped, one):
        assert {k: [(s.start, s.end, s.label_) for s in g] for k, g in a.spans.items()} == \
               {k: [(s.start, s.end, s.label_) for s in g] for k, g in b.spans.items()}
        assert [a._.get(name) for name in ("drugs", "price", "vendor", "escrow", "contacts")] == \
               [b._.get(name) for name in ("drugs", "price", "vendor", "escrow", "contacts")]


class _FailsOnMarkedDocs(TermsRecognizer):
    """The terms component, failing on a Doc marked so (a bug's stand-in, to reach the error path)."""

    def __call__(self, doc):
        if doc.user_data.get("fail"):
            raise ValueError("boom")
        return super().__call__(doc)


def test_a_failing_doc_goes_to_the_error_handler():
    nlp = spacy.blank("en")
    component = _FailsOnMarkedDocs("terms")
    broken = nlp.make_doc("Escrow: yes")
    broken.user_data["fail"] = True
    with pytest.raises(ValueError):  # spaCy's default handler raises
        list(component.pipe([broken]))
    failed = []
    component.set_error_handler(lambda name, proc, docs, error: failed.append((name, [d.text for d in docs])))
    out = list(component.pipe([nlp.make_doc("FE only"), broken, nlp.make_doc("no escrow")], batch_size=2))
    assert [d.text for d in out] == ["FE only", "no escrow"] and out[0]._.finalize_early["value"] is True
    assert failed == [("terms", ["Escrow: yes"])]


_CONTACT_PIECES = ["wickr", "WiCKR", "wikr me", "kr", ":", " ", "\t", "\n", "@", "a", "bob", "shop_1", ".", "-", "x" * 60,
                   "telegram", "TG", "t.me/", "telegram.me/", "threema", "ABCD1234", "signal", "+44 7700 900123", "İ",
                   "mail.com", "jabber", "xmpp:", "5", "ſ", "is", "id"]


@pytest.mark.parametrize("kind", ["email", "wickr", "telegram", "threema", "signal"])
def test_searching_near_the_needles_finds_every_contact_match(kind):
    """extract.parsers.needles.finditer_near: the contact patterns, searched only near their needles,
    match where and what the plain search matches."""
    if kind == "email":
        pattern, needles, before = contacts._EMAIL_RE, ("@",), contacts._AT_OFFSET
    else:
        pattern = getattr(contacts, f"_{kind.upper()}_RE")
        needles, before = contacts.MESSENGER_NEEDLES[kind].needles, contacts.NEEDLE_OFFSETS[kind]
    rng = random.Random(13)
    for _ in range(3000):
        text = "".join(rng.choice(_CONTACT_PIECES) for _ in range(rng.randint(0, 25)))
        expected = [(m.span(), m.groupdict()) for m in pattern.finditer(text)]
        got = [(m.span(), m.groupdict()) for m in finditer_near(pattern, text, text.lower(), needles, before)]
        assert got == expected, repr(text)


def test_searching_near_the_needles_refuses_a_pattern_that_matches_nothing():
    with pytest.raises(ValueError):
        list(finditer_near(re.compile(r"x*"), "ab", "ab", ("b",), 1))


def test_lower_agrees_with_ignorecase_where_lower_agrees_says_so():
    """extract.parsers.terms.lower_agrees: over every Unicode character but the three it refuses,
    lower-casing keeps whether a character is ``\\w``, and an ASCII letter matches a character
    under ``re.IGNORECASE`` exactly when the character lower-cases to that letter."""
    refused = {"İ", "ı", "ſ"}
    assert all(not terms.lower_agrees(ch, ch.lower()) for ch in refused)
    every = "".join(chr(cp) for cp in range(sys.maxunicode + 1) if not 0xD800 <= cp <= 0xDFFF)
    kept = [ch for ch in every if ch not in refused]
    assert all(terms.lower_agrees(ch, ch.lower()) for ch in kept)
    words = set(re.findall(r"\w", every))
    assert {ch for ch in kept if ch.lower() in words} == words - refused
    for letter in string.ascii_lowercase:
        assert set(re.findall(letter, every, re.IGNORECASE)) - refused == {ch for ch in kept if ch.lower() == letter}, letter


def test_methods_on_the_lower_cased_text_are_those_of_the_plain_search():
    pattern, lowered, names = terms._method_re()
    assert lowered is not None
    rng = random.Random(17)
    words = ["Express", "EXPRESS", "mail", "DHL", "ups", "UPS", "Ground", "fed", "ex", "1st", "CLASS", "Stealth", "ſtealth",
             "vacuum", "sealed", "no", "tracking", "İ", "ı", "\u212a", "dpd", "Royal", "post", "nl", " ", "\t", "-", "\n", "é"]
    checked = 0
    for _ in range(3000):
        text = "".join(rng.choice(words) for _ in range(rng.randint(0, 16)))
        plain = [(m.span(), m.lastgroup) for m in pattern.finditer(text)]
        low = text.lower()
        if terms.lower_agrees(text, low):
            checked += 1
            assert [(m.span(), m.lastgroup) for m in lowered.finditer(low)] == plain, repr(text)
        first = {}
        for span, group in plain:
            first.setdefault(names[group], span)
        assert [(m.name, (m.start, m.end)) for m in terms.find_terms(text).methods] == list(first.items()), repr(text)
    assert checked > 1000
