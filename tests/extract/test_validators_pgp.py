"""OpenPGP key blocks: GnuPG-made fixtures, the forms web pages mangle them into, RFC 9580
samples, hand-built packets for the rarer versions, and malformed input that must not raise.
"""
from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import random
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from extract.validators import (
    KeyInfo,
    ValidatorError,
    find_pgp_key_errors,
    find_pgp_keys,
    parse_key_block,
    parse_key_packets,
)
from extract.validators.armor import crc24
from extract.validators.pgp import parse_public_key_packet, split_packets

FIXTURES = Path(__file__).parent / "fixtures"
EXPECTED = json.loads((FIXTURES / "pgp_test_keys.json").read_text(encoding="utf-8"))
BEGIN, END = "-----BEGIN PGP PUBLIC KEY BLOCK-----", "-----END PGP PUBLIC KEY BLOCK-----"


def _fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def _check_key(key: KeyInfo, fingerprint: str) -> None:
    expected = EXPECTED["keys"][fingerprint]
    assert key.fingerprint == fingerprint
    assert (key.key_id, key.version, key.algorithm_id, key.algorithm, key.bits) == (
        expected["key_id"], expected["version"], expected["algorithm_id"], expected["algorithm"], expected["bits"]
    )
    assert key.created == datetime.fromtimestamp(expected["created"], UTC)
    assert list(key.user_ids) == expected["user_ids"]
    assert [
        (s.fingerprint, s.key_id, int(s.created.timestamp()), s.algorithm_id, s.algorithm, s.bits) for s in key.subkeys
    ] == [
        (s["fingerprint"], s["key_id"], s["created"], s["algorithm_id"], s["algorithm"], s["bits"])
        for s in expected["subkeys"]
    ]


# --- GnuPG fixtures, as exported and as web pages mangle them -------------------------------------
MANGLES = {
    "as_exported": lambda text: text,
    "crlf": lambda text: text.replace("\n", "\r\n"),
    "breaks_collapsed_to_spaces": lambda text: " ".join(text.split()),
    "breaks_stripped": lambda text: text.replace("\n", ""),
    "breaks_to_nbsp": lambda text: text.replace("\n", "\u00a0"),
    "no_crc_line": lambda text: re.sub(r"\n=[A-Za-z0-9+/]{4}\n", "\n", text),
    "no_crc_and_stripped": lambda text: re.sub(r"\n=[A-Za-z0-9+/]{4}\n", "\n", text).replace("\n", ""),
    "indented": lambda text: "\n".join("    " + line for line in text.splitlines()),
    "with_headers": lambda text: text.replace(
        BEGIN + "\n", BEGIN + "\nVersion: GnuPG v2\nComment: https://example.invalid/~vendor\n"
    ),
    "with_headers_collapsed": lambda text: " ".join(MANGLES["with_headers"](text).split()),
    "with_headers_stripped": lambda text: MANGLES["with_headers"](text).replace("\n", ""),
    # a header value that itself decodes as the start of a public-key packet (0x99 0x00 0x00),
    # glued to the data: the first plausible start is wrong and must be passed over
    "lookalike_header_stripped": lambda text: text.replace(BEGIN + "\n", BEGIN + "\nComment: mQAA\n").replace("\n", ""),
    "lookalike_header_stripped_no_crc": lambda text: MANGLES["lookalike_header_stripped"](MANGLES["no_crc_line"](text)),
}


@pytest.mark.parametrize("mangle", MANGLES)
@pytest.mark.parametrize("name", sorted(EXPECTED["files"]))
def test_fixture_keys(name, mangle):
    armored = MANGLES[mangle](_fixture(name))
    page = f"<p>Vendor profile</p> My key:\n{armored}\n Orders via PM only."
    found = find_pgp_keys(page)
    assert [key.fingerprint for key, _, _ in found] == EXPECTED["files"][name]
    for key, start, end in found:
        _check_key(key, key.fingerprint)
        assert page[start:end].startswith(BEGIN) and page[start:end].endswith(END)
    assert find_pgp_key_errors(page) == []


