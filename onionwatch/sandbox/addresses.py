"""Bitcoin and Monero mainnet addresses with valid checksums, made from seeded randomness.

- BTC P2PKH: Base58Check of version byte ``0x00`` + 20-byte key hash (starts with ``1``).
- BTC P2WPKH: Bech32, hrp ``bc``, witness version 0, 20-byte program (starts with ``bc1q``).
- XMR standard: Monero Base58 of net byte ``0x12`` + public spend key + public view key + the
  first four bytes of Keccak-256 of those 65 bytes (95 characters, starts with ``4``). The keys are
  real Ed25519 points made from random scalars.

The key hashes are random bytes, not hashes of real keys: the addresses are well formed and
nobody holds their keys. The validators are the sandbox's own, used by its tests.

>>> import random
>>> is_valid_btc(btc_p2wpkh(random.Random(1)))
True
"""
from __future__ import annotations

import random

from .ed25519 import L, is_on_curve, publickey_from_scalar
from .encodings import (
    base58check_decode,
    base58check_encode,
    bech32_decode,
    bech32_encode,
    convertbits,
    xmr_base58_decode,
    xmr_base58_encode,
)
from .keccak import keccak256

__all__ = [
    "btc_p2pkh",
    "btc_p2wpkh",
    "xmr_standard",
    "xmr_address_from_keys",
    "is_valid_btc",
    "is_valid_xmr",
]

BTC_P2PKH_VERSION = 0x00
BTC_HRP = "bc"
XMR_NETBYTE = 0x12


def btc_p2pkh(rng: random.Random) -> str:
    return base58check_encode(bytes([BTC_P2PKH_VERSION]) + rng.randbytes(20))


def btc_p2wpkh(rng: random.Random) -> str:
    return bech32_encode(BTC_HRP, [0] + convertbits(rng.randbytes(20), 8, 5))


def xmr_address_from_keys(spend_public: bytes, view_public: bytes) -> str:
    payload = bytes([XMR_NETBYTE]) + spend_public + view_public
    return xmr_base58_encode(payload + keccak256(payload)[:4])


def xmr_standard(rng: random.Random) -> str:
    spend = publickey_from_scalar(rng.randrange(1, L))
    view = publickey_from_scalar(rng.randrange(1, L))
    return xmr_address_from_keys(spend, view)


def is_valid_btc(address: str) -> bool:
    """Mainnet P2PKH (Base58Check) or P2WPKH (Bech32 v0, 20-byte program) with a good checksum."""
    try:
        if address[:3].lower() == "bc1":
            hrp, data = bech32_decode(address)
            program = convertbits(data[1:], 5, 8, pad=False)
            return hrp == BTC_HRP and data[0] == 0 and len(program) == 20
        payload = base58check_decode(address)
        return len(payload) == 21 and payload[0] == BTC_P2PKH_VERSION
    except (ValueError, IndexError):
        return False


def is_valid_xmr(address: str) -> bool:
    """Mainnet standard address: length, net byte, Keccak checksum and both keys on the curve."""
    try:
        raw = xmr_base58_decode(address)
    except ValueError:
        return False
    if len(raw) != 69 or raw[0] != XMR_NETBYTE or keccak256(raw[:65])[:4] != raw[65:]:
        return False
    return is_on_curve(raw[1:33]) and is_on_curve(raw[33:65])
