"""Text encodings of cryptocurrency addresses: Base58Check, Bech32 (BIP 173) and Monero's Base58.

Pure functions over bytes, written from the specifications; ``addresses`` builds on them. Decoders
raise ``ValueError`` on bad characters, lengths or checksums.

>>> base58check_encode(bytes(21))
'1111111111111111111114oLvT2'
>>> bech32_decode("a12uel5l")
('a', [])
"""
from __future__ import annotations

import hashlib

__all__ = [
    "B58_ALPHABET",
    "base58_encode",
    "base58_decode",
    "base58check_encode",
    "base58check_decode",
    "bech32_encode",
    "bech32_decode",
    "convertbits",
    "xmr_base58_encode",
    "xmr_base58_decode",
]

B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {ch: i for i, ch in enumerate(B58_ALPHABET)}


def base58_encode(data: bytes) -> str:
    """Bitcoin Base58: big-endian number in base 58, one ``1`` per leading zero byte."""
    num = int.from_bytes(data, "big")
    out = []
    while num:
        num, rem = divmod(num, 58)
        out.append(B58_ALPHABET[rem])
    pad = len(data) - len(data.lstrip(b"\x00"))
    return "1" * pad + "".join(reversed(out))


def base58_decode(text: str) -> bytes:
    num = 0
    for ch in text:
        if ch not in _B58_INDEX:
            raise ValueError(f"invalid base58 character {ch!r}")
        num = num * 58 + _B58_INDEX[ch]
    body = num.to_bytes((num.bit_length() + 7) // 8, "big") if num else b""
    pad = len(text) - len(text.lstrip("1"))
    return b"\x00" * pad + body


def _checksum(payload: bytes) -> bytes:
    return hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]


def base58check_encode(payload: bytes) -> str:
    """Base58 of ``payload`` + first four bytes of its double SHA-256."""
    return base58_encode(payload + _checksum(payload))


def base58check_decode(text: str) -> bytes:
    raw = base58_decode(text)
    if len(raw) < 5 or _checksum(raw[:-4]) != raw[-4:]:
        raise ValueError("base58check checksum mismatch")
    return raw[:-4]


# --- Bech32 (BIP 173) ---------------------------------------------------------------------------
_BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_GEN = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)


def _polymod(values: list[int]) -> int:
    chk = 1
    for value in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ value
        for i, gen in enumerate(_BECH32_GEN):
            if (top >> i) & 1:
                chk ^= gen
    return chk


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def bech32_encode(hrp: str, data: list[int]) -> str:
    """Bech32 string of human-readable part ``hrp`` and 5-bit ``data`` values."""
    values = _hrp_expand(hrp) + data
    polymod = _polymod(values + [0] * 6) ^ 1
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(_BECH32_CHARSET[d] for d in data + checksum)


def bech32_decode(text: str) -> tuple[str, list[int]]:
    """Return ``(hrp, data)`` without the checksum; mixed case is an error, as BIP 173 says."""
    if text.lower() != text and text.upper() != text:
        raise ValueError("bech32 string mixes upper and lower case")
    text = text.lower()
    pos = text.rfind("1")
    if pos < 1 or pos + 7 > len(text) or len(text) > 90:
        raise ValueError("bech32 separator or length is wrong")
    if any(ord(c) < 33 or ord(c) > 126 for c in text):
        raise ValueError("bech32 string has characters outside US-ASCII 33-126")
    hrp, rest = text[:pos], text[pos + 1:]
    if any(c not in _BECH32_CHARSET for c in rest):
        raise ValueError("invalid bech32 data character")
    data = [_BECH32_CHARSET.index(c) for c in rest]
    if _polymod(_hrp_expand(hrp) + data) != 1:
        raise ValueError("bech32 checksum mismatch")
    return hrp, data[:-6]


def convertbits(data: bytes | list[int], frombits: int, tobits: int, pad: bool = True) -> list[int]:
    """Regroup a sequence of ``frombits``-bit values into ``tobits``-bit values."""
    acc = bits = 0
    out = []
    maxv = (1 << tobits) - 1
    for value in data:
        if value < 0 or value >> frombits:
            raise ValueError("value out of range for convertbits")
        acc = (acc << frombits) | value
        bits += frombits
        while bits >= tobits:
            bits -= tobits
            out.append((acc >> bits) & maxv)
    if pad and bits:
        out.append((acc << (tobits - bits)) & maxv)
    elif not pad and (bits >= frombits or (acc << (tobits - bits)) & maxv):
        raise ValueError("invalid padding in convertbits")
    return out


# --- Monero Base58 ------------------------------------------------------------------------------
# Monero encodes 8-byte blocks into 11 characters each; a short last block of n bytes takes
# _XMR_BLOCK_CHARS[n] characters. Each block is zero-padded on the left with '1'.
_XMR_BLOCK_CHARS = (0, 2, 3, 5, 6, 7, 9, 10, 11)


def xmr_base58_encode(data: bytes) -> str:
    out = []
    for offset in range(0, len(data), 8):
        block = data[offset: offset + 8]
        num = int.from_bytes(block, "big")
        chars = []
        while num:
            num, rem = divmod(num, 58)
            chars.append(B58_ALPHABET[rem])
        width = _XMR_BLOCK_CHARS[len(block)]
        out.append("".join(reversed(chars)).rjust(width, "1"))
    return "".join(out)


def xmr_base58_decode(text: str) -> bytes:
    out = bytearray()
    for offset in range(0, len(text), 11):
        chunk = text[offset: offset + 11]
        if len(chunk) not in _XMR_BLOCK_CHARS:
            raise ValueError("invalid Monero base58 length")
        size = _XMR_BLOCK_CHARS.index(len(chunk))
        num = 0
        for ch in chunk:
            if ch not in _B58_INDEX:
                raise ValueError(f"invalid base58 character {ch!r}")
            num = num * 58 + _B58_INDEX[ch]
        if num >> (8 * size):
            raise ValueError("Monero base58 block overflows")
        out += num.to_bytes(size, "big")
    return bytes(out)
