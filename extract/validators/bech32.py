"""Bech32 (BIP173) and bech32m (BIP350) strings, and segwit addresses built on them.

Written by hand after the BIPs' reference code: the ``bech32`` package on PyPI (1.2.0, 2020)
predates BIP350 and cannot check bech32m, which taproot (``bc1p...``) addresses use.

>>> decode_segwit("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4")
('bc', 0, b'u\\x1ev\\xe8\\x19\\x91\\x96\\xd4T\\x94\\x1cE\\xd1\\xb3\\xa3#\\xf1C;\\xd6')
>>> decode_segwit("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5") is None  # one character changed
True
"""
from __future__ import annotations

from enum import Enum

from extract.errors import ValidatorError

__all__ = ["Encoding", "bech32_decode", "bech32_encode", "decode_segwit", "encode_segwit"]

CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_CHARSET_INDEX = {char: value for value, char in enumerate(CHARSET)}
_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
MAX_LENGTH = 90


class Encoding(Enum):
    """Which checksum constant a string verified against."""

    BECH32 = 1
    BECH32M = 0x2BC830A3


def _polymod(values: list[int]) -> int:
    checksum = 1
    for value in values:
        top = checksum >> 25
        checksum = (checksum & 0x1FFFFFF) << 5 ^ value
        for i, generator in enumerate(_GENERATOR):
            if (top >> i) & 1:
                checksum ^= generator
    return checksum


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(char) >> 5 for char in hrp] + [0] + [ord(char) & 31 for char in hrp]


def bech32_decode(text: str) -> tuple[str, list[int], Encoding] | None:
    """Split a bech32/bech32m string into (lower-case hrp, 5-bit data without checksum, encoding).

    Returns ``None`` for mixed case, characters outside US-ASCII 33-126, a string over 90
    characters, a missing or misplaced separator, or a checksum that matches neither constant.

    >>> bech32_decode("A12UEL5L")
    ('a', [], <Encoding.BECH32: 1>)
    >>> bech32_decode("a1lqfn3a")[2]
    <Encoding.BECH32M: 734539939>
    """
    if len(text) > MAX_LENGTH or any(not 33 <= ord(char) <= 126 for char in text):
        return None
    if text.lower() != text and text.upper() != text:
        return None
    text = text.lower()
    separator = text.rfind("1")
    if separator < 1 or separator + 7 > len(text):
        return None
    try:
        data = [_CHARSET_INDEX[char] for char in text[separator + 1 :]]
    except KeyError:
        return None
    hrp = text[:separator]
    constant = _polymod(_hrp_expand(hrp) + data)
    for encoding in Encoding:
        if constant == encoding.value:
            return hrp, data[:-6], encoding
    return None


def bech32_encode(hrp: str, data: list[int], encoding: Encoding) -> str:
    """Join an hrp and 5-bit data with a checksum of the given encoding.

    >>> bech32_encode("a", [], Encoding.BECH32M)
    'a1lqfn3a'
    """
    values = _hrp_expand(hrp) + data
    constant = _polymod(values + [0] * 6) ^ encoding.value
    checksum = [(constant >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(CHARSET[value] for value in data + checksum)


def _convert_bits(data: list[int] | bytes, from_bits: int, to_bits: int, pad: bool) -> list[int] | None:
    """Regroup bits; without ``pad`` reject more than ``from_bits - 1`` leftover or non-zero ones."""
    accumulator = 0
    bits = 0
    result: list[int] = []
    max_value = (1 << to_bits) - 1
    for value in data:
        if value >> from_bits:
            return None
        accumulator = (accumulator << from_bits) | value
        bits += from_bits
        while bits >= to_bits:
            bits -= to_bits
            result.append((accumulator >> bits) & max_value)
        accumulator &= (1 << bits) - 1
    if pad:
        if bits:
            result.append((accumulator << (to_bits - bits)) & max_value)
    elif bits >= from_bits or accumulator:
        return None
    return result


def decode_segwit(address: str) -> tuple[str, int, bytes] | None:
    """Decode a segwit address to (lower-case hrp, witness version, witness program).

    Applies BIP173/BIP350: version 0-16; program 2-40 bytes, and 20 or 32 for version 0;
    version 0 uses bech32 and versions 1-16 bech32m; padding is at most 4 zero bits.
    Any hrp is accepted here: which ones belong to a coin is ``networks.SEGWIT_HRPS``.

    >>> decode_segwit("bc1sw50qgdz25j")
    ('bc', 16, b'u\\x1e')
    """
    decoded = bech32_decode(address)
    if decoded is None:
        return None
    hrp, data, encoding = decoded
    if not data or data[0] > 16:
        return None
    version = data[0]
    program = _convert_bits(data[1:], 5, 8, pad=False)
    if program is None or not 2 <= len(program) <= 40:
        return None
    if version == 0 and len(program) not in (20, 32):
        return None
    if (encoding is Encoding.BECH32) != (version == 0):
        return None
    return hrp, version, bytes(program)


def encode_segwit(hrp: str, version: int, program: bytes) -> str:
    """Encode a witness program as an address; raise :class:`ValidatorError` (ENC001) if invalid.

    >>> encode_segwit("bc", 16, bytes.fromhex("751e"))
    'bc1sw50qgdz25j'
    """
    if not 0 <= version <= 16:
        raise ValidatorError("ENC001", f"witness version {version}")
    encoding = Encoding.BECH32 if version == 0 else Encoding.BECH32M
    data = [version] + (_convert_bits(program, 8, 5, pad=True) or [])
    address = bech32_encode(hrp, data, encoding)
    if decode_segwit(address) != (hrp, version, bytes(program)):
        raise ValidatorError("ENC001", f"hrp {hrp!r}, version {version}, {len(program)}-byte program")
    return address
