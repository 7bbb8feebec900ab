"""A record's facts: profile fields, read by the profile-check parsers, win over extraction's
readings, and every fact says where it came from. Pure: no pipeline, no I/O."""
from __future__ import annotations

import pytest

from onionwatch.pipeline.facts import RESERVED_FIELDS, merge, parse_profile_fields

#: what extraction read from a page (spans in its text), as extract_many gives it
EXTRACTED = {
    "id": "m/1", "title": "Pills", "vendor": "sidebarguy", "drugs": [{"name": "mdma", "class": "empathogen"}],
    "price": {"amount": 45.0, "currency": "USD", "usd": 45.0}, "ships_from": "DE", "ships_to": ["DE"],
    "escrow": None, "finalize_early": None, "stock": {"count": 3, "available": True, "source": "label", "span": [80, 81]},
    "contacts": [{"kind": "wickr", "value": "pillshop", "span": [90, 98]}],
    "spans": {"vendor": [5, 15], "price": [20, 26], "ships_from": [30, 37], "ships_to": [40, 47], "escrow": None},
}
#: the same, where the label reader (extract.label_fields) read the destinations from a labelled field
EXTRACTED_LABELS = {**EXTRACTED, "ships_to": ["EU"], "label_fields": {"ships_to": {"label": "Delivers to", "text": "Europe"}}}

# (profile fields, fact -> expected value, fact -> expected source)
CASES = [
    pytest.param({"price": "฿0.000787 (€7.28)"}, {"price": ("BTC", 0.000787)},
                 {"price": {"source": "profile", "field": "price"}}, id="price-with-currency"),
    pytest.param({"ships_from": "United States", "ships_to": ["World Wide", "Europe", "Netherlands"]},
                 {"ships_from": "US", "ships_to": ["WW", "EU", "NL"]},
                 {"ships_from": {"source": "profile", "field": "ships_from"},
                  "ships_to": {"source": "profile", "field": "ships_to"}}, id="places"),
    pytest.param({"payment": "Escrow"}, {"escrow": True, "finalize_early": False},
                 {"escrow": {"source": "profile", "field": "payment"}}, id="payment-terms"),
    pytest.param({"payment": "FE", "escrow": "Yes"}, {"escrow": True, "finalize_early": True},
                 {"escrow": {"source": "profile", "field": "escrow"},
                  "finalize_early": {"source": "profile", "field": "payment"}}, id="escrow-field-beats-payment"),
    pytest.param({"escrow": "Yes", "payment": "FE"}, {"escrow": True, "finalize_early": True},
                 {"escrow": {"source": "profile", "field": "escrow"}}, id="either-order"),
    pytest.param({"stock": "97 Available", "feedback_count": "1,204 reviews"},
                 {"stock": {"count": 97, "available": True}, "feedback_count": 1204},
                 {"stock": {"source": "profile", "field": "stock"}}, id="stock-and-feedback"),
    pytest.param({"title": " Pills x10 ", "vendor": "DrWhite", "category": "Ecstasy",
                  "description": ["para one", "para two"]},
                 {"title": "Pills x10", "vendor": "DrWhite", "category": "Ecstasy",
                  "description": "para one\n\npara two"},
                 {"vendor": {"source": "profile", "field": "vendor"}}, id="text-fields"),
    pytest.param({"handle": "bob", "contacts": ["E-Mail : bob@mail.com"]},
                 {"vendor": "bob", "contacts": [{"kind": "email", "value": "bob@mail.com"},
                                                {"kind": "wickr", "value": "pillshop", "span": [90, 98]}]},
                 {"contacts": {"source": "profile", "field": "contacts"}}, id="contacts-lose-nothing"),
    pytest.param({}, {"price": ("USD", 45.0), "ships_from": "DE", "vendor": "sidebarguy"},
                 {"price": {"source": "text", "span": [20, 26]}, "ships_from": {"source": "text", "span": [30, 37]},
                  "stock": {"source": "label", "span": [80, 81]}}, id="no-profile-field-extraction-stays"),
    pytest.param({"stock": "5 left"}, {"stock": {"count": 5, "available": True}, "ships_to": ["EU"]},
                 {"stock": {"source": "profile", "field": "stock"},
                  "ships_to": {"source": "label", "label": "Delivers to", "text": "Europe"}},
                 id="label-reader-fact-below-the-profile"),
]


@pytest.mark.parametrize("fields, values, sources", CASES)
def test_profile_fields_win_and_say_so(fields, values, sources):
    facts = merge(EXTRACTED_LABELS if "ships_to" in values and "ships_to" not in fields else EXTRACTED,
                  parse_profile_fields(fields))
    for fact, expected in values.items():
        got = facts[fact]
        if isinstance(expected, tuple):
            got = (got["currency"], got["amount"])
        assert got == expected, fact
    for fact, expected in sources.items():
        assert facts["sources"][fact] == expected, fact
    assert facts["drugs"] == EXTRACTED["drugs"]  # extraction's other facts are kept


def test_every_fact_with_a_value_has_a_source():
    facts = merge(EXTRACTED, parse_profile_fields({"price": "$5", "stock": "Sold out"}))
    for fact in ("title", "vendor", "price", "ships_from", "ships_to", "stock", "contacts"):
        assert fact in facts["sources"], fact
    assert "escrow" not in facts["sources"]  # extraction found none, the profile gave none
    assert facts["stock"] == {"count": None, "available": False}  # (the stock parser's reading of "Sold out")


def test_unreadable_field_falls_back_and_is_reported():
    facts = merge(EXTRACTED, parse_profile_fields({"price": "call me", "ships_from": "Narnia", "escrow": "maybe"}))
    assert facts["price"]["usd"] == 45.0 and facts["sources"]["price"]["source"] == "text"
    assert facts["ships_from"] == "DE"
    assert set(facts["field_errors"]) == {"price", "ships_from", "escrow"}
    assert "currency" in facts["field_errors"]["price"]


def test_reserved_and_unknown_fields_are_not_facts():
    fields = {"content": {"xpath": "//main"}, "pages": [{"url": "/x", "evidence": None}],
              "photos": [{"url": "/p.jpg"}], "shipping_options": ["Post"], "joined": "2018"}
    assert RESERVED_FIELDS == {"content", "pages", "photos"}
    parsed = parse_profile_fields(fields)
    assert parsed.values == {} and parsed.errors == {}


def test_extraction_failure_keeps_the_profile_facts():
    failed = {"id": "m/1", "source": "u", "error": {"code": "bad_html", "message": "x"}}
    facts = merge(failed, parse_profile_fields({"price": "0.01 BTC", "payment": "Escrow"}))
    assert facts["error"]["code"] == "bad_html"
    assert facts["price"]["currency"] == "BTC" and facts["escrow"] is True


def test_merge_changes_neither_argument():
    extracted = dict(EXTRACTED)
    parsed = parse_profile_fields({"price": "$5"})
    merge(extracted, parsed)
    assert extracted == EXTRACTED and "sources" not in extracted
    assert parsed.values["price"]["amount"] == 5.0
