"""OpenPGP public keys in text: fingerprints, key IDs, creation times, algorithms and user IDs.

Armor is recovered by :mod:`.armor` (also from pages that stripped or collapsed its line
breaks); packets are parsed here by hand (RFC 9580 sections 4.2, 5.5.2, 5.11, 5.5.4). Reading
these few packets needs only hashlib, so no OpenPGP library is used: PGPy's last release is from
2022 and it is not well kept, and the Sequoia bindings are a compiled dependency for a sliver of
what they do. Signatures are not verified: a key block proves nothing about who made it, and the
fingerprint is what links sightings of one key across markets.

Fingerprints: v4 is SHA-1 over ``0x99 || 2-byte length || packet body``; v5 and v6 are SHA-256
over ``0x9A`` (v5) or ``0x9B`` (v6) ``|| 4-byte length || body``; v3 is MD5 over the RSA modulus
and exponent. Other versions raise PGP007.

>>> block = '''-----BEGIN PGP PUBLIC KEY BLOCK-----
... xjMEU/NfCxYJKwYBBAHaRw8BAQdAPwmJlL3ZFu1AUxl5NOSofIBzOhKA1i+AEJkuQ+47JAY=
... -----END PGP PUBLIC KEY BLOCK-----'''
>>> [(key.fingerprint, key.algorithm, start, end) for key, start, end in find_pgp_keys(block)]
[('C959BDBAFA32A2F89A153B678CFDE12197965A9A', 'ed25519', 0, 144)]
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import fields
from datetime import UTC, datetime

from extract.validators.armor import ArmorBlock, decode_armor, find_armor_blocks
from extract.errors import ValidatorError
from extract.validators.models import KeyInfo, PublicKeyInfo
from extract.validators.pgp_algorithms import (
    ALGORITHMS,
    CURVES,
    FIXED_SIZE,
    MPI_KEYED_IDS,
    OID_CURVE_IDS,
    RSA_IDS,
)

__all__ = [
    "KeyInfo",
    "PublicKeyInfo",
    "find_pgp_keys",
    "find_pgp_key_errors",
    "parse_key_block",
    "parse_key_packets",
    "parse_public_key_packet",
    "split_packets",
]

TAG_PUBLIC_KEY = 6
TAG_USER_ID = 13
TAG_PUBLIC_SUBKEY = 14


def _number(data: bytes, pos: int, width: int, code: str = "PGP004") -> int:
    chunk = data[pos : pos + width]
    if len(chunk) != width:
        raise ValidatorError(code, f"truncated at offset {pos}")
    return int.from_bytes(chunk, "big")


def split_packets(data: bytes) -> list[tuple[int, bytes]]:
    """Split binary OpenPGP data into ``(tag, body)`` pairs, old and new header formats.

    >>> split_packets(bytes.fromhex("b4026869cd026869"))
    [(13, b'hi'), (13, b'hi')]
    """
    packets = []
    pos = 0
    while pos < len(data):
        header = data[pos]
        if not header & 0x80:
            raise ValidatorError("PGP004", f"no packet header at offset {pos}")
        if header & 0x40:  # new format
            tag = header & 0x3F
            first = _number(data, pos + 1, 1)
            if first < 192:
                length, pos = first, pos + 2
            elif first < 224:
                length, pos = ((first - 192) << 8) + _number(data, pos + 2, 1) + 192, pos + 3
            elif first == 255:
                length, pos = _number(data, pos + 2, 4), pos + 6
            else:
                raise ValidatorError("PGP005", f"packet tag {tag} at offset {pos}")
        else:  # old format
            tag = (header >> 2) & 0x0F
            if header & 3 == 3:  # indeterminate: to the end of the data
                length, pos = len(data) - pos - 1, pos + 1
            else:
                width = 1 << (header & 3)
                length, pos = _number(data, pos + 1, width), pos + 1 + width
        if pos + length > len(data):
            raise ValidatorError("PGP004", f"packet tag {tag} needs {length} bytes at offset {pos}")
        packets.append((tag, data[pos : pos + length]))
        pos += length
    return packets


def _mpi(data: bytes, pos: int) -> tuple[int, bytes, int]:
    """Read a multiprecision integer: (bit count, value bytes, next position)."""
    bits = _number(data, pos, 2, "PGP008")
    size = (bits + 7) // 8
    value = data[pos + 2 : pos + 2 + size]
    if len(value) != size:
        raise ValidatorError("PGP008", "truncated MPI")
    return bits, value, pos + 2 + size


def _algorithm(algorithm_id: int, material: bytes) -> tuple[str, int | None, str | None]:
    """(GnuPG-style name, bits, curve) of a key's algorithm and material."""
    name = ALGORITHMS.get(algorithm_id)
    if name is None:
        return f"unknown{algorithm_id}", None, None
    if algorithm_id in MPI_KEYED_IDS:
        bits = _mpi(material, 0)[0]
        return f"{name}{bits}", bits, None
    if algorithm_id in OID_CURVE_IDS:
        size = _number(material, 0, 1, "PGP008")
        oid = material[1 : 1 + size]
        if size in (0, 0xFF) or len(oid) != size:
            raise ValidatorError("PGP008", "bad curve OID")
        curve, bits = CURVES.get(oid.hex(), (f"oid:{oid.hex()}", None))
        return curve, bits, curve
    curve, bits = FIXED_SIZE[algorithm_id]
    return name, bits, curve


