"""Vendor identifiers come from the extraction's contract keys; a market's escrow address is not one."""
from __future__ import annotations

from graph.identifiers import vendor_identifiers

VENDOR_BTC = "1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH"
ESCROW_BTC = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"


def test_extracted_keys_and_addresses_are_used_and_escrow_deposits_dropped():
    doc = {"market": "m", "handle": "a", "evidence": None, "extracted": {
        "pgp_keys": [{"fingerprint": "ab" * 20, "user_ids": ["a <a@x.invalid>"]}],
        "crypto_addresses": [{"currency": "BTC", "address": VENDOR_BTC, "role": "vendor"},
                             {"currency": "BTC", "address": ESCROW_BTC, "role": "escrow_deposit"}]}}
    found = {(i.kind, i.value) for i in vendor_identifiers(doc)}
    assert ("pgp", "AB" * 20) in found
    values = {value for _, value in found}
    assert any(VENDOR_BTC in v for v in values)
    assert not any(ESCROW_BTC in v for v in values)
