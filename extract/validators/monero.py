"""Monero addresses: block-wise Base58 and a Keccak-256 checksum.

Monero's Base58 is not Bitcoin's: the data is cut into 8-byte blocks, each written as exactly
11 characters (a last, shorter block as 2-10 characters), so it is written here by hand; no
small maintained package does it (the ``monero`` package is a whole wallet library).
An address is ``net tag || public spend key || public view key [|| 8-byte payment id]`` and the
first 4 bytes of Keccak-256 over all of that.

>>> info = validate_monero("47ewoP19TN7JEEnFKUJHAYhGxkeTRH82sf36giEp9AcNfDBfkAtRLX7A6rZz18bbNHPNV7ex6WYbMN3aKisFRJZ8Ebsmgef")
>>> info.network, info.kind
('mainnet', 'standard')
>>> validate_monero("47ewoP19TN7JCEnFKUJHAYhGxkeTRH82sf36giEp9AcNfDBfkAtRLX7A6rZz18bbNHPNV7ex6WYbMN3aKisFRJZ8Ebsmgef") is None
True
"""
from __future__ import annotations

from extract.validators._keccak import keccak256
from extract.validators.models import AddressInfo
from extract.validators.networks import MONERO_NET_TAGS

__all__ = ["monero_b58decode", "monero_b58encode", "validate_monero", "MONERO_LENGTHS"]

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {char: value for value, char in enumerate(ALPHABET)}
#: Encoded length of a block of 0..8 bytes.
_ENCODED_SIZE = (0, 2, 3, 5, 6, 7, 9, 10, 11)
_DECODED_SIZE = {encoded: size for size, encoded in enumerate(_ENCODED_SIZE)}
#: Address length in characters -> length of the keys (and payment id) part in bytes.
MONERO_LENGTHS = {95: 64, 106: 72}


def monero_b58decode(text: str) -> bytes | None:
    """Decode Monero Base58; ``None`` for a bad character, block length or block overflow.

    >>> monero_b58decode("11111111111")
    b'\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00'
    """
    if len(text) % 11 not in _DECODED_SIZE:
        return None
    out = bytearray()
    for start in range(0, len(text), 11):
        block = text[start : start + 11]
        size = _DECODED_SIZE[len(block)]
        value = 0
        for char in block:
            digit = _INDEX.get(char)
            if digit is None:
                return None
            value = value * 58 + digit
        if value >> (8 * size):
            return None
        out += value.to_bytes(size, "big")
    return bytes(out)


def monero_b58encode(data: bytes) -> str:
    """Encode bytes in Monero Base58 (used by tests to build addresses).

    >>> monero_b58encode(bytes(8))
    '11111111111'
    """
    chars = []
    for start in range(0, len(data), 8):
        block = data[start : start + 8]
        value = int.from_bytes(block, "big")
        digits = []
        for _ in range(_ENCODED_SIZE[len(block)]):
            value, digit = divmod(value, 58)
            digits.append(ALPHABET[digit])
        chars.append("".join(reversed(digits)))
    return "".join(chars)


def validate_monero(text: str) -> AddressInfo | None:
    """Check a Monero standard, integrated or subaddress on mainnet, testnet or stagenet."""
    if len(text) not in MONERO_LENGTHS:
        return None
    raw = monero_b58decode(text)
    if raw is None or keccak256(raw[:-4])[:4] != raw[-4:]:
        return None
    net = MONERO_NET_TAGS.get(raw[0])  # a varint; every known tag fits one byte
    if net is None:
        return None
    network, kind = net
    if MONERO_LENGTHS[len(text)] != (72 if kind == "integrated" else 64):
        return None  # e.g. a standard net tag on an integrated address's length
    return AddressInfo("XMR", network, kind, text)
