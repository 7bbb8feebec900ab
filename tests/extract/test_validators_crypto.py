"""Address validators against the specifications' own examples, grouped by where they come from.

Every string here is a public fact quoted from the named document (BIP173, BIP350, EIP-55, the
Bitcoin wiki, getmonero.org), or is built in the test from a stated payload.
"""
from __future__ import annotations

import base58
import pytest

from extract.validators import AddressInfo, find_addresses, validate_address
from extract.validators._keccak import keccak256
from extract.validators.bech32 import Encoding, bech32_decode, decode_segwit, encode_segwit
from extract.errors import ValidatorError
from extract.validators.ethereum import to_checksum_address
from extract.validators.monero import monero_b58decode, monero_b58encode

# --- BIP173 / BIP350: bech32 and bech32m strings -------------------------------------------------
BIP173_VALID_BECH32 = [
    "A12UEL5L",
    "a12uel5l",
    "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
    "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
    "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
    "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
    "?1ezyfcl",
]
BIP350_VALID_BECH32M = [
    "A1LQFN3A",
    "a1lqfn3a",
    "an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6",
    "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
    "11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllludsr8",
    "split1checkupstagehandshakeupstreamerranterredcaperredlc445v",
    "?1v759aa",
]
BIP173_INVALID_BECH32 = [
    "\x201nwldj5",  # hrp character out of range
    "\x7f1axkwrx",
    "\x801eym55h",
    "an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx",
    "pzry9x0s0muk",  # no separator
    "1pzry9x0s0muk",  # empty hrp
    "x1b4n0q5v",  # invalid data character
    "li1dgmt3",  # checksum too short
    "de1lg7wt\xff",  # invalid character in checksum
    "A1G7SGD8",  # checksum computed with the upper-case hrp
    "10a06t8",
    "1qzzfhee",
]
BIP350_INVALID_BECH32M = [
    "\x201xj0phk",
    "\x7f1g6xzxy",
    "\x801vctc34",
    "an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pts4",
    "qyrz8wqd2c9m",
    "1qyrz8wqd2c9m",
    "y1b0jsk6g",
    "lt1igcx5c0",
    "in1muywd",
    "mm1crxm3i",
    "au1s5cgom",
    "M1VUXWEZ",
    "16plkw9",
    "1p2gdwpf",
]


@pytest.mark.parametrize("text", BIP173_VALID_BECH32)
def test_bip173_valid_bech32(text):
    assert bech32_decode(text)[2] is Encoding.BECH32


@pytest.mark.parametrize("text", BIP350_VALID_BECH32M)
def test_bip350_valid_bech32m(text):
    assert bech32_decode(text)[2] is Encoding.BECH32M


@pytest.mark.parametrize("text", BIP173_INVALID_BECH32 + BIP350_INVALID_BECH32M)
def test_bip173_bip350_invalid_strings(text):
    assert bech32_decode(text) is None