def test_keys_serialise_to_json():
    [(key, _, _)] = find_pgp_keys(_fixture("pgp_test_ed25519.asc"))
    data = json.loads(json.dumps(key.to_dict()))
    assert data["created"] == "2024-03-01T12:00:00+00:00"
    assert data["subkeys"][0]["algorithm"] == "cv25519"


def test_several_blocks_and_a_broken_one_between():
    ed, rsa = _fixture("pgp_test_ed25519.asc"), _fixture("pgp_test_rsa.asc")
    broken = f"{BEGIN}\n\nnot base64 at all!\n{END}"
    truncated = BEGIN + "\n\nmDMEZeHDQBYJKwYBBAHaRw8BAQdAqWezfc+eLqzuQrt/YBTZW51+kExoJUtXXY7/\n"
    page = "\n".join([ed, broken, truncated, rsa])
    assert [key.key_id for key, _, _ in find_pgp_keys(page)] == ["2248E0041E4FBB4E", "479D2D15844E92E6"]
    assert [error.code for error, _, _ in find_pgp_key_errors(page)] == ["PGP002", "PGP001"]


def test_crc_mismatch_is_reported_not_raised():
    text = _fixture("pgp_test_ed25519.asc").replace("=yL9G", "=yL9H")
    assert find_pgp_keys(text) == []
    [(error, start, end)] = find_pgp_key_errors(text)
    assert (error.code, start, end) == ("PGP003", 0, len(text.rstrip("\n")))
    with pytest.raises(ValidatorError, match="PGP003"):
        parse_key_block(text)


def test_corrupted_data_fails_its_crc():
    text = _fixture("pgp_test_rsa.asc")
    line = text.splitlines()[5]
    corrupted = text.replace(line, line[:10] + ("A" if line[10] != "A" else "B") + line[11:])
    assert [e.code for e, _, _ in find_pgp_key_errors(corrupted)] == ["PGP003"]


def test_crc24_of_armored_data():
    text = _fixture("pgp_test_ed25519.asc")
    data = base64.b64decode("".join(text.splitlines()[2:-2]))
    assert base64.b64encode(crc24(data).to_bytes(3, "big")).decode() == "yL9G"


@pytest.mark.parametrize(
    "text, code",
    [
        ("no armor here", "PGP009"),
        (f"{BEGIN} {END}", "PGP002"),
        (f"{BEGIN}\n\nzm9vYmFy\n{END}", "PGP002"),  # base64, but not OpenPGP packets
        (f"{BEGIN}\n\nmQ==\n{END}", "PGP004"),  # a public-key header and nothing else
        (f"{BEGIN}\n\n{base64.b64encode(bytes([0xC6, 0xE0]) + bytes(40)).decode()}\n{END}", "PGP005"),
        (f"{BEGIN}\n\n{base64.b64encode(bytes([0x98, 6, 7, 0, 0, 0, 0, 1])).decode()}\n{END}", "PGP007"),
        (f"{BEGIN}\n\n{base64.b64encode(bytes([0x98, 7, 4, 0, 0, 0, 0, 1, 0])).decode()}\n{END}", "PGP008"),
    ],
)
def test_malformed_blocks(text, code):
    with pytest.raises(ValidatorError) as raised:
        parse_key_block(text)
    assert raised.value.code == code
    assert find_pgp_keys(text) == []


