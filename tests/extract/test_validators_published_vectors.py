"""Every published vector in ``shared/data/dev/crypto-vectors`` (beside the repository), run as is.

The files are read where they are, never copied into the repository. Each valid address must
validate (with the currency, network, kind and decoded payload the file states) and each invalid
one must be rejected. The only entries not run are three bitcoinjs ``fromOutputScript`` scripts
(pay-to-pubkey, bare multisig, OP_RETURN) that have no address form in any format.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import base58
import pytest

from extract.validators import validate_address
from extract.validators.bech32 import Encoding, bech32_decode, decode_segwit, encode_segwit
from extract.errors import ValidatorError
from extract.validators.monero import monero_b58decode

REPO_ROOT = Path(__file__).resolve().parents[2]
VECTORS = REPO_ROOT.parent / "shared" / "data" / "dev" / "crypto-vectors"

if not VECTORS.is_dir():
    pytest.skip(
        f"published crypto vectors not found at {VECTORS} (CI lays shared/ beside the repository)",
        allow_module_level=True,
    )


def _load(name: str):
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))


# --- bech32_bip173_bip350_sipa.json -------------------------------------------------------------------
SIPA = _load("bech32_bip173_bip350_sipa.json")


@pytest.mark.parametrize("text", SIPA["VALID_BECH32"])
def test_sipa_valid_bech32(text):
    assert bech32_decode(text)[2] is Encoding.BECH32


@pytest.mark.parametrize("text", SIPA["VALID_BECH32M"])
def test_sipa_valid_bech32m(text):
    assert bech32_decode(text)[2] is Encoding.BECH32M


def _script_pubkey(version: int, program: bytes) -> str:
    return (bytes([version + 0x50 if version else 0, len(program)]) + program).hex()


@pytest.mark.parametrize("vector", SIPA["VALID_ADDRESS"], ids=lambda v: v["address"][:20])
def test_sipa_valid_address(vector):
    assert validate_address(vector["address"]) is not None
    _, version, program = decode_segwit(vector["address"])
    assert _script_pubkey(version, program) == vector["scriptpubkey_hex"]


@pytest.mark.parametrize("address", SIPA["INVALID_ADDRESS"])
def test_sipa_invalid_address(address):
    assert validate_address(address) is None


@pytest.mark.parametrize("hrp, version, length", SIPA["INVALID_ADDRESS_ENC"])
def test_sipa_invalid_address_encoding(hrp, version, length):
    with pytest.raises(ValidatorError):
        encode_segwit(hrp, version, bytes(length))


# --- bitcoinjs_address_fixtures.json ------------------------------------------------------------------
BITCOINJS = _load("bitcoinjs_address_fixtures.json")
BITCOINJS_NETWORKS = {
    "bitcoin": ("BTC", "mainnet"),
    "testnet": ("BTC", "testnet"),
    "regtest": ("BTC", "regtest"),
    "litecoin": ("LTC", "mainnet"),
}


@pytest.mark.parametrize("vector", BITCOINJS["standard"], ids=lambda v: v.get("base58check") or v["bech32"])
def test_bitcoinjs_standard(vector):
    address = vector.get("base58check") or vector["bech32"]
    info = validate_address(address)
    assert info is not None
    assert (info.currency, info.network) == BITCOINJS_NETWORKS[vector["network"]]
    if "base58check" in vector:
        assert info.kind == ("p2sh" if vector["script"].split()[-1] == "OP_EQUAL" else "p2pkh")
        assert base58.b58decode_check(address) == bytes([vector["version"]]) + bytes.fromhex(vector["hash"])
    else:
        assert decode_segwit(address)[1:] == (vector["version"], bytes.fromhex(vector["data"]))


@pytest.mark.parametrize("vector", BITCOINJS["bech32"], ids=lambda v: v["address"])
def test_bitcoinjs_bech32(vector):
    assert validate_address(vector["address"]) is not None
    expected = (vector["prefix"], vector["version"], bytes.fromhex(vector["data"]))
    assert decode_segwit(vector["address"]) == expected


BITCOINJS_INVALID_ADDRESSES = [
    vector
    for group in ("bech32", "fromBase58Check", "toOutputScript")
    for vector in BITCOINJS["invalid"][group]
]


@pytest.mark.parametrize("vector", BITCOINJS_INVALID_ADDRESSES, ids=lambda v: v["address"])
def test_bitcoinjs_invalid_address(vector):
    address = vector["address"]
    network_hrp = vector.get("network", {}).get("bech32")
    if network_hrp is not None:  # invalid *for that network*: not an address with its hrp
        decoded = decode_segwit(address)
        assert validate_address(address) is None or decoded[0] != network_hrp
    else:
        assert validate_address(address) is None


WITNESS_SCRIPT = re.compile(r"OP_(\d+) ([0-9a-f]+)")
BITCOINJS_WITNESS_SCRIPTS = [
    v for v in BITCOINJS["invalid"]["fromOutputScript"] if WITNESS_SCRIPT.fullmatch(v["script"])
]


@pytest.mark.parametrize("vector", BITCOINJS_WITNESS_SCRIPTS, ids=lambda v: v["script"][:20])
def test_bitcoinjs_invalid_output_script_has_no_valid_address(vector):
    version, program = WITNESS_SCRIPT.fullmatch(vector["script"]).groups()
    try:
        address = encode_segwit("bc", int(version), bytes.fromhex(program))
    except ValidatorError:
        return
    assert validate_address(address) is None  # e.g. a taproot key off the curve


# --- eip55_checksum_vectors.json ------------------------------------------------------------------------
EIP55 = _load("eip55_checksum_vectors.json")


@pytest.mark.parametrize("address", EIP55["valid_checksummed"])
def test_eip55_valid_checksummed(address):
    info = validate_address(address)
    assert (info.currency, info.address, info.checksummed) == ("ETH", address, True)


def test_eip55_lowercase_to_checksummed():
    example = EIP55["lowercase_to_checksummed_example"]
    info = validate_address(example["input"])
    assert (info.address, info.checksummed) == (example["output"], False)


# --- monero_python_test_address.json -------------------------------------------------------------------
MONERO_PY = _load("monero_python_test_address.json")
MONERO_NETS = {"const.NET_MAIN": "mainnet", "const.NET_TEST": "testnet", "const.NET_STAGE": "stagenet"}
MONERO_VALID = [
    (attrs[name], kind, MONERO_NETS[attrs["net"]["unresolved_source"]], attrs)
    for attrs in (case["attrs"] for case in MONERO_PY["classes"])
    for name, kind in (("addr", "standard"), ("iaddr", "integrated"), ("subaddr", "subaddress"))
]
_VALID_STRINGS = {address for address, *_ in MONERO_VALID}
# everything else the test module quotes is there to be rejected: *_invalid, issue 27, Aeon, bad net byte
MONERO_INVALID = sorted(
    {case["attrs"][name] for case in MONERO_PY["classes"] for name in ("addr_invalid", "iaddr_invalid")}
    | (set(MONERO_PY["all_long_string_literals"]) - _VALID_STRINGS)
)


@pytest.mark.parametrize(
    "address, kind, network, attrs", MONERO_VALID, ids=lambda v: v[:12] if isinstance(v, str) else ""
)
def test_monero_python_valid(address, kind, network, attrs):
    info = validate_address(address)
    assert (info.currency, info.network, info.kind) == ("XMR", network, kind)
    raw = monero_b58decode(address)
    if kind != "subaddress":  # a subaddress has its own keys
        assert raw[1:33].hex() == attrs["psk"] and raw[33:65].hex() == attrs["pvk"]
    if kind == "integrated":
        assert raw[65:73].hex() == attrs["pid"]


@pytest.mark.parametrize("address", MONERO_INVALID, ids=lambda v: v[:12])
def test_monero_python_invalid(address):
    assert validate_address(address) is None


# --- monero_{mainnet,testnet,stagenet}_subaddrs.json ------------------------------------------------------
SUBADDRESS_VECTORS = [
    (address, network, "standard" if (major, minor) == (0, 0) else "subaddress")
    for network in ("mainnet", "testnet", "stagenet")
    for major, row in enumerate(_load(f"monero_{network}_subaddrs.json"))
    for minor, address in enumerate(row)
]


@pytest.mark.parametrize("address, network, kind", SUBADDRESS_VECTORS, ids=lambda v: v[:12])
def test_monero_subaddress_tables(address, network, kind):
    info = validate_address(address)
    assert (info.currency, info.network, info.kind) == ("XMR", network, kind)