# --- BIP173 / BIP350: segwit addresses ------------------------------------------------------------
SEGWIT_VALID = [  # (address, scriptPubKey hex, kind)
    ("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "0014751e76e8199196d454941c45d1b3a323f1433bd6", "p2wpkh"),
    ("tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
     "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262", "p2wsh"),
    ("bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
     "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6", "witness_v1"),
    ("BC1SW50QGDZ25J", "6002751e", "witness_v16"),
    ("bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "5210751e76e8199196d454941c45d1b3a323", "witness_v2"),
    ("tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy",
     "0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433", "p2wsh"),
    ("tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c",
     "5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433", "p2tr"),
    ("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
     "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", "p2tr"),
]
SEGWIT_INVALID = [
    # BIP173
    "tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty",  # unknown hrp
    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5",  # bad checksum
    "BC13W508D6QEJXTDG4Y5R3ZARVARY0C5XW7KN40WF2",  # witness version 17
    "bc1rw5uspcuh",  # program of 1 byte
    "bc10w508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kw5rljs90",  # 41 bytes
    "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P",  # v0 program of 16 bytes
    "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7",  # mixed case
    "bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du",  # more than 4 padding bits
    "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3pjxtptv",  # non-zero padding
    "bc1gmk9yu",  # empty data
    # BIP350
    "tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut",  # unknown hrp
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",  # v1 with bech32
    "tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf",  # v2 with bech32
    "BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL",  # v16 with bech32
    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",  # v0 with bech32m
    "tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47",  # v0 with bech32m
    "bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4",  # invalid character
    "BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R",  # witness version 17
    "bc1pw5dgrnzv",  # program of 1 byte
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav",  # 41 bytes
    "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P",
    "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq",  # mixed case
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf",  # padding
    "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j",  # non-zero padding
    "bc1gmk9yu",
]


def _script_pubkey(version: int, program: bytes) -> str:
    return (bytes([version + 0x50 if version else 0, len(program)]) + program).hex()


@pytest.mark.parametrize("address, script_hex, kind", SEGWIT_VALID)
def test_segwit_valid(address, script_hex, kind):
    hrp, version, program = decode_segwit(address)
    assert _script_pubkey(version, program) == script_hex
    info = validate_address(address)
    assert (info.currency, info.kind, info.address) == ("BTC", kind, address.lower())
    assert info.network == ("mainnet" if hrp == "bc" else "testnet")
    assert encode_segwit(hrp, version, program) == address.lower()


@pytest.mark.parametrize("address", SEGWIT_INVALID)
def test_segwit_invalid(address):
    assert validate_address(address) is None


@pytest.mark.parametrize(
    "hrp, version, length", [("BC", 0, 20), ("bc", 0, 21), ("bc", 17, 32), ("bc", 1, 1), ("bc", 16, 41)]
)
def test_bip173_bip350_invalid_encodings(hrp, version, length):
    with pytest.raises(ValidatorError) as raised:
        encode_segwit(hrp, version, bytes(length))
    assert raised.value.code == "ENC001"


def test_taproot_key_must_be_on_the_curve():
    # BIP341 output key = x coordinate; p - 977 and friends are not x coordinates of any point
    off_curve = bytes.fromhex("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f")  # = p
    assert validate_address(encode_segwit("bc", 1, off_curve)) is None
    generator_x = bytes.fromhex("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")
    assert validate_address(encode_segwit("bc", 1, generator_x)).kind == "p2tr"


# --- Litecoin: the same codecs with Litecoin's version bytes and hrps ------------------------------
HASH160 = bytes.fromhex("751e76e8199196d454941c45d1b3a323f1433bd6")


@pytest.mark.parametrize(
    "version, first, expected",
    [
        (0, "1", ("BTC", "mainnet", "p2pkh", ())),
        (5, "3", ("BTC", "mainnet", "p2sh", ("LTC",))),
        (111, "m", ("BTC", "testnet", "p2pkh", ("LTC",))),
        (196, "2", ("BTC", "testnet", "p2sh", ("LTC",))),
        (48, "L", ("LTC", "mainnet", "p2pkh", ())),
        (50, "M", ("LTC", "mainnet", "p2sh", ())),
        (58, "Q", ("LTC", "testnet", "p2sh", ())),
    ],
)
def test_base58check_version_table(version, first, expected):
    address = base58.b58encode_check(bytes([version]) + HASH160).decode()
    assert address[0] == first
    info = validate_address(address)
    assert (info.currency, info.network, info.kind, info.ambiguous_with) == expected


@pytest.mark.parametrize(
    "hrp, network", [("ltc", "mainnet"), ("tltc", "testnet"), ("rltc", "regtest"), ("bcrt", "regtest")]
)
def test_segwit_hrp_table(hrp, network):
    info = validate_address(encode_segwit(hrp, 0, HASH160))
    assert (info.network, info.kind) == (network, "p2wpkh")
    assert info.currency == ("LTC" if "ltc" in hrp else "BTC")


# --- Bitcoin wiki: Base58Check ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "address, kind",
    [
        ("16UwLL9Risc3QfPqBUvKofHmBQ7wMtjvM", "p2pkh"),  # "Technical background of version 1 addresses"
        ("1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH", "p2pkh"),  # hash160 of BIP173's example key
        ("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "p2sh"),  # wiki "Invoice address" example
    ],
)
def test_base58check_valid(address, kind):
    assert validate_address(address).kind == kind


@pytest.mark.parametrize(
    "address",
    [
        "16UwLL9Risc3QfPqBUvKofHmBQ7wMtjvN",  # last character changed
        "16UwLL9Risc3QfPqBUvKofHmBQ7wMtjv",  # truncated
        "16UwLL9Risc3QfPqBUvKofHmBQ7wMtjvM1",  # extended
        "16UwLL9Risc3QfPqBUvKofHmBQ7wMtjv0",  # 0 is not Base58
        "16UwLL9Risc3QfPqBUvKofHmBQ7wMtjvé",
        base58.b58encode_check(bytes([1]) + HASH160).decode(),  # unknown version byte
        base58.b58encode_check(bytes([0]) + HASH160[:19]).decode(),  # 19-byte hash
    ],
)
def test_base58check_invalid(address):
    assert validate_address(address) is None


# --- EIP-55 ---------------------------------------------------------------------------------------
EIP55_EXAMPLES = [  # the EIP's test cases: all caps, all lower, normal
    "0x52908400098527886E0F7030069857D2E4169EE7",
    "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
    "0xde709f2102306220921060314715629080e2fb77",
    "0x27b1fdb04752bbc536007a920d24acb045561c26",
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
    "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
]


@pytest.mark.parametrize("address", EIP55_EXAMPLES)
def test_eip55_examples(address):
    assert to_checksum_address(address.lower()) == address
    info = validate_address(address)
    assert (info.currency, info.address, info.checksummed) == ("ETH", address, True)


@pytest.mark.parametrize("address", EIP55_EXAMPLES[4:])
def test_eip55_one_case_is_unchecksummed_and_wrong_mixed_case_rejected(address):
    for unchecksummed in (address.lower(), "0x" + address[2:].upper()):
        info = validate_address(unchecksummed)
        assert (info.address, info.checksummed) == (address, False)
    last_letter = max(i for i, char in enumerate(address) if char.isalpha())
    flipped = address[:last_letter] + address[last_letter].swapcase() + address[last_letter + 1 :]
    assert validate_address(flipped) is None


@pytest.mark.parametrize(
    "text",
    [
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe",  # 39 digits
        "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed00",  # no 0x
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg",  # not hex
    ],
)
def test_eip55_malformed(text):
    assert validate_address(text) is None


# --- Monero ---------------------------------------------------------------------------------------
MONERO_GENERAL_FUND = "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A"


def _monero_address(tag: int, keys: bytes) -> str:
    data = bytes([tag]) + keys
    return monero_b58encode(data + keccak256(data)[:4])


def test_monero_donation_address():  # published on getmonero.org
    info = validate_address(MONERO_GENERAL_FUND)
    assert (info.currency, info.network, info.kind) == ("XMR", "mainnet", "standard")
    assert validate_address(MONERO_GENERAL_FUND.replace("44AF", "44AE")) is None


@pytest.mark.parametrize(
    "tag, first, network, kind",
    [
        (18, "4", "mainnet", "standard"),
        (19, "4", "mainnet", "integrated"),
        (42, "8", "mainnet", "subaddress"),
        (53, "9", "testnet", "standard"),
        (54, "A", "testnet", "integrated"),
        (63, "B", "testnet", "subaddress"),
        (24, "5", "stagenet", "standard"),
        (25, "5", "stagenet", "integrated"),
        (36, "7", "stagenet", "subaddress"),
    ],
)
def test_monero_net_tags(tag, first, network, kind):
    keys = bytes(range(64)) + (b"payment!" if kind == "integrated" else b"")
    address = _monero_address(tag, keys)
    assert (address[0], len(address)) == (first, 106 if kind == "integrated" else 95)
    info = validate_address(address)
    assert (info.network, info.kind, info.address) == (network, kind, address)


@pytest.mark.parametrize(
    "tag, keys",
    [
        (18, bytes(72)),  # standard tag at an integrated address's length
        (19, bytes(64)),  # integrated tag at a standard address's length
        (12, bytes(64)),  # unknown tag (Aeon's, say), valid checksum
    ],
)
def test_monero_tag_and_length_must_agree(tag, keys):
    assert validate_address(_monero_address(tag, keys)) is None


def test_monero_base58_blocks():
    # hand-checkable blocks: 0xFF = 4*58+23 -> "5Q"; 0xFFFF = 19*58^2+27*58+53 -> "LUv"
    assert monero_b58encode(b"\xff") == "5Q" and monero_b58encode(b"\xff\xff") == "LUv"
    assert monero_b58encode(b"\x00") == "11" and monero_b58encode(bytes(8)) == "11111111111"
    assert monero_b58decode("5Q") == b"\xff"
    assert monero_b58decode("5R") is None  # 256 does not fit one byte
    assert monero_b58decode("zzzzzzzzzzz") is None  # 58^11 - 1 does not fit 8 bytes
    assert monero_b58decode("1111") is None  # no block encodes to 4 characters
    assert monero_b58decode("11O") is None  # not in the alphabet


# --- find_addresses over free text ------------------------------------------------------------------
def test_find_addresses_in_a_listing():
    text = (
        "Payment: BTC 16UwLL9Risc3QfPqBUvKofHmBQ7wMtjvM or "
        "bitcoin:bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0?amount=1\n"
        f"XMR:{MONERO_GENERAL_FUND}.\n"
        "old (typo) 16UwLL9Risc3QfPqBUvKofHmBQ7wMtjvN, eth 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed;"
    )
    found = find_addresses(text)
    assert [text[start:end] for _, start, end in found] == [
        "16UwLL9Risc3QfPqBUvKofHmBQ7wMtjvM",
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
        MONERO_GENERAL_FUND,
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    ]
    assert [info.currency for info, _, _ in found] == ["BTC", "BTC", "XMR", "ETH"]


@pytest.mark.parametrize(
    "text",
    [
        "x16UwLL9Risc3QfPqBUvKofHmBQ7wMtjvM",  # glued to a longer token
        "16UwLL9Risc3QfPqBUvKofHmBQ7wMtjvMx",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed00112233",  # prefix of a longer hex string
        "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3t4",  # mixed case bech32
        "the quick brown fox jumps over the lazy dog " * 20,
        "",
    ],
)
def test_find_addresses_reports_nothing(text):
    assert find_addresses(text) == []


def test_find_addresses_uppercase_bech32_is_normalised():
    [(info, start, end)] = find_addresses("send to BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4 now")
    assert info.address == "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
    assert (start, end) == (8, 50)


def test_find_addresses_require_checksum():
    text = "0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359 0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"
    assert [i.checksummed for i, _, _ in find_addresses(text)] == [False, True]
    assert [s for _, s, _ in find_addresses(text, require_checksum=True)] == [43]


def test_address_info_to_dict():
    info = validate_address("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy")
    assert isinstance(info, AddressInfo)
    assert info.to_dict() == {
        "currency": "BTC",
        "network": "mainnet",
        "kind": "p2sh",
        "address": "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
        "checksummed": True,
        "ambiguous_with": ["LTC"],
    }
