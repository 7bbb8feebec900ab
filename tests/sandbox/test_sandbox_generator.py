"""The generator: determinism, sizes, vendor identities and the committed PGP fixture."""
from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import defaultdict

import pytest

from onionwatch.sandbox import build_world, truth_records, write_truth
from onionwatch.sandbox.addresses import is_valid_btc, is_valid_xmr
from onionwatch.sandbox.pgp import load_pgp_keys
from onionwatch.sandbox.vocab import COUNTRIES, HOSTILE_PARAGRAPH, REGIONS


def _truth_bytes(tmp_path, name, seed, **sizes) -> bytes:
    path = tmp_path / name
    write_truth(build_world(seed, **sizes), path)
    return path.read_bytes()


def test_same_seed_same_truth(tmp_path):
    assert _truth_bytes(tmp_path, "a", 5, vendors=8, listings=60) == _truth_bytes(
        tmp_path, "b", 5, vendors=8, listings=60)


def test_default_world_is_reproducible(world, truth):
    again = list(truth_records(build_world(world.seed)))
    assert json.loads(json.dumps(again)) == truth


def test_different_seed_different_truth(tmp_path):
    a = _truth_bytes(tmp_path, "a", 5, vendors=8, listings=60)
    b = _truth_bytes(tmp_path, "b", 6, vendors=8, listings=60)
    assert a != b
    titles = lambda raw: {json.loads(l).get("title") for l in raw.splitlines()}  # noqa: E731
    assert len(titles(a) & titles(b)) < 20


def test_default_size_and_counts(world, truth):
    market = world.markets[0]
    assert (len(market.vendors), len(market.live())) == (40, 400)
    assert len(market.listings) > 400  # listings that appear on later days
    head = truth[0]
    assert head["type"] == "market" and head["family"] == "table"
    assert (head["vendors"], head["listings"]) == (40, 400)
    assert [r["type"] for r in truth].count("listing") == 400
    world = build_world(1, vendors=3, listings=7)
    actors = len({v.actor_id for v in world.markets[0].vendors})
    assert write_truth(world, "/dev/null") == 1 + 3 + 7 + actors + 1


def test_sizes_are_configurable():
    market = build_world(3, vendors=7, listings=55).markets[0]
    assert (len(market.vendors), len(market.live())) == (7, 55)
    assert all(market.vendor_indices(v.handle) for v in market.vendors)  # everyone sells
    with pytest.raises(ValueError):
        build_world(3, vendors=0)


def test_lazy_listings_behave_like_a_sequence(world):
    listings = world.markets[0].listings
    assert listings[-1] == listings[len(listings) - 1]
    assert listings[2:5] == [listings[2], listings[3], listings[4]]
    assert [x.index for x in listings][:3] == [0, 1, 2]
    with pytest.raises(IndexError):
        listings[len(listings)]


def test_listing_ids_and_urls_are_unique(truth_listings):
    assert len({r["listing_id"] for r in truth_listings}) == len(truth_listings)
    assert all(r["url_path"] == f"/listing/{r['listing_id']}" for r in truth_listings)


def test_every_vendor_address_validates(truth_vendors):
    for vendor in truth_vendors:
        assert 1 <= len(vendor["btc"]) <= 3 and all(is_valid_btc(a) for a in vendor["btc"])
        assert len(vendor["xmr"]) == 1 and all(is_valid_xmr(a) for a in vendor["xmr"])


def test_vendor_identities(truth_vendors, truth_listings):
    handles = [v["handle"] for v in truth_vendors]
    assert len({h.lower() for h in handles}) == len(handles)
    assert all(re.fullmatch(r"[A-Za-z0-9_.]+", h) for h in handles)
    by_vendor = defaultdict(list)
    for listing in truth_listings:
        by_vendor[listing["vendor"]].append(listing["listing_id"])
    assert {v["handle"]: v["listings"] for v in truth_vendors} == dict(by_vendor)
    for vendor in truth_vendors:
        kinds = [c["kind"] for c in vendor["contacts"]]
        assert kinds and len(kinds) == len(set(kinds))
        assert set(kinds) <= {"wickr", "telegram", "session", "jabber"}


def test_a_pgp_key_belongs_to_one_actor(truth_vendors):
    actors = defaultdict(set)
    for vendor in truth_vendors:
        if vendor["pgp_fingerprint"]:
            actors[vendor["pgp_fingerprint"]].add(vendor["actor_id"])
    assert actors and all(len(a) == 1 for a in actors.values())
    # the default world has aliases: one actor, two handles, one key
    per_actor = defaultdict(list)
    for vendor in truth_vendors:
        per_actor[vendor["actor_id"]].append(vendor)
    aliases = [vs for vs in per_actor.values() if len(vs) > 1]
    assert aliases
    for group in aliases:
        assert len({v["pgp_fingerprint"] for v in group}) == 1


