"""Markets the pipeline was not written for: other languages, forum posts, card layouts.

Invented strings grouped by the kind of market they imitate (German, French, Spanish, Dutch shops;
forum sales threads; shops that print keys in read-only boxes).
"""
from __future__ import annotations

import pytest

from extract import extract_record
from extract.components.keys import address_role
from extract.html import html_to_text
from extract.lexicons.countries import country_code
from extract.parsers.prices import find_money
from extract.parsers.shipping import parse_shipping
from extract.parsers.terms import find_terms
from extract.parsers.vendor import find_vendor


def codes(text):
    r = parse_shipping(text)
    return (r.ships_from.code if r.ships_from else None, [p.code for p in r.ships_to])


COUNTRY_NAMES = [
    # German, French, Spanish, Dutch, Italian, Polish, Russian: from pycountry's ISO 3166 catalogues
    ("Vereinigte Staaten", "US"), ("Niederlande", "NL"), ("Spanien", "ES"), ("Österreich", "AT"),
    ("Royaume-Uni", "GB"), ("Etats-Unis", "US"), ("Países Bajos", "NL"), ("Paises Bajos", "NL"),
    ("Duitsland", "DE"), ("Germania", "DE"), ("Niemcy", "DE"), ("Германия", "DE"),
    # region words
    ("weltweit", "WW"), ("wereldwijd", "WW"), ("todo el mundo", "WW"), ("Europäische Union", "EU"),
    # English words must stay what they are
    ("island", None), ("the", None),
]


@pytest.mark.parametrize("name, code", COUNTRY_NAMES)
def test_country_names_in_other_languages(name, code):
    assert country_code(name) == code


LABELLED = [
    ("Versand aus:\tÖsterreich\nVersand nach:\tÖsterreich, Schweiz, Deutschland", ("AT", ["AT", "CH", "DE"])),
    ("Herkunftsland: Niederlande\nLieferländer: weltweit", ("NL", ["WW"])),
    ("Expédié depuis : Belgique\nLivraison : Union européenne", ("BE", ["EU"])),
    ("Envío desde: España\nDestino: Portugal, España", ("ES", ["PT", "ES"])),
    ("Verzonden vanuit: Nederland\nVerzending naar: België, Duitsland", ("NL", ["BE", "DE"])),
]

FREE_TEXT = [
    # English forum posts
    ("posting from CZE -> anywhere, DM for bulk", ("CZ", ["WW"])),
    ("We are based in Poland. Shipping to Poland and Czechia only.", ("PL", ["PL", "CZ"])),
    ("we send from the UK to UK & Ireland. no FE", ("GB", ["GB", "IE"])),
    ("dispatching out of Canada, domestic only", ("CA", ["CA"])),
    ("Shipping from FR, worldwide except AU/NZ", ("FR", ["WW"])),
    ("We do not ship worldwide. We ship from the NL.", ("NL", [])),
    # a buyer's question is not the vendor's terms
    ("ships from Portugal, EU only\nanyone know if they ship to Canada?", ("PT", ["EU"])),
    # German, French, Spanish, Dutch sentences
    ("Wir verschicken täglich aus den Niederlanden, Versand nur nach Deutschland und Belgien.", ("NL", ["DE", "BE"])),
    ("Versand aus der Schweiz, weltweit außer USA", ("CH", ["WW"])),
    ("Colis expédiés depuis la France vers la Belgique et le Luxembourg", ("FR", ["BE", "LU"])),
    ("Envíos desde Colombia a todo el mundo", ("CO", ["WW"])),
    ("Wij verzenden vanuit Duitsland naar heel Europa", ("DE", ["EU"])),
]


@pytest.mark.parametrize("text, expected", LABELLED + FREE_TEXT)
def test_shipping_in_other_languages_and_forum_posts(text, expected):
    assert codes(text) == expected


def test_one_labelled_side_and_the_other_in_a_sentence():
    assert codes("Ships from: Sweden\nAbout: sending to Norway and Denmark only") == ("SE", ["NO", "DK"])


MONEY = [
    ("Preis: 1.234,50 €", [(1234.5, "EUR")]),
    ("Prix : 1 234,50 €", [(1234.5, "EUR")]),
    ("45,00 EUR", [(45.0, "EUR")]),
    ("only 45EU", [(45.0, "EUR")]),
    ("2.500.000 €", [(2500000.0, "EUR")]),
    ("1.234 BTC", [(1.234, "BTC")]),  # one dot group without decimals is a decimal point
    ("$1,234.50", [(1234.5, "USD")]),
]


