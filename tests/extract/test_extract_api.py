"""The public API: result contract, batches, files, and bad input that must not stop a batch."""
from __future__ import annotations

import json

import pytest

from extract import RESULT_KEYS, build_text, extract_many, extract_path, extract_record

LISTING_HTML = """<html><head><title>Shop</title><script>alert('x')</script></head><body>
<div class="sidebar"><table><tr><td>BTC</td><td>1.0</td></tr><tr><td>USD</td><td>20000.0</td></tr></table></div>
<h1>50x Oxycodone 30mg (M30 pressed)</h1>
<div><label>Vendor</label> <span>northstar</span></div>
<div><label>Price</label> <span>&#3647;0.005</span></div>
<div><label>Ships from</label> <span>Canada</span></div>
<div><label>Ships to</label> <span>Canada, United States</span></div>
<pre>Stealth vacuum sealed. No fent anyl in these.</pre>
</body></html>"""


def test_result_contract(nlp):
    r = extract_record(nlp, id="a1", source="shop", title="Ketamine 5g", description="Ships from: Holland\nPrice: 45EU")
    assert tuple(r) == RESULT_KEYS
    assert r["title"] == "Ketamine 5g"
    assert r["drugs"] == [{"name": "ketamine", "class": "dissociative", "span": [0, 8]}]
    assert r["quantities"] == [{"value": 5, "unit": "g", "strength": None, "span": [9, 11]}]
    assert r["price"]["amount"] == 45.0 and r["price"]["currency"] == "EUR" and r["price"]["usd"] > 45
    assert (r["ships_from"], r["ships_to"]) == ("NL", [])
    assert (r["vendor"], r["escrow"], r["finalize_early"]) == (None, None, None)
    assert (r["price_tiers"], r["pgp_keys"], r["crypto_addresses"], r["contacts"]) == ([], [], [], [])
    assert set(r["spans"]) == {"vendor", "price", "ships_from", "ships_to", "escrow"}
    text = build_text("Ketamine 5g", "Ships from: Holland\nPrice: 45EU")
    assert text[slice(*r["spans"]["price"])] == "45EU"
    assert text[slice(*r["spans"]["ships_from"])] == "Holland"
    json.dumps(r)  # JSON-safe


def test_html_record(nlp):
    r = extract_record(nlp, id="p1", source="shop", html=LISTING_HTML)
    assert {d["name"] for d in r["drugs"]} == {"oxycodone", "m30", "fentanyl"}
    assert (r["quantities"][0]["value"], r["quantities"][0]["strength"]) == (50, {"value": 30, "unit": "mg"})
    assert r["price"] == {"amount": 0.005, "currency": "BTC", "usd": 100.0}
    assert (r["ships_from"], r["ships_to"]) == ("CA", ["CA", "US"])


def test_text_wins_over_html_and_description(nlp):
    r = extract_record(nlp, id=1, source=None, text="2g MDMA", html="<p>5g cocaine</p>", description="1g ketamine")
    assert [d["name"] for d in r["drugs"]] == ["mdma"]


