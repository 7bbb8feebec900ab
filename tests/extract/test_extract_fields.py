"""Vendor, trade terms, contacts, keys, crypto addresses, price tiers and page chrome: tables of
strings written for these tests in the shapes markets use (labelled cells, colon fields, free text)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from extract import extract_record
from extract.html import html_to_text
from extract.parsers.contacts import find_contacts
from extract.parsers.terms import find_terms
from extract.parsers.tiers import price_tiers, unit_price
from extract.parsers.vendor import find_vendor

FIXTURES = Path(__file__).parent / "fixtures"

VENDORS = [
    ("Vendor\tnorthstar (1200) (4.9)", "northstar", "label"),          # tab cell, ratings after
    ("Sold by: @green_leaf", "green_leaf", "label"),
    ("Seller :\nDutchDirect", "DutchDirect", "label"),                # value on the next line
    ("Username\tJoy.Inc (680) (4.96 )", "Joy.Inc", "label"),
    ("Terms and conditions of PHARMA24\nNo refunds", "PHARMA24", "text"),
    ("Home\nTopShelfNL (97%) Seller Level 2 (111) Trust Level 3", "TopShelfNL", "rating"),
]


@pytest.mark.parametrize("text, name, source", VENDORS)
def test_vendor(text, name, source):
    found = find_vendor(text)
    assert (found.name, found.source) == (name, source)
    assert text[found.start:found.end] == name


@pytest.mark.parametrize("text", [
    "Vendor application\nForum",                                      # a menu item, no separator
    "Vendor: we ship fast and discreet",                              # a sentence, not a handle
    "User Profile :\nbuyer42 (100%) Member Level 0\nUser Type : Buyer",  # a buyer's profile
    "Seller\tVerified",
])
def test_no_vendor(text):
    assert find_vendor(text) is None


TERMS = [
    ("Escrow\tYes", True, None),
    ("Escrow: No\nFE enabled\tYes", False, True),
    ("FE : Not Allowed", None, False),
    ("Payment :\tFull Escrow", True, False),
    ("Payment :\t7 Days Escrow", True, False),
    ("Payment type: Finalize Early", False, True),
    ("We are 100% FE, no exceptions", False, True),
    ("We offer full escrow on all orders", True, False),
    ("Escrow only. NO FE!", True, False),
    ("Please finalize when the package arrives", None, None),
]


@pytest.mark.parametrize("text, escrow, fe", TERMS)
def test_terms(text, escrow, fe):
    t = find_terms(text)
    assert (t.escrow.value if t.escrow else None, t.finalize_early.value if t.finalize_early else None) == (escrow, fe)
    for term in (t.escrow, t.finalize_early):
        if term:
            assert 0 <= term.start < term.end <= len(text)


def test_labels_beat_free_text():
    t = find_terms("FE enabled\tNo\nAsk me about 100% FE for regulars")
    assert (t.finalize_early.value, t.finalize_early.source) == (False, "label")


def test_shipping_methods():
    assert [m.name for m in find_terms("Express via DHL, stealth vacuum sealed, tracked").methods] == [
        "express", "dhl", "stealth", "tracked"]


SESSION = "05" + "ab" * 32
CONTACTS = [
    ("E-Mail : shop@protonmail.com", [("email", "shop@protonmail.com")]),
    ("Jabber : dealer@xmpp.jp", [("jabber", "dealer@xmpp.jp")]),
    ("contact: XMPP dealer@exploit.im", [("jabber", "dealer@exploit.im")]),
    ("mail me at joris127@torboxabcdefghij.onion", [("email", "joris127@torboxabcdefghij.onion")]),
    ("CS - Wickr : HGSERVICE", [("wickr", "HGSERVICE")]),
    ("ADD OUR NEW WICKR SENORHATS", [("wickr", "SENORHATS")]),
    ("Telegram: @fast_ship24 or t.me/backup_chan", [("telegram", "fast_ship24"), ("telegram", "backup_chan")]),
    (f"Session ID: {SESSION}", [("session", SESSION)]),
    ("Signal: +44 7700 900123", [("signal", "+44 7700 900123")]),
    ("Threema ID: AB3D5F7H", [("threema", "AB3D5F7H")]),
    ("WiCKR : just ask me", []),
    ("we also have a group chat on wickr including regulars", []),
    ('Jabber : <script>console.log("hey")</script>', []),
    ("Wickr & Email support only for bulk buyers", []),
]


@pytest.mark.parametrize("text, expected", CONTACTS)
def test_contacts(text, expected):
    found = find_contacts(text)
    assert [(c.kind, c.value) for c in found] == expected
    assert all(text[c.start:c.end] == c.value for c in found if c.kind != "session")


def test_no_contacts_inside_pgp_armor():
    armor = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQENBF+TGEAGkklOGWefyzOsEDv7Je\n-----END PGP PUBLIC KEY BLOCK-----"
    assert find_contacts(armor) == []


def test_price_tiers_and_unit_price(nlp):
    text = "Cocaine 90%\n1g - $80\n3.5g - $250\n7g - $450"
    doc = nlp(text)
    assert [(t["quantity"], t["unit"], t["amount"]) for t in doc._.price_tiers] == [(1, "g", 80.0), (3.5, "g", 250.0),
                                                                                   (7, "g", 450.0)]
    assert doc._.unit_price["amount"] == 80.0 and doc._.unit_price["unit"] == "g"
    one_line = [{"value": 100, "unit": "pill", "strength": None, "span": [0, 9]}]
    assert price_tiers("100 pills $200", one_line, [{"amount": 200.0, "currency": "USD", "span": [10, 14]}]) == []
    assert unit_price(200.0, one_line[0]) == {"amount": 2.0, "unit": "pill"}
    assert unit_price(200.0, {"value": 50, "unit": "mg"}) is None  # a dose is not an amount


def test_full_listing_record(nlp):
    html = """<html><body><nav><a href="/c/1">Cannabis</a><a href="/c/2">Opioids</a></nav>
    <div class="side"><div><a href="/c/3">Ecstasy</a></div><div><a href="/c/4">Benzos</a></div>
    <div><a href="/c/5">Stimulants</a></div><div><a href="/c/6">Steroids</a></div></div>
    <h1>100x Oxycodone 30mg M30</h1>
    <table><tr><th>Seller</th><td><a href="/u/northstar">northstar</a> (412)</td></tr>
    <tr><th>Price</th><td>0.005 BTC</td></tr><tr><th>Origin</th><td>Canada</td></tr>
    <tr><th>Escrow</th><td>Yes</td></tr><tr><th>FE</th><td>No</td></tr></table>
    <p>Contact: Wickr northstar_cs. Tips: bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq</p></body></html>"""
    r = extract_record(nlp, id="l1", source="t", html=html, details=True)
    assert {d["class"] for d in r["drugs"]} == {"opioid", "pressed_pill"}  # no sidebar categories
    assert (r["vendor"], r["ships_from"], r["escrow"], r["finalize_early"]) == ("northstar", "CA", True, False)
    assert r["contacts"][0]["kind"] == "wickr" and r["contacts"][0]["value"] == "northstar_cs"
    assert r["crypto_addresses"][0]["currency"] == "BTC"
    text = html_to_text(html)
    assert text[slice(*r["spans"]["vendor"])] == "northstar"
    assert text[slice(*r["spans"]["escrow"])] == "Yes"
    assert r["details"]["per_unit"]["unit"] == "pill" and r["details"]["per_unit"]["amount"] == pytest.approx(0.00005)


def test_bad_checksum_is_no_address(nlp):
    r = extract_record(nlp, id="a", source=None, text="BTC: bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdx")
    assert r["crypto_addresses"] == []


def test_pgp_key_with_line_breaks_stripped(nlp):
    expected = json.loads((FIXTURES / "pgp_test_keys.json").read_text())["keys"]
    armored = (FIXTURES / "pgp_test_rsa.asc").read_text()
    flat = " ".join(line for line in armored.splitlines())
    for text in (f"My key:\n{armored}", f"My key: {flat}"):
        r = extract_record(nlp, id="k", source=None, text=text)
        assert [k["fingerprint"] for k in r["pgp_keys"]] and r["pgp_keys"][0]["fingerprint"] in expected
        assert text[slice(*r["pgp_keys"][0]["span"])].startswith("-----BEGIN PGP PUBLIC KEY BLOCK-----")


def test_navigation_runs_are_dropped_but_rate_tables_kept():
    html = ("<div><a href='/1'>Cannabis 120</a></div><div><a href='/2'>Opioids 80</a></div>"
            "<div><a href='/3'>Benzos 50</a></div><table><tr><td><a href='?c=BTC'>BTC</a></td><td>1.0</td></tr>"
            "<tr><td><a href='?c=USD'>USD</a></td><td>9000</td></tr></table><p>Ships to: <a href='/s'>US</a></p>")
    assert html_to_text(html) == "BTC\t1.0\nUSD\t9000\nShips to: US"
    assert html_to_text(html, keep_boilerplate=True).startswith("Cannabis 120\nOpioids 80\nBenzos 50")


def test_bad_files_give_error_objects_and_the_run_goes_on(nlp, tmp_path):
    from extract import extract_path
    (tmp_path / "a_empty.txt").write_bytes(b"")
    (tmp_path / "b_binary.html").write_bytes(b"\x00\x01\x02PK\x03\x04" * 1000)
    (tmp_path / "c_latin1.html").write_bytes(b"<p>Caf\xe9 10g MDMA</p>")
    with open(tmp_path / "d_huge.html", "wb") as fh:  # 50 MB page
        fh.write(b"<html><body>" + b"<p>10g speed paste</p>" * (50 * 1024 * 1024 // 21) + b"</body></html>")
    (tmp_path / "e_good.txt").write_text("Vendor: okshop\n5g MDMA\nPrice: $40", encoding="utf-8")
    results = {Path(r["id"]).name: r for r in extract_path(nlp, tmp_path)}
    assert results["a_empty.txt"]["error"]["code"] == "empty_input"
    assert results["b_binary.html"]["error"]["code"] == "binary_input"
    # no declared charset and not UTF-8: decoded as w3lib detects it (windows-1252), not refused
    assert "error" not in results["c_latin1.html"] and results["c_latin1.html"]["drugs"][0]["span"] == [9, 13]
    assert results["d_huge.html"]["error"]["code"] == "input_too_large"
    assert results["e_good.txt"]["vendor"] == "okshop" and results["e_good.txt"]["price"]["amount"] == 40.0
