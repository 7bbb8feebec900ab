"""The pipeline's tokenizer (extract.tokenizer): a run without blanks longer than ``max_run`` is
tokenized in pieces of ``max_run`` characters, each piece as spaCy's tokenizer reads it alone, and
the Doc keeps the text character for character."""
from __future__ import annotations

import pytest
from spacy.lang import lex_attrs

from extract import load_pipeline
from extract.tokenizer import BLANKS


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


@pytest.fixture(scope="module")
def tokenizer(nlp):
    return nlp.tokenizer


def _tokens(doc):
    return [(t.text, t.whitespace_) for t in doc]


@pytest.mark.parametrize("before, run, after", [
    ("Any stock? ", "?-x/" * 700, " yes ok"),  # a run of 2,800 characters between words
    ("", "7" * 2500, ""),  # the whole text one run
    ("bc1q ", "bc1q" * 260, "\n\nShips to: US"),  # a run followed by a line break
    ("x ", "a" * 1001, " y"),  # just over max_run, a blank on both sides
])
def test_long_run_is_read_in_pieces(tokenizer, before, run, after):
    text = before + run + after
    doc = tokenizer(text)
    assert doc.text == text
    assert all(text[t.idx:t.idx + len(t)] == t.text for t in doc)
    base, size = tokenizer.tokenizer, tokenizer.max_run
    expected = _tokens(base(before.rstrip(" "))) if before.strip() else []
    if expected and before.endswith(" "):
        expected[-1] = (expected[-1][0], " ")
    pieces = [run[i:i + size] for i in range(0, len(run), size)]
    for piece in pieces:
        expected += _tokens(base(piece))
    rest = _tokens(base(after[1:] if after.startswith(" ") else after)) if after else []
    if after.startswith(" "):
        expected[-1] = (expected[-1][0], " ")
    assert _tokens(doc) == expected + rest


def test_short_text_is_spacys_own(tokenizer):
    text = "pure A-PVP- and bk-MDMA/ METHYLONE- " + "?" * 900
    assert _tokens(tokenizer(text)) == _tokens(tokenizer.tokenizer(text))


def test_blanks_are_every_blank():
    assert set(BLANKS) == {c for c in map(chr, range(0x110000)) if c.isspace()}


@pytest.mark.parametrize("blank", [" ", "\n", "\t", "\xa0", "\u3000"])
def test_long_blank_run_is_one_token(tokenizer, blank):
    text = "Ships to" + blank * 5000 + "US only."
    doc = tokenizer(text)
    assert doc.text == text
    assert [t.text for t in doc] == ["Ships", "to", blank * (4999 if blank == " " else 5000), "US", "only", "."]


@pytest.mark.parametrize("word", ["", " ", "abc", "ab.cd", "www.x", "http://localhost", "https://a", "é", "naïve.fr",
                                  "x@y.com", ".com", "example.com.", "a" * 3000, "\u3000" * 10, "bc1q" * 20])
def test_quick_lexeme_attrs_answer_as_spacys(nlp, word):
    """The pipeline's vocabulary computes is_ascii and like_url by quicker functions (see
    extract.tokenizer): a new word gets spaCy's own answers."""
    if word:
        lexeme = nlp.vocab[word]
        assert (lexeme.like_url, lexeme.is_ascii) == (lex_attrs.like_url(word), lex_attrs.is_ascii(word))
    assert str.isascii(word) == lex_attrs.is_ascii(word)