BAD = [
    ({"id": "e1", "text": ""}, "empty_input"),
    ({"id": "e2", "title": "  ", "description": "\n\t"}, "empty_input"),
    ({"id": "e3", "html": "<html><script>only()</script></html>"}, "empty_input"),
    ({"id": "e4", "html": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"}, "binary_input"),
    ({"id": "e5", "text": "\x01\x02\x03\x04 abc \x05\x06\x07\x08"}, "binary_input"),
    ({"id": "e7", "text": 42}, "bad_record"),
    ({"text": "no id"}, "bad_record"),
    ({"id": "", "text": "empty id"}, "bad_record"),
]


@pytest.mark.parametrize("record, code", BAD)
def test_bad_input_gives_error_object(nlp, record, code):
    (r,) = list(extract_many(nlp, [record]))
    assert r["error"]["code"] == code
    assert r["error"]["message"]
    assert set(r) == {"id", "source", "error"}


def test_large_page_is_refused_without_stopping_the_batch(nlp):
    big = "<p>" + "x" * 2_000_000 + "</p>"
    records = [{"id": "ok1", "text": "1g MDMA"}, {"id": "big", "html": big}, "not a dict", {"id": "ok2", "text": "3g ketamine"}]
    results = list(extract_many(nlp, records, batch_size=2, max_input_bytes=1_000_000))
    assert [r.get("id") for r in results] == ["ok1", "big", None, "ok2"]
    assert [r.get("error", {}).get("code") for r in results] == [None, "input_too_large", "bad_record", None]


def test_text_limit(nlp):
    r = extract_record(nlp, id="t", source=None, text="word " * 3000, max_text_chars=10_000)
    assert r["error"]["code"] == "text_too_long"


def test_component_failure_is_isolated(nlp):
    def boom(doc):
        if "boom" in doc.text:
            raise RuntimeError("component bug")
        return doc

    from spacy.language import Language

    if not Language.has_factory("test_boom"):
        Language.component("test_boom", func=boom)
    nlp.add_pipe("test_boom", last=True)
    try:
        results = list(extract_many(nlp, [{"id": 1, "text": "2g MDMA"}, {"id": 2, "text": "boom"}, {"id": 3, "text": "1g"}]))
    finally:
        nlp.remove_pipe("test_boom")
    assert [r.get("error", {}).get("code") for r in results] == [None, "pipeline_error", None]
    assert results[0]["drugs"][0]["name"] == "mdma"


def test_extract_path(nlp, tmp_path):
    (tmp_path / "listing.html").write_text(LISTING_HTML, encoding="utf-8")
    (tmp_path / "note.txt").write_text("Speed paste 100g\nShips from: Poland", encoding="utf-8")
    (tmp_path / "page_without_suffix").write_text("<!DOCTYPE html><html><body><p>10g hash</p></body></html>")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n")
    (tmp_path / "latin1.txt").write_bytes(b"Caf\xe9 5g")
    (tmp_path / "items.jsonl").write_text(
        json.dumps({"id": "j1", "title": "Valium 10mg x 100", "description": "Ships to: UK"}) + "\n"
        + "{not json\n"
        + json.dumps({"id": "j2", "html": "<p>Price: $20</p>", "source": "feed"}) + "\n"
        + json.dumps({"title": "no id"}) + "\n",
        encoding="utf-8",
    )
    results = {str(r["id"]).replace(str(tmp_path) + "/", ""): r for r in extract_path(nlp, tmp_path, source="disk")}
    assert results["listing.html"]["price"]["currency"] == "BTC"
    assert results["note.txt"]["ships_from"] == "PL"
    assert results["page_without_suffix"]["drugs"][0]["name"] == "hashish"
    assert results["image.png"]["error"]["code"] == "unsupported_file"
    assert "error" not in results["latin1.txt"]  # windows-1252, detected as Scrapy does
    assert results["j1"]["ships_to"] == ["GB"] and results["j1"]["source"] == "disk"
    assert results["j2"]["price"]["amount"] == 20.0 and results["j2"]["source"] == "feed"
    assert results["items.jsonl:2"]["error"]["code"] == "bad_json"
    assert results["None"]["error"]["code"] == "bad_record"
    assert len(results) == 9


def test_a_windows_1252_page_is_decoded_not_refused(nlp):
    r = extract_record(nlp, id="e6", source=None, html="<p>Caf\u00e9 au lait 5g, Preis: 20 \u20ac</p>".encode("cp1252"))
    assert "error" not in r and r["price"]["currency"] == "EUR", r


def test_extract_path_missing_file(nlp, tmp_path):
    (r,) = list(extract_path(nlp, [tmp_path / "nope.html"]))
    assert r["error"]["code"] == "unreadable_file"
