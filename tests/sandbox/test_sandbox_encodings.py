"""Address encoders and hashes against published vectors, grouped by where they come from."""
from __future__ import annotations

import hashlib
import random

import pytest

from onionwatch.sandbox.addresses import (
    btc_p2pkh,
    btc_p2wpkh,
    is_valid_btc,
    is_valid_xmr,
    xmr_address_from_keys,
    xmr_standard,
)
from onionwatch.sandbox.ed25519 import is_on_curve, publickey_from_scalar
from onionwatch.sandbox.encodings import (
    base58_decode,
    base58_encode,
    base58check_decode,
    bech32_decode,
    convertbits,
    xmr_base58_decode,
    xmr_base58_encode,
)
from onionwatch.sandbox.keccak import keccak256, keccak256_reference

# Keccak team / Ethereum: Keccak-256 (original padding).
KECCAK = [
    (b"", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"),
    (b"abc", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"),
]

# Bitcoin Core src/test/data/base58_encode_decode.json
BASE58 = [
    ("", ""), ("61", "2g"), ("626262", "a3gV"), ("636363", "aPEr"),
    ("73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2"),
    ("00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"),
    ("516b6fcd0f", "ABnLTmg"), ("bf4f89001e670274dd", "3SEo3LWLoPntC"), ("572e4794", "3EFU7m"),
    ("ecac89cad93923c02321", "EJDM8drfXA6uyA"), ("10c8511e", "Rt5zm"),
    ("00000000000000000000", "1111111111"),
]

# BIP 173 test vectors.
BECH32_VALID = [
    "A12UEL5L", "a12uel5l",
    "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
    "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
    "11" + "q" * 82 + "c8247j",  # 90 characters, the maximum
    "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
]
BECH32_INVALID = ["pzry9x0s0muk", "1pzry9x0s0muk", "x1b4n0q5v", "li1dgmt3", "A1G7SGD8", "10a06t8",
                  "1qzzfhee", "de1lg7wt\xff"]
BIP173_ADDRESS = ("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
                  "751e76e8199196d454941c45d1b3a323f1433bd6")
BIP173_NOT_P2WPKH = [
    "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx",  # testnet
    "bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du",  # witness v2
    "BC13W508D6QEJXTDG4Y5R3ZARVARY0C5XW7KN40WF2",  # invalid witness version
    "bc1rw5uspcuh",  # invalid program length
    "bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du",
    "bc1gmk9yu",  # empty data section
]

# Monero tests/unit_tests/base58.cpp (encode_block vectors) and monero-rs base58-monero.
XMR_BASE58 = [
    ("00", "11"), ("39", "1z"), ("ff", "5Q"), ("0000", "111"), ("0039", "11z"), ("0100", "15R"),
    ("ffff", "LUv"), ("000000", "11111"), ("ffffff", "2UzHL"), ("ffffffff", "7YXq9G"),
    ("ffffffffff", "VtB5VXc"), ("ffffffffffffffff", "jpXCZedGfVQ"),
    ("0000000000000000", "11111111111"), ("0000000000000001", "11111111112"),
    ("06156013762879f7", "22222222222"), ("05e022ba374b2a00", "1z111111111"),
    (b"1~2-3_4.5".hex(), "9H9LDS3DZM71v"),
]
# python-hdwallet tests/data/addresses.json (SLIP10-Ed25519-Monero).
XMR_KEYS = ("628247d3de93857cdd360fee4aef9a67ecfebedfe8eaec9cf6be35eacc895ca7",
            "1bc7b28fdaec0ec300c8c2759b1bf01f5300bb8465f736c55d64c5d87ec5e311",
            "45MdDdMknD2MtLcqtCBAfTJPDBhBiQ2QjTFkG6kbAYyhUxAPk2iygXPZcmtgou9dBV6EtHgRFYkMja1gncWwRdUv2vsuWU7")
# The Monero general fund's published donation address.
XMR_DONATION = ("44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3"
                "RVGQBEP3A")

# RFC 8032 section 7.1, tests 1 and 2: secret key -> public key.
ED25519 = [
    ("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"),
    ("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"),
]


@pytest.mark.parametrize(("data", "digest"), KECCAK)
def test_keccak256(data, digest):
    assert keccak256(data).hex() == digest
    assert keccak256_reference(data).hex() == digest
    assert keccak256(data) != hashlib.sha3_256(data).digest()


def test_keccak256_multi_block():
    # 200 bytes crosses the 136-byte rate; differs from one-block inputs and is stable.
    assert keccak256(b"a" * 200) != keccak256(b"a" * 199)
    assert len(keccak256(b"a" * 1000)) == 32


@pytest.mark.parametrize(("hexdata", "text"), BASE58)
def test_base58(hexdata, text):
    assert base58_encode(bytes.fromhex(hexdata)) == text
    assert base58_decode(text) == bytes.fromhex(hexdata)


def test_base58check_genesis_address():
    payload = base58check_decode("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")
    assert payload.hex() == "0062e907b15cbf27d5425399ebf6f0fb50ebb88f18"
    assert is_valid_btc("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")
    assert not is_valid_btc("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb")


@pytest.mark.parametrize("text", BECH32_VALID)
def test_bech32_valid(text):
    hrp, _ = bech32_decode(text)
    assert hrp == text[: text.rfind("1")].lower()


@pytest.mark.parametrize("text", BECH32_INVALID)
def test_bech32_invalid(text):
    with pytest.raises(ValueError):
        bech32_decode(text)


def test_bip173_p2wpkh_address():
    address, program = BIP173_ADDRESS
    hrp, data = bech32_decode(address)
    assert (hrp, data[0]) == ("bc", 0)
    assert bytes(convertbits(data[1:], 5, 8, pad=False)).hex() == program
    assert is_valid_btc(address)


@pytest.mark.parametrize("address", BIP173_NOT_P2WPKH)
def test_bip173_addresses_that_are_not_mainnet_p2wpkh(address):
    assert not is_valid_btc(address)


@pytest.mark.parametrize(("hexdata", "text"), XMR_BASE58)
def test_monero_base58(hexdata, text):
    assert xmr_base58_encode(bytes.fromhex(hexdata)) == text
    assert xmr_base58_decode(text) == bytes.fromhex(hexdata)


def test_monero_address_from_published_keys():
    spend, view, address = XMR_KEYS
    assert xmr_address_from_keys(bytes.fromhex(spend), bytes.fromhex(view)) == address
    assert is_valid_xmr(address)


def test_monero_published_donation_address_validates():
    assert is_valid_xmr(XMR_DONATION)
    broken = XMR_DONATION[:-1] + ("B" if XMR_DONATION[-1] != "B" else "C")
    assert not is_valid_xmr(broken)


@pytest.mark.parametrize(("secret", "public"), ED25519)
def test_ed25519_public_key(secret, public):
    h = bytearray(hashlib.sha512(bytes.fromhex(secret)).digest()[:32])
    h[0] &= 248
    h[31] &= 127
    h[31] |= 64
    assert publickey_from_scalar(int.from_bytes(h, "little")).hex() == public
    assert is_on_curve(bytes.fromhex(public))


def test_generated_addresses_validate_and_vary():
    rng = random.Random("encoders")
    p2pkh = [btc_p2pkh(rng) for _ in range(20)]
    p2wpkh = [btc_p2wpkh(rng) for _ in range(20)]
    xmr = [xmr_standard(rng) for _ in range(5)]
    assert all(a.startswith("1") and is_valid_btc(a) for a in p2pkh)
    assert all(a.startswith("bc1q") and len(a) == 42 and is_valid_btc(a) for a in p2wpkh)
    assert all(a.startswith("4") and len(a) == 95 and is_valid_xmr(a) for a in xmr)
    assert len(set(p2pkh + p2wpkh + xmr)) == 45


def test_single_character_errors_are_caught():
    rng = random.Random("typos")
    for address in (btc_p2pkh(rng), btc_p2wpkh(rng), xmr_standard(rng)):
        pos = len(address) - 3
        typo = address[:pos] + ("q" if address[pos] != "q" else "p") + address[pos + 1:]
        valid = is_valid_xmr if address.startswith("4") else is_valid_btc
        assert valid(address) and not valid(typo)


def test_public_keys_are_right_when_threads_race_to_build_the_table():
    import concurrent.futures

    from onionwatch.sandbox import ed25519

    ed25519._COMB = None
    scalars = [(7 ** k) % ed25519.L for k in range(1, 65)]
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        raced = list(pool.map(ed25519.publickey_from_scalar, scalars))
    assert raced == [ed25519.publickey_from_scalar(s) for s in scalars]