def test_more_actors_than_keys_leaves_some_without_a_key():
    market = build_world(9, vendors=70, listings=80).markets[0]
    keyed = defaultdict(set)
    for vendor in market.vendors:
        if vendor.pgp:
            keyed[vendor.pgp.fingerprint].add(vendor.actor_id)
    assert any(v.pgp is None for v in market.vendors)
    assert all(len(a) == 1 for a in keyed.values())


def test_listing_fields_are_consistent(truth_listings):
    codes = set(COUNTRIES) | set(REGIONS)
    for r in truth_listings:
        assert r["title"] == " ".join(r["title"].split())
        assert isinstance(r["price_usd"], float) and r["price_text"] == f"${r['price_usd']:,.2f}"
        assert r["price_btc_text"] == f"{r['price_btc']:.8f} BTC"
        assert r["price_xmr_text"] == f"{r['price_xmr']:.6f} XMR"
        assert r["ships_from"] in codes and set(r["ships_to"]) <= codes
        assert len(r["ships_to_text"].split(", ")) == len(r["ships_to"])
        assert r["quantity"]["unit"] in {"g", "kg", "oz", "lb", "pill", "tab"}
        assert r["strength"] is None or r["strength"]["unit"] in {"mg", "ug"}
        assert r["description"] == "\n\n".join(r["description_paragraphs"])
        assert not (r["escrow"] is False and r["finalize_early"] is False)


def test_content_covers_the_drug_market(truth_listings):
    drugs = {r["drug"] for r in truth_listings}
    assert {"fentanyl", "heroin", "cocaine", "methamphetamine", "alprazolam"} <= drugs
    assert any(r["form"] == "pressed_pill" for r in truth_listings)
    assert any("M30" in r["title"] for r in truth_listings)


def test_exactly_one_hostile_listing(truth_listings):
    hostile = [r for r in truth_listings if "<script>" in r["description"]]
    assert len(hostile) == 1
    assert HOSTILE_PARAGRAPH in hostile[0]["description_paragraphs"]


# --- the committed PGP fixture -------------------------------------------------------------------
def _crc24(data: bytes) -> int:
    crc = 0xB704CE
    for byte in data:
        crc ^= byte << 16
        for _ in range(8):
            crc <<= 1
            if crc & 0x1000000:
                crc ^= 0x1864CFB
    return crc & 0xFFFFFF


def _packets(data: bytes):
    """Yield ``(tag, body)`` of OpenPGP packets (RFC 4880 section 4.2, both header formats)."""
    pos = 0
    while pos < len(data):
        head = data[pos]
        assert head & 0x80, "not a packet header"
        if head & 0x40:  # new format
            tag, first = head & 0x3F, data[pos + 1]
            if first < 192:
                length, pos = first, pos + 2
            elif first < 224:
                length, pos = ((first - 192) << 8) + data[pos + 2] + 192, pos + 3
            else:
                assert first == 255, "partial lengths are not used in key blocks"
                length, pos = int.from_bytes(data[pos + 2: pos + 6], "big"), pos + 6
        else:
            tag, size = (head >> 2) & 0x0F, 1 << (head & 0x03)
            length = int.from_bytes(data[pos + 1: pos + 1 + size], "big")
            pos += 1 + size
        yield tag, data[pos: pos + length]
        pos += length


def test_pgp_fixture_holds_real_openpgp_keys():
    keys = load_pgp_keys()
    assert len(keys) >= 40
    assert len({k.fingerprint for k in keys}) == len(keys)
    for key in keys:
        lines = key.armored.splitlines()
        assert lines[0] == "-----BEGIN PGP PUBLIC KEY BLOCK-----"
        assert lines[-1] == "-----END PGP PUBLIC KEY BLOCK-----"
        body_start = lines.index("") + 1
        checksum = lines[-2]
        assert checksum.startswith("=")
        data = base64.b64decode("".join(lines[body_start:-2]))
        assert _crc24(data).to_bytes(3, "big") == base64.b64decode(checksum[1:])
        packets = list(_packets(data))
        tag, primary = packets[0]
        assert tag == 6 and primary[0] == 4  # v4 public key
        assert primary[5] == 22  # EdDSA (ed25519)
        v4 = hashlib.sha1(b"\x99" + len(primary).to_bytes(2, "big") + primary).hexdigest()
        assert v4.upper() == key.fingerprint
        uids = [body.decode() for t, body in packets if t == 13]
        assert uids == [key.uid] and key.uid.endswith("@sandbox.invalid>")
        assert any(t == 14 for t, _ in packets)  # encryption subkey