# --- RFC 9580 samples (appendix A.2: v4 Ed25519Legacy key, A.3: v6 certificate) ------------------------
RFC9580_V4_ED25519_LEGACY = "xjMEU/NfCxYJKwYBBAHaRw8BAQdAPwmJlL3ZFu1AUxl5NOSofIBzOhKA1i+AEJkuQ+47JAY="
RFC9580_V6_CERTIFICATE = """\
xioGY4d/4xsAAAAg+U2nu0jWCmHlZ3BqZYfQMxmZu52JGggkLq2EVD34laPCsQYf
GwoAAABCBYJjh3/jAwsJBwUVCg4IDAIWAAKbAwIeCSIhBssYbE8GCaaX5NUt+mxy
KwwfHifBilZwj2Ul7Ce62azJBScJAgcCAAAAAK0oIBA+LX0ifsDm185Ecds2v8lw
gyU2kCcUmKfvBXbAf6rhRYWzuQOwEn7E/aLwIwRaLsdry0+VcallHhSu4RN6HWaE
QsiPlR4zxP/TP7mhfVEe7XWPxtnMUMtf15OyA51YBM4qBmOHf+MZAAAAIIaTJINn
+eUBXbki+PSAld2nhJh/LVmFsS+60WyvXkQ1wpsGGBsKAAAALAWCY4d/4wKbDCIh
BssYbE8GCaaX5NUt+mxyKwwfHifBilZwj2Ul7Ce62azJAAAAAAQBIKbpGG2dWTX8
j+VjFM21J0hqWlEg+bdiojWnKfA5AQpWUWtnNwDEM0g12vYxoWM8Y81W+bHBw805
I8kWVkXU6vFOi+HWvv/ira7ofJu16NnoUkhclkUrk0mXubZvyl4GBg==
"""


def test_rfc9580_v4_ed25519_legacy():
    [key] = parse_key_block(f"{BEGIN}\n\n{RFC9580_V4_ED25519_LEGACY}\n{END}")
    assert key.fingerprint == "C959BDBAFA32A2F89A153B678CFDE12197965A9A"
    assert (key.key_id, key.version, key.algorithm_id, key.algorithm) == ("8CFDE12197965A9A", 4, 22, "ed25519")


@pytest.mark.parametrize("mangle", ["as_exported", "breaks_collapsed_to_spaces", "breaks_stripped"])
def test_rfc9580_v6_certificate(mangle):
    [(key, _, _)] = find_pgp_keys(MANGLES[mangle](f"{BEGIN}\n\n{RFC9580_V6_CERTIFICATE}{END}\n"))
    assert key.fingerprint == "CB186C4F0609A697E4D52DFA6C722B0C1F1E27C18A56708F6525EC27BAD9ACC9"
    assert (key.key_id, key.version, key.algorithm) == ("CB186C4F0609A697", 6, "ed25519")
    assert key.created == datetime(2022, 11, 30, 16, 8, 3, tzinfo=UTC)
    [subkey] = key.subkeys
    assert subkey.fingerprint == "12C83F1E706F6308FE151A417743A1F033790E93E9978488D1DB378DA9930885"
    assert (subkey.algorithm, subkey.bits) == ("x25519", 255)
    assert key.user_ids == ()


# --- hand-built packets: the versions and headers GnuPG 2.2 does not write --------------------------------
CREATED = (1700000000).to_bytes(4, "big")


def _mpi(value: bytes) -> bytes:
    return (int.from_bytes(value, "big").bit_length()).to_bytes(2, "big") + value


def test_v5_key_fingerprint_is_sha256_with_0x9a():
    body = bytes([5]) + CREATED + bytes([27]) + (32).to_bytes(4, "big") + bytes(range(32))
    key = parse_public_key_packet(body)
    digest = hashlib.sha256(b"\x9a" + len(body).to_bytes(4, "big") + body).hexdigest().upper()
    assert (key.fingerprint, key.key_id, key.version, key.algorithm) == (digest, digest[:16], 5, "ed25519")


def test_v5_key_material_length_must_match():
    body = bytes([5]) + CREATED + bytes([27]) + (33).to_bytes(4, "big") + bytes(range(32))
    with pytest.raises(ValidatorError, match="PGP008"):
        parse_public_key_packet(body)


def test_v3_rsa_key_fingerprint_is_md5_of_n_and_e():
    modulus, exponent = b"\xc3" + bytes(range(1, 128)), b"\x01\x00\x01"
    body = bytes([3]) + CREATED + b"\x00\x00" + bytes([1]) + _mpi(modulus) + _mpi(exponent)
    key = parse_public_key_packet(body)
    assert key.fingerprint == hashlib.md5(modulus + exponent).hexdigest().upper()
    assert (key.key_id, key.algorithm, key.bits) == (modulus[-8:].hex().upper(), "rsa1024", 1024)


