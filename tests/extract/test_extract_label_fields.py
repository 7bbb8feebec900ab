"""The label reader: label-value pairs from any layout, read by the facts' own parsers, and put over
the text's readings in extraction results. Generated HTML only (no real page is copied here)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract import extract_record, load_pipeline
from extract.label_fields import label_facts_of_html, label_facts_of_text
from extract.label_values import label_field, label_pairs
from onionwatch.pipeline.facts import merge, parse_profile_fields


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def _values(html: str) -> dict:
    return {fact: found["value"] for fact, found in label_facts_of_html(html).items()}


# (layout, html, facts the reader must give)
LAYOUTS = [
    pytest.param("<table><tr><th>Dispatched from</th><td>Holland</td></tr><tr><th>Delivers to</th>"
                 "<td>EU, UK</td></tr><tr><td>Escrow</td><td>Yes</td></tr><tr><td>FE</td><td>Not allowed</td></tr></table>",
                 {"ships_from": "NL", "ships_to": ["EU", "GB"], "escrow": True, "finalize_early": False},
                 id="table-rows"),
    pytest.param("<dl><dt>Origin country</dt><dd>Spain</dd><dt>Destinations</dt><dd>Worldwide</dd>"
                 "<dt>Payment type</dt><dd>100% FE</dd><dt>Quantity left</dt><dd>4</dd></dl>",
                 {"ships_from": "ES", "ships_to": ["WW"], "escrow": False, "finalize_early": True,
                  "stock": {"count": 4, "available": True}}, id="definition-list"),
    pytest.param('<div class="row"><span class="k">Sent from</span><span class="v">Germany</span></div>'
                 '<div class="row"><span class="k">Shipping to</span><span class="v">Europe</span></div>',
                 {"ships_from": "DE", "ships_to": ["EU"]}, id="sibling-spans-without-separator"),
    pytest.param("<p><b>Escrow:</b> yes<br><b>Finalize early:</b> no<br><b>Ships from:</b> Canada</p>",
                 {"escrow": True, "finalize_early": False, "ships_from": "CA"}, id="bold-label-then-tail"),
    pytest.param("<div><small><label><b>Ship to : </b></label></small> <small> Australia </small><br>"
                 "<small><label><b>Payment :</b></label> <font>Escrow</font></small></div>",
                 {"ships_to": ["AU"], "escrow": True, "finalize_early": False}, id="wrapped-label"),
    pytest.param("<ul><li>Ships from: Poland</li><li>Ships to: Poland, Czech Republic</li><li>Stock: sold out</li></ul>",
                 {"ships_from": "PL", "ships_to": ["PL", "CZ"], "stock": {"count": 0, "available": False}},
                 id="label-colon-value-text"),
    pytest.param("<div>Versandland: Österreich<br>Lieferung nach: Deutschland<br>Treuhand: Ja</div>",
                 {"ships_from": "AT", "ships_to": ["DE"], "escrow": True}, id="german-lines-after-br"),
    pytest.param("<div><div>Expédié depuis</div><div>France</div><div>Livraison</div><div>Belgique, Suisse</div></div>",
                 {"ships_from": "FR", "ships_to": ["BE", "CH"]}, id="french-label-block-then-value-block"),
    pytest.param("<table><tr><th>Accepted currencies</th><td>Bitcoin (BTC), Monero</td></tr></table>",
                 {"currencies": ["BTC", "XMR"]}, id="currencies"),
    pytest.param("<div><span>Origin</span><span>CO -&gt; Colombia, US</span></div>",
                 {"ships_from": "CO", "ships_to": ["CO", "US"]}, id="origin-arrow-destinations"),
    pytest.param("<p><b>Multisig:</b> yes</p>", {"escrow": True}, id="multisig-is-escrow"),
]


@pytest.mark.parametrize("html, expected", LAYOUTS)
def test_layouts(html, expected):
    assert _values(html) == expected


def test_values_that_say_nothing_are_passed_over():
    # a feedback list labelled "ESCROW" with order amounts, then the real field
    html = ("<ul><li><span>ESCROW</span><span>$65.8 Order</span></li></ul>"
            "<div><label>Escrow</label><span>No</span></div>")
    assert _values(html) == {"escrow": False}


def test_a_facts_own_label_beats_a_by_product():
    html = "<dl><dt>Payment</dt><dd>Escrow</dd><dt>FE enabled</dt><dd>Yes</dd></dl>"
    facts = label_facts_of_html(html)
    assert (facts["escrow"]["value"], facts["finalize_early"]["value"]) == (True, True)
    assert facts["finalize_early"]["label"] == "FE enabled"


def test_navigation_scripts_and_sentences_are_not_labels():
    html = ("<nav><span>Ships from</span><span>China</span></nav><script>var x = 'Ships from: Peru'</script>"
            "<p>We ship from Germany to the whole EU, escrow is fine.</p>")
    assert label_pairs(html) == []
    assert label_field("We ship from Germany to the whole EU") is None


def test_hostile_pages_end_and_lose_nothing():
    deep = "<div>" * 3000 + "<span>Ships to</span><span>Italy</span>" + "</div>" * 3000
    assert isinstance(label_pairs(deep), list)  # lxml may stop at its depth limit; never hangs or raises
    long_value = "<div><span>Ships to</span><span>" + "Italy, " * 20000 + "</span></div>"
    [pair] = label_pairs(long_value)
    assert len(pair.value) <= 300 and _values(long_value)["ships_to"] == ["IT"]
    many = "<div>" + "<span>Stock</span>" * 20000 + "<span>5</span></div>"
    assert _values(many)["stock"]["count"] == 5
    assert label_pairs("") == [] and label_pairs(b"\x00\x01") == []


def test_plain_text_lines():
    facts = label_facts_of_text("Nice weed\nShipping from:\nSweden\nShips to\tWorldwide\nFE: no")
    assert {k: v["value"] for k, v in facts.items()} == {"ships_from": "SE", "ships_to": ["WW"], "finalize_early": False}


PAGE = ("<html><body><h1>Ketamine 5g</h1><p>Fast shipping from the UK, 100% FE for regulars.</p>"
        "<div class='specs'><span>Sending from</span><span>Ireland</span>"
        "<span>Escrow</span><span>✔</span></div></body></html>")


def test_labels_win_over_free_text_in_results(nlp):
    r = extract_record(nlp, id="1", source="t", html=PAGE)
    assert (r["ships_from"], r["escrow"]) == ("IE", True)
    assert r["label_fields"]["ships_from"] == {"label": "Sending from", "text": "Ireland"}
    assert r["spans"]["ships_from"] is None  # the free text's span was of the reading replaced
    text_only = extract_record(nlp, id="1", source="t", html=PAGE, labels=False)
    assert text_only["ships_from"] == "GB" and text_only["label_fields"] == {}


def test_precedence_profile_then_label_then_text(nlp):
    r = extract_record(nlp, id="1", source="t", html=PAGE)
    facts = merge(r, parse_profile_fields({"ships_from": "Netherlands"}))
    assert facts["ships_from"] == "NL" and facts["sources"]["ships_from"] == {"source": "profile", "field": "ships_from"}
    assert facts["escrow"] is True
    assert facts["sources"]["escrow"] == {"source": "label", "label": "Escrow", "text": "✔"}
    assert facts["sources"]["finalize_early"]["source"] == "text"  # "100% FE" is free text: no label says it


MORE_LAYOUTS = [
    pytest.param("<table><thead><tr><th>Origin</th><th>Destination</th><th>Escrow</th><th>Price</th></tr></thead>"
                 "<tbody><tr><td>Portugal</td><td>Worldwide</td><td>No</td><td>$20</td></tr></tbody></table>",
                 {"ships_from": "PT", "ships_to": ["WW"], "escrow": False}, id="header-row-then-one-value-row"),
    pytest.param("<table><tr><th>Origin</th><th>Destination</th><th>Title</th></tr>"
                 "<tr><td>Portugal</td><td>Worldwide</td><td>a</td></tr>"
                 "<tr><td>Spain</td><td>EU</td><td>b</td></tr></table>", {}, id="a-listing-index-is-no-details-table"),
    pytest.param('<div>🚚 <span>Ships from <i>:</i></span><span>Sweden</span></div>'
                 '<div><span>» Escrow ?</span><span><i class="fa fa-check"></i></span></div>'
                 '<div><span>FE</span><span><img src="x.png" alt="No"></span></div>',
                 {"ships_from": "SE", "escrow": True, "finalize_early": False}, id="icons-and-punctuation"),
    pytest.param('<div class="row"><div class="col">Country of origin</div><div class="col">Denmark</div></div>',
                 {"ships_from": "DK"}, id="grid-columns"),
]


@pytest.mark.parametrize("html, expected", MORE_LAYOUTS)
def test_more_layouts(html, expected):
    assert _values(html) == expected


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_any_text_or_markup_is_read_without_error(text):
    for facts in (label_facts_of_text(text), label_facts_of_html(text),
                  label_facts_of_html(f"<table><tr><th>Ships to</th><td>{text}</td></tr></table>"),
                  label_facts_of_html(f"<p><b>{text}:</b> {text}</p>")):
        assert set(facts) <= {"ships_from", "ships_to", "escrow", "finalize_early", "stock", "currencies"}
        assert all(len(found["text"]) <= 300 for found in facts.values())
