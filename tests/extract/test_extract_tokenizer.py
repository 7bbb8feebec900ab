"""The pipeline's tokenizer (extract.tokenizer): a run without blanks longer than ``max_run`` is
tokenized in pieces of ``max_run`` characters, each piece as spaCy's tokenizer reads it alone, and
the Doc keeps the text character for character."""
from __future__ import annotations

import pytest

from extract import load_pipeline


@pytest.fixture(scope="module")
def tokenizer():
    return load_pipeline().tokenizer


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
