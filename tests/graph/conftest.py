"""A small hand-made world for the graph tests: aliases, and the hard negatives that must not link."""
from __future__ import annotations

import pytest

from extract.validators.bech32 import encode_segwit

ESCROW = encode_segwit("bc", 0, bytes(range(20)))
SHARED_BTC = encode_segwit("bc", 0, bytes(range(1, 21)))
KEY_A = "A" * 40
KEY_B = "B" * 40
KEY_C = "C" * 40
COPIED = ("Hand pressed in our own lab with a calibrated press every single week. "
          "Each order ships in a double vacuum sealed mylar bag with a decoy letter.")
TEMPLATE = "Stealth shipping worldwide. No refunds on FE orders. Please encrypt your address."


def _ev(record_id: str) -> dict:
    return {"warc_file": "t.warc.gz", "record_id": record_id, "digest": "sha256:" + "A" * 52,
            "fetched_at": "2026-01-01T00:00:00Z", "url": f"http://m.invalid/{record_id}"}


def vendor(market, handle, *, pgp=None, btc=(), contacts=(), profile=""):
    return {"kind": "vendor", "market": market, "handle": handle, "btc_addresses": [ESCROW, *btc],
            "contacts": ["Telegram: @market_support", *contacts], "profile_text": profile,
            "extracted": {"pgp_keys": [{"fingerprint": pgp}] if pgp else []}, "evidence": _ev(f"v-{market}-{handle}")}


def listing(market, listing_id, handle, *, text=TEMPLATE, drug="fentanyl", drug_class="fentanyl",
            ships_from="CA", ships_to=("US",), photos=()):
    return {"kind": "listing", "market": market, "listing_id": listing_id, "vendor": handle,
            "title": drug, "description": text, "drugs": [drug], "drug_classes": [drug_class],
            "ships_from": ships_from, "ships_to": list(ships_to),
            "photos": [{"phash": p} for p in photos], "evidence": _ev(f"l-{market}-{listing_id}")}


@pytest.fixture
def world() -> tuple[list[dict], dict[str, str]]:
    """Records and the truth ``account -> actor``."""
    truth = {}
    records = []

    def add(rec, actor):
        records.append(rec)
        if rec["kind"] == "vendor":
            truth[f"{rec['market']}/{rec['handle']}"] = actor

    # actor 1: same PGP key on two markets
    add(vendor("empire", "DrWhite", pgp=KEY_A, contacts=["Wickr: whiteline"]), "1")
    add(vendor("versus", "dr.white", pgp=KEY_A), "1")
    # actor 2: only a shared Bitcoin address
    add(vendor("empire", "NorthLab", btc=[SHARED_BTC]), "2")
    add(vendor("abacus", "labnorth", btc=[SHARED_BTC]), "2")
    # actor 3: no strong identifier; handle variant, copied text and a reused photo
    add(vendor("empire", "GhostPharma"), "3")
    add(vendor("bohemia", "ghost_pharma420"), "3")
    records.append(listing("empire", "31", "GhostPharma", text=COPIED + " " + TEMPLATE, photos=["8f3e2a1b4c5d6e7f"]))
    records.append(listing("bohemia", "32", "ghost_pharma420", text=COPIED, photos=["8f3e2a1b4c5d6e7e"]))
    # hard negative: an impersonator of DrWhite (same handle, copied text) under its own key
    add(vendor("abacus", "DrWhite", pgp=KEY_B), "4")
    records.append(listing("empire", "11", "DrWhite", text=COPIED.replace("lab", "kitchen")))
    records.append(listing("abacus", "41", "DrWhite", text=COPIED.replace("lab", "kitchen")))
    # hard negatives: unrelated vendors sharing the template, a stock photo and the escrow address
    for i in range(8):
        add(vendor("empire", f"Vendor{i}x", pgp=None if i % 2 else f"{i}" * 40), f"n{i}")
        records.append(listing("empire", f"9{i}", f"Vendor{i}x", photos=["0123456789abcdef"],
                               ships_to=("WW",) if i == 0 else ("DE",), drug="cannabis", drug_class="cannabis"))
    add(vendor("versus", "Loner", pgp=KEY_C), "5")
    return records, truth
