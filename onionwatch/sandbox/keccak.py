"""Keccak-256 as Monero and Ethereum use it (the original Keccak padding, not NIST SHA3-256).

``hashlib.sha3_256`` pads with ``0x06``; Keccak-256 pads with ``0x01``, so the two differ on every
input. Monero's address checksum is the first four bytes of Keccak-256, hence this small pure-Python
sponge (24 rounds of Keccak-f[1600], rate 136 bytes) as the reference. ``keccak256`` itself uses
pycryptodome's C implementation (a dependency already) when importable, because worlds of 100,000
vendor accounts hash one address each; the tests check that both agree.

>>> keccak256(b"").hex()[:16]
'c5d2460186f7233c'
"""
from __future__ import annotations

__all__ = ["keccak256", "keccak256_reference"]

try:
    from Crypto.Hash import keccak as _fast
except ImportError:  # pragma: no cover - pycryptodome is in install_requires
    _fast = None

_MASK = (1 << 64) - 1
_RATE = 136

_ROUND_CONSTANTS = (
    0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
    0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
    0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
    0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
    0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
    0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
)

# Rotation offsets r[x][y] of the rho step.
_ROTATIONS = (
    (0, 36, 3, 41, 18),
    (1, 44, 10, 45, 2),
    (62, 6, 43, 15, 61),
    (28, 55, 25, 21, 56),
    (27, 20, 39, 8, 14),
)


def _rotl(value: int, shift: int) -> int:
    return ((value << shift) | (value >> (64 - shift))) & _MASK if shift else value


def _keccak_f(state: list[list[int]]) -> None:
    """Permute the 5x5 lane state in place; ``state[x][y]`` is a 64-bit lane."""
    for rc in _ROUND_CONSTANTS:
        c = [state[x][0] ^ state[x][1] ^ state[x][2] ^ state[x][3] ^ state[x][4] for x in range(5)]
        d = [c[(x - 1) % 5] ^ _rotl(c[(x + 1) % 5], 1) for x in range(5)]
        for x in range(5):
            for y in range(5):
                state[x][y] ^= d[x]
        b = [[0] * 5 for _ in range(5)]
        for x in range(5):
            for y in range(5):
                b[y][(2 * x + 3 * y) % 5] = _rotl(state[x][y], _ROTATIONS[x][y])
        for x in range(5):
            for y in range(5):
                state[x][y] = b[x][y] ^ (~b[(x + 1) % 5][y] & b[(x + 2) % 5][y])
        state[0][0] ^= rc


def keccak256(data: bytes) -> bytes:
    """Return the 32-byte Keccak-256 digest of ``data``."""
    if _fast is not None:
        return _fast.new(digest_bits=256, data=data).digest()
    return keccak256_reference(data)


def keccak256_reference(data: bytes) -> bytes:
    """The pure-Python sponge: the same digest as ``keccak256``, slowly."""
    padded = bytearray(data)
    padded.append(0x01)
    padded.extend(b"\x00" * (-len(padded) % _RATE))
    padded[-1] |= 0x80
    state = [[0] * 5 for _ in range(5)]
    for offset in range(0, len(padded), _RATE):
        block = padded[offset: offset + _RATE]
        for i in range(_RATE // 8):
            x, y = i % 5, i // 5
            state[x][y] ^= int.from_bytes(block[8 * i: 8 * i + 8], "little")
        _keccak_f(state)
    out = b"".join(state[i % 5][i // 5].to_bytes(8, "little") for i in range(4))
    return out
