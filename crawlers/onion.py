"""Which hosts a market profile may name: onion services (v3; v2 only to replay old archives),
loopback (the sandbox, ``crawl --from-dir``), or any host when the profile says ``allow_clearnet``.

A v3 onion address is 56 base32 characters encoding a 32-byte ed25519 public key, a 2-byte checksum
and the version byte 3 (Tor's rend-spec-v3, "Encoding onion addresses"); the checksum is checked,
so a mistyped address is caught when the profile loads rather than as a Tor error mid-crawl.

>>> address = v3_address(bytes(range(32)))
>>> len(address), onion_version(address), onion_version("expyuzz4wqqyqhjn.onion")
(62, 3, 2)
>>> onion_version("market.example.com"), is_loopback("127.0.0.1"), is_loopback("10.0.0.5")
(None, True, False)
>>> onion_version(address[:10] + "a" + address[11:])
Traceback (most recent call last):
...
ValueError: not a valid v3 onion address (its checksum does not match): check it for a typo
"""
from __future__ import annotations

import base64
import hashlib
import ipaddress
import re

__all__ = ["onion_version", "is_loopback", "v3_address"]

_V2 = re.compile(r"^[a-z2-7]{16}$")
_V3 = re.compile(r"^[a-z2-7]{56}$")


def _checksum(pubkey: bytes, version: bytes) -> bytes:
    return hashlib.sha3_256(b".onion checksum" + pubkey + version).digest()[:2]


def v3_address(pubkey: bytes) -> str:
    """The v3 onion address (``<56 chars>.onion``) of a 32-byte ed25519 public key."""
    if len(pubkey) != 32:
        raise ValueError("a v3 onion address encodes a 32-byte public key")
    version = b"\x03"
    return base64.b32encode(pubkey + _checksum(pubkey, version) + version).decode().lower() + ".onion"


def onion_version(host: str) -> int | None:
    """3 or 2 for an onion service host name (sub-domains allowed), None for any other host.

    A ``.onion`` name that is neither a v2 (16 characters) nor a valid v3 address is a ValueError
    saying what is wrong with it."""
    host = host.lower().rstrip(".")
    if not host.endswith(".onion"):
        return None
    label = host[: -len(".onion")].rsplit(".", 1)[-1]
    if _V2.match(label):
        return 2
    if not _V3.match(label):
        raise ValueError(f"not an onion address: {label!r} has {len(label)} characters; a v3 address has 56"
                         " of a-z and 2-7")
    raw = base64.b32decode(label.upper())
    pubkey, checksum, version = raw[:32], raw[32:34], raw[34:]
    if version != b"\x03":
        raise ValueError(f"not a v3 onion address (version byte {version[0]}, not 3): check it for a typo")
    if checksum != _checksum(pubkey, version):
        raise ValueError("not a valid v3 onion address (its checksum does not match): check it for a typo")
    return 3


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    host = host.lower().strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
