"""Result types of the validators: plain frozen dataclasses with a JSON-safe ``to_dict``.

They are parser results (like price-parser's ``Price``), not records of the shared data model:
the extraction pipeline copies what it needs into ``Listing.extracted`` / ``VendorAccount``.

>>> info = AddressInfo("BTC", "mainnet", "p2pkh", "1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH")
>>> info.to_dict()["kind"]
'p2pkh'
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

__all__ = ["AddressInfo", "PublicKeyInfo", "KeyInfo"]


@dataclass(frozen=True)
class AddressInfo:
    """A checksum-valid cryptocurrency address.

    ``currency`` is a ticker (``BTC``, ``LTC``, ``XMR``, ``ETH``); ``network`` is ``mainnet``,
    ``testnet`` (Bitcoin testnet/signet share prefixes), ``regtest`` or ``stagenet`` (Monero);
    ``kind`` is ``p2pkh``, ``p2sh``, ``p2wpkh``, ``p2wsh``, ``p2tr``, ``witness_vN`` (a future
    segwit version), ``standard``, ``integrated``, ``subaddress`` or ``account`` (Ethereum).
    ``address`` is the normalised form: bech32 in lower case, Ethereum in its EIP-55 form.
    ``checksummed`` is False only for an Ethereum address written all in one case that is not
    its EIP-55 form: it carries no checksum, so a typo in it cannot be detected. ``ambiguous_with`` names
    other currencies whose addresses share the same version byte (a ``3...`` address is a
    Bitcoin P2SH or a legacy Litecoin P2SH address; nothing in the string tells them apart).
    """

    currency: str
    network: str
    kind: str
    address: str
    checksummed: bool = True
    ambiguous_with: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ambiguous_with"] = list(self.ambiguous_with)
        return data


@dataclass(frozen=True)
class PublicKeyInfo:
    """One OpenPGP public-key (or public-subkey) packet.

    ``fingerprint`` is upper-case hex (40 digits for v4, 64 for v5/v6, 32 for v3); ``key_id`` is
    16 hex digits (the fingerprint's last 8 bytes for v4, its first 8 for v5/v6, the modulus'
    low 64 bits for v3). ``algorithm`` reads as GnuPG prints it (``rsa2048``, ``ed25519``,
    ``cv25519``, ``nistp256``, ...); ``algorithm_id`` is the RFC 9580 number.
    """

    fingerprint: str
    key_id: str
    version: int
    created: datetime
    algorithm: str
    algorithm_id: int
    bits: int | None = None
    curve: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["created"] = self.created.isoformat()
        return data


@dataclass(frozen=True)
class KeyInfo(PublicKeyInfo):
    """A transferable public key: its primary key, user IDs (UTF-8) and subkeys, in packet order."""

    user_ids: tuple[str, ...] = ()
    subkeys: tuple[PublicKeyInfo, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["user_ids"] = list(self.user_ids)
        data["subkeys"] = [subkey.to_dict() for subkey in self.subkeys]
        return data
