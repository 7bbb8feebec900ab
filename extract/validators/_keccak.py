"""Keccak-256 as Ethereum and Monero use it: the original Keccak padding, not SHA3-256.

``hashlib.sha3_256`` is the FIPS 202 variant and gives different digests; pycryptodome's
``Crypto.Hash.keccak`` is the maintained implementation of the original.

>>> keccak256(b"").hex()
'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470'
"""
from __future__ import annotations

from Crypto.Hash import keccak

__all__ = ["keccak256"]


def keccak256(data: bytes) -> bytes:
    """Return the 32-byte Keccak-256 digest of ``data``."""
    return keccak.new(data=data, digest_bits=256).digest()