@pytest.mark.parametrize(
    "oid, algorithm_id, name, bits",
    [
        ("2a8648ce3d030107", 19, "nistp256", 256),
        ("2b8104000a", 19, "secp256k1", 256),
        ("2b2403030208010107", 18, "brainpoolP256r1", 256),
        ("2b060104019755010501", 18, "cv25519", 255),
        ("2b0601040100", 19, "oid:2b0601040100", None),  # a curve we do not know: reported, not fatal
    ],
)
def test_curve_keys(oid, algorithm_id, name, bits):
    oid_bytes = bytes.fromhex(oid)
    body = bytes([4]) + CREATED + bytes([algorithm_id, len(oid_bytes)]) + oid_bytes + _mpi(b"\x40" + bytes(32))
    key = parse_public_key_packet(body)
    assert (key.algorithm, key.curve, key.bits) == (name, name, bits)


def test_unknown_algorithm_is_reported():
    key = parse_public_key_packet(bytes([4]) + CREATED + bytes([99, 1, 2, 3]))
    assert (key.algorithm, key.algorithm_id, key.bits) == ("unknown99", 99, None)


def test_packet_headers_old_and_new_lengths():
    uid = "Tëst <t@example.invalid>".encode()
    key_body = bytes([4]) + CREATED + bytes([22, 9]) + bytes.fromhex("2b06010401da470f01") + _mpi(b"\x40" + bytes(32))
    long_uid = b"x" * 300
    data = (
        bytes([0xC6, len(key_body)]) + key_body  # new format, one-octet length
        + bytes([0xCD, 0xFF]) + len(uid).to_bytes(4, "big") + uid  # new format, five-octet length
        + bytes([0xCD, ((len(long_uid) - 192) >> 8) + 192, (len(long_uid) - 192) & 0xFF]) + long_uid  # two-octet
        + bytes([0xB6]) + len(uid).to_bytes(4, "big") + uid  # old format, four-octet length
        + bytes([0xB5, 0, len(uid)]) + uid  # old format, two-octet length
        + bytes([0x8B]) + b"\x04opaque"  # old format, indeterminate length (a signature, skipped)
    )
    assert [tag for tag, _ in split_packets(data)] == [6, 13, 13, 13, 13, 2]
    [key] = parse_key_packets(data)
    assert key.user_ids == (uid.decode(), "x" * 300, uid.decode(), uid.decode())


def test_bad_utf8_in_user_id_is_replaced():
    key_body = bytes([4]) + CREATED + bytes([99])
    [key] = parse_key_packets(bytes([0x98, len(key_body)]) + key_body + bytes([0xB4, 3]) + b"a\xffb")
    assert key.user_ids == ("a\ufffdb",)


# --- malformed input never escapes as anything but ValidatorError ------------------------------------------
def test_mutated_packets_raise_only_validator_error():
    text = _fixture("pgp_test_two_keys.asc")
    data = base64.b64decode("".join(line for line in text.splitlines()[2:] if not line.startswith(("=", "-"))))
    rng = random.Random(20240301)
    for _ in range(400):
        mutated = bytearray(data[: rng.randrange(1, len(data) + 1)])
        for _ in range(rng.randrange(1, 4)):
            mutated[rng.randrange(len(mutated))] = rng.randrange(256)
        with contextlib.suppress(ValidatorError):
            parse_key_packets(bytes(mutated))


def test_mutated_armor_never_raises_from_find():
    text = _fixture("pgp_test_ed25519.asc")
    alphabet = "ABCxyz019+/= \n:-"
    rng = random.Random(7)
    for _ in range(300):
        chars = list(MANGLES[rng.choice(list(MANGLES))](text))
        for _ in range(rng.randrange(1, 4)):
            chars[rng.randrange(len(chars))] = rng.choice(alphabet)
        mutated = "".join(chars)
        find_pgp_keys(mutated)
        find_pgp_key_errors(mutated)


@pytest.mark.timeout(20)
def test_long_block_with_a_stray_character_is_fast():
    # a "[data chars]*\Z" search for the data region is quadratic here (minutes, not milliseconds)
    text = f"{BEGIN}\n{'A' * 300_000}:x\n{END}"
    assert [e.code for e, _, _ in find_pgp_key_errors(text)] == ["PGP002"]