@pytest.mark.parametrize("text, expected", MONEY)
def test_european_number_formats(text, expected):
    assert [(m.amount, m.currency) for m in find_money(text)] == expected


def test_german_listing_end_to_end(nlp):
    text = ("Preis:\t2.345,60 €\nVersand aus:\tPolen\nVersand nach:\tEU\nTreuhand:\tJa\nVorkasse (FE):\tNein\n"
            "Koks 50 g, 250 Stk. Teile auf Anfrage")
    r = extract_record(nlp, id="de1", source="test", title="Kokain 50g", text=text)
    assert (r["price"]["amount"], r["price"]["currency"]) == (2345.6, "EUR")
    assert r["ships_from"] == "PL" and r["ships_to"] == ["EU"]
    assert (r["escrow"], r["finalize_early"]) == (True, False)
    assert r["drugs"][0]["name"] == "cocaine"


TERMS = [
    ("Treuhand:\tNein\nVorkasse (FE):\tJa", False, True),
    ("Séquestre : oui", True, None),
    ("Payment\tEscrow / FE", True, True),
    ("Uses market escrow on every order, we never ask for FE", True, False),
    ("FE required for new buyers", False, True),
]


@pytest.mark.parametrize("text, escrow, fe", TERMS)
def test_terms_in_other_languages(text, escrow, fe):
    t = find_terms(text)
    assert (t.escrow.value if t.escrow else None, t.finalize_early.value if t.finalize_early else None) == (escrow, fe)


def test_german_counts_are_pills(nlp):
    q = nlp("Alprazolam 2 mg - 250 Stk.")._.quantities[0]
    assert (q["value"], q["unit"], q["strength"]) == (250, "pill", {"value": 2, "unit": "mg"})
    q = nlp("LSD, 50 Pappen zu je 200µg")._.quantities[0]
    assert (q["value"], q["unit"], q["strength"]) == (50, "pill", {"value": 200, "unit": "ug"})


VENDORS = [
    ("Sales Section\nKetamine 10g\nby GreenFairy_\nhello all, back in stock\nby buyer12\nthanks", "GreenFairy_", "author"),
    ("Viewing profile - nordlicht\nJoined: 2021", "nordlicht", "text"),
    ("Shop\nLunaPharm\nLevel 3\nWelcome to LunaPharm.\nOxy 30 x 10€90LunaPharmGermany", "LunaPharm", "heading"),
]


@pytest.mark.parametrize("text, name, source", VENDORS)
def test_vendor_without_a_label(text, name, source):
    found = find_vendor(text)
    assert (found.name, found.source) == (name, source)


def test_heading_named_once_is_not_a_vendor():
    assert find_vendor("Shop\nLunaPharm\nLevel 3\nWelcome.") is None


def test_read_only_textarea_keeps_the_key_and_editable_one_is_dropped():
    html = ("<div><textarea readonly>-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nabc\n</textarea>"
            "<textarea name=msg>type here</textarea></div>")
    text = html_to_text(html)
    assert "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nabc" in text and "type here" not in text


def test_market_escrow_address_is_told_apart(nlp):
    text = ("Payment\nbc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq\n"
            "Escrow deposit address: 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 (BTC)")
    roles = {a["address"][:6]: a["role"] for a in nlp(text)._.crypto_addresses}
    assert roles == {"bc1qar": "vendor", "1BvBMS": "escrow_deposit"}
    assert address_role("Treuhand-Einzahlungsadresse: x", 29) == "escrow_deposit"


def test_parallel_extraction_gives_the_same_facts_in_order(nlp):
    from extract import extract_many
    from extract.parallel import extract_parallel
    records = [{"id": i, "text": f"Versand aus: Polen\nPreis: {i},50 €\nKoks {i + 1} g"} for i in range(12)]
    records.insert(5, {"id": "bad", "text": ""})
    serial = list(extract_many(nlp, records))
    parallel = list(extract_parallel(records, processes=2, nlp=nlp, chunk_size=4))
    assert parallel == serial
    assert [r["id"] for r in parallel][:7] == [0, 1, 2, 3, 4, "bad", 5]
    assert parallel[5]["error"]["code"] == "empty_input" and parallel[3]["price"]["amount"] == 3.5