def parse_public_key_packet(body: bytes) -> PublicKeyInfo:
    """Describe one public-key or public-subkey packet body (versions 3 to 6).

    >>> key = parse_public_key_packet(bytes.fromhex(
    ...     "0453f35f0b16092b06010401da470f010107403f098994bdd916ed4053197934e4a87c80733a1280d62f8010992e43ee3b2406"))
    >>> key.key_id, key.created.isoformat()
    ('8CFDE12197965A9A', '2014-08-19T14:28:27+00:00')
    """
    version = _number(body, 0, 1, "PGP008")
    created = _number(body, 1, 4, "PGP008")
    if version in (2, 3):
        algorithm_id = _number(body, 7, 1, "PGP008")
        material = body[8:]
        if algorithm_id not in RSA_IDS:
            raise ValidatorError("PGP008", f"v{version} key with algorithm {algorithm_id}")
        _, modulus, pos = _mpi(material, 0)
        _, exponent, _ = _mpi(material, pos)
        fingerprint = hashlib.md5(modulus + exponent, usedforsecurity=False).digest()
        key_id = modulus[-8:].rjust(8, b"\0")
    elif version == 4:
        algorithm_id = _number(body, 5, 1, "PGP008")
        material = body[6:]
        if len(body) > 0xFFFF:
            raise ValidatorError("PGP008", "v4 key packet over 65535 bytes")
        fingerprint = hashlib.sha1(b"\x99" + len(body).to_bytes(2, "big") + body).digest()
        key_id = fingerprint[-8:]
    elif version in (5, 6):
        algorithm_id = _number(body, 5, 1, "PGP008")
        material = body[10:]
        if _number(body, 6, 4, "PGP008") != len(material):
            raise ValidatorError("PGP008", "key material length does not match the packet")
        prefix = b"\x9a" if version == 5 else b"\x9b"
        fingerprint = hashlib.sha256(prefix + len(body).to_bytes(4, "big") + body).digest()
        key_id = fingerprint[:8]
    else:
        raise ValidatorError("PGP007", f"version {version}")
    algorithm, bits, curve = _algorithm(algorithm_id, material)
    return PublicKeyInfo(
        fingerprint=fingerprint.hex().upper(),
        key_id=key_id.hex().upper(),
        version=version,
        created=datetime.fromtimestamp(created, UTC),
        algorithm=algorithm,
        algorithm_id=algorithm_id,
        bits=bits,
        curve=curve,
    )


def parse_key_packets(data: bytes) -> list[KeyInfo]:
    """Describe every transferable public key in binary OpenPGP data (a keyring export).

    User ID packets are decoded as UTF-8 (bad bytes replaced). Signatures, user attributes and
    trust packets are skipped. Raises :class:`ValidatorError` if the data is not a key block.
    """
    keys: list[tuple[PublicKeyInfo, list[str], list[PublicKeyInfo]]] = []
    for tag, body in split_packets(data):
        if tag == TAG_PUBLIC_KEY:
            keys.append((parse_public_key_packet(body), [], []))
        elif not keys:
            raise ValidatorError("PGP006", f"first packet has tag {tag}")
        elif tag == TAG_USER_ID:
            keys[-1][1].append(body.decode("utf-8", errors="replace"))
        elif tag == TAG_PUBLIC_SUBKEY:
            keys[-1][2].append(parse_public_key_packet(body))
    if not keys:
        raise ValidatorError("PGP006", "no packets")
    names = [field.name for field in fields(PublicKeyInfo)]
    return [
        KeyInfo(**{name: getattr(primary, name) for name in names}, user_ids=tuple(uids), subkeys=tuple(subs))
        for primary, uids, subs in keys
    ]


def _decode_block(block: ArmorBlock) -> list[KeyInfo]:
    if not block.complete:
        raise ValidatorError("PGP001")
    return decode_armor(block.body, parse_key_packets)


def parse_key_block(text: str) -> list[KeyInfo]:
    """Parse the first armored public key block in ``text``; raise :class:`ValidatorError`.

    >>> parse_key_block("-----BEGIN PGP PUBLIC KEY BLOCK----- ==== -----END PGP PUBLIC KEY BLOCK-----")
    Traceback (most recent call last):
    ...
    extract.errors.ValidatorError: [PGP002] no base64 OpenPGP data found between the armor lines
    """
    blocks = find_armor_blocks(text)
    if not blocks:
        raise ValidatorError("PGP009")
    return _decode_block(blocks[0])


def _scan(text: str) -> Iterator[tuple[list[KeyInfo] | ValidatorError, int, int]]:
    for block in find_armor_blocks(text):
        try:
            yield _decode_block(block), block.start, block.end
        except ValidatorError as error:
            yield error, block.start, block.end


def find_pgp_keys(text: str) -> list[tuple[KeyInfo, int, int]]:
    """Every public key in the armored blocks of ``text`` as ``(key, block start, block end)``.

    Malformed blocks are skipped (see :func:`find_pgp_key_errors`); a block holding several keys
    gives one entry per key, all with the block's span.
    """
    return [(key, start, end) for result, start, end in _scan(text) if isinstance(result, list) for key in result]


def find_pgp_key_errors(text: str) -> list[tuple[ValidatorError, int, int]]:
    """The blocks :func:`find_pgp_keys` skipped, as ``(error, block start, block end)``.

    >>> [(error.code, start) for error, start, _ in find_pgp_key_errors("-----BEGIN PGP PUBLIC KEY BLOCK----- mQ")]
    [('PGP001', 0)]
    """
    return [(result, start, end) for result, start, end in _scan(text) if isinstance(result, ValidatorError)]
