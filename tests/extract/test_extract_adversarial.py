"""Hostile inputs: market text is written by adversaries, so a pattern that is slow on some input is
a denial of service. Each case runs the whole pipeline on one made-up input of up to a megabyte and
checks what comes out; the timeout (60 s) only catches a hang: speed is measured in
bench/extract_speed.py, which prints the time per kilobyte at each size.
"""
from __future__ import annotations

import pytest

from extract import extract_record
from extract.html import html_to_text

MB = 1_000_000


def _repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _spans(value):
    """Every span in a result, wherever it is."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "span" and item is not None:
                yield item
            elif key == "spans" and isinstance(item, dict):
                yield from (v for v in item.values() if v is not None)
            else:
                yield from _spans(item)
    elif isinstance(value, list):
        for item in value:
            yield from _spans(item)


def _run(nlp, text: str) -> dict:
    result = extract_record(nlp, id="hostile", source="test", text=text, details=True)
    assert "error" not in result, result.get("error")
    for start, end in _spans(result):
        assert 0 <= start < end <= len(text), (start, end, len(text))
    return result


def _digits(r, text):
    assert r["quantities"] == [] and r["drugs"] == [] and r["price"] is None


def _blanks(r, text):
    assert r["ships_to"] == ["US"]
    start, end = r["spans"]["ships_to"]
    assert text[start:end] == "US"


def _bc1q(r, text):
    assert r["crypto_addresses"] == [] and r["contacts"] == []


def _one_word(r, text):
    assert r["drugs"] == [] and r["vendor"] is None


def _country_list(r, text):
    assert r["ships_to"][:5] == ["DE", "FR", "US", "NL", "GB"]


def _question_marks(r, text):
    assert r["ships_to"] == [] and r["ships_from"] is None


def _questions(r, text):
    assert r["ships_to"] == []  # a buyer's question is not the vendor's terms


def _chain(r, text):
    assert r["ships_from"] == "US" and r["ships_to"][:1] == ["DE"]


def _quantities(r, text):
    assert len(r["quantities"]) == text.count("10x")
    assert all(q["value"] == 10 and q["strength"] == {"value": 20, "unit": "mg"} for q in r["quantities"])


def _money(r, text):
    assert r["price"] == {"amount": 1000.0, "currency": "USD", "usd": 1000.0}


def _emails(r, text):
    assert len(r["contacts"]) == text.count("@")
    assert all(text[c["span"][0]:c["span"][1]] == c["value"] for c in r["contacts"])


def _labels(r, text):
    assert r["vendor"] is None and r["price"] is None


def _digits_then_blanks(r, text):
    assert [d["name"] for d in r["drugs"]] == ["lsd"]  # "100ug" on blotter: the context rule still reads it


def _over_max_length(r, text):
    # longer than nlp.max_length: analysed in pieces, spans still index the whole text
    start, end = r["spans"]["ships_from"]
    assert r["ships_from"] == "DE" and text[start:end] == "Germany" and start > MB
    assert r["vendor"] == "seller_one" and text.startswith("seller_one", r["spans"]["vendor"][0])
    assert len(r["drugs"]) == text.count("MDMA") and len(r["contacts"]) == 2


CASES = [
    ("1 MB of digits", lambda: _repeat("7", MB), _digits),
    ("1 MB of blanks", lambda: "Ships to" + _repeat(" ", MB) + "US only.", _blanks),
    ("1 MB of bc1q", lambda: _repeat("bc1q", MB), _bc1q),
    ("1 MB word of letters", lambda: _repeat("a", MB), _one_word),
    ("100 KB country list", lambda: "Ships to: " + _repeat("Germany, France, United States, NL, the UK and ", 100_000),
     _country_list),
    ("100 KB country list in a sentence", lambda: "We ship to " + _repeat("Germany, France, United States, NL, the UK, ",
                                                                         100_000) + "only", _country_list),
    ("thousands of question marks", lambda: "Any stock" + _repeat("?", 200_000), _question_marks),
    ("thousands of questions", lambda: _repeat("do you ship to the US? ", 200_000), _questions),
    ("US to DE to NL chain", lambda: "Shipping: " + _repeat("US to DE to NL to ", 200_000), _chain),
    ("repeated quantities", lambda: "10x 20mg pills " * 15_000, _quantities),
    ("repeated prices", lambda: "Price: " + _repeat("$1,000 ", 200_000), _money),
    ("e-mail addresses on one line", lambda: " ".join(f"user{i}@mail{i}.com" for i in range(20_000)), _emails),
    ("labels without values", lambda: _repeat("Vendor:\tPrice: BTC/USD   Ships to:  sold by   ", 200_000), _labels),
    ("digits then blanks then a dose", lambda: "7" * 300_000 + " " * 300_000 + "100ug blotter", _digits_then_blanks),
]


@pytest.mark.timeout(60)
@pytest.mark.parametrize("name, make, check", CASES, ids=[c[0] for c in CASES])
def test_hostile_text(nlp, name, make, check):
    text = make()
    check(_run(nlp, text), text)


@pytest.mark.timeout(60)
def test_text_over_max_length_is_read_in_pieces(nlp):
    filler = _repeat("Quality tested MDMA, stealth packaging.\n", 1_100_000)
    text = "Vendor: seller_one\nJabber: one@exploit.im\n" + filler + "\nShips from: Germany\nWickr: seller_one_w\n"
    assert len(text) > nlp.max_length
    _over_max_length(_run(nlp, text), text)


@pytest.mark.timeout(60)
def test_html_nested_20000_levels_keeps_all_text():
    depth = 20_000
    html = "".join(f"<div>w{i} " for i in range(depth)) + "</div>" * depth + "<p>Ships from: Germany</p>"
    words = html_to_text(html).split()
    assert words[:3] == ["w0", "w1", "w2"] and words[depth - 1] == f"w{depth - 1}"
    assert len([w for w in words if w.startswith("w")]) == depth and words[-3:] == ["Ships", "from:", "Germany"]


@pytest.mark.timeout(60)
def test_deep_html_through_the_pipeline(nlp):
    html = "<div>" * 20_000 + "<p>Ships from: Germany</p><p>Price: $45</p>" + "</div>" * 20_000
    r = extract_record(nlp, id="deep", source="test", html=html)
    assert r["ships_from"] == "DE" and r["price"]["amount"] == 45.0
