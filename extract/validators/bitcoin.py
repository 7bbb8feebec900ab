"""Bitcoin and Litecoin addresses: Base58Check (P2PKH, P2SH) and segwit (bech32/bech32m).

Base58Check decoding is the ``base58`` package's; segwit decoding is :mod:`.bech32`. Which
version bytes and hrps mean which coin and network is the table in :mod:`.networks`.

>>> info = validate_bitcoin("3LRW7jeCvQCRdPF8S3yUCfRAx4eqXFmdcr")
>>> info.currency, info.network, info.kind, info.ambiguous_with
('BTC', 'mainnet', 'p2sh', ('LTC',))
>>> validate_bitcoin("ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kgmn4n9").kind
'p2wpkh'
>>> validate_bitcoin("1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMJ") is None  # last character changed
True
"""
from __future__ import annotations

import base58

from extract.validators.bech32 import decode_segwit
from extract.validators.models import AddressInfo
from extract.validators.networks import BASE58_VERSIONS, SEGWIT_HRPS

__all__ = ["validate_base58check", "validate_segwit", "validate_bitcoin", "SEGWIT_PREFIXES"]

#: Lower-case starts of the segwit addresses we know, for cheap dispatch.
SEGWIT_PREFIXES = tuple(hrp + "1" for hrp in SEGWIT_HRPS)

# secp256k1 field prime: a taproot output key must be the x coordinate of a curve point.
_P = 2**256 - 2**32 - 977


def validate_base58check(text: str) -> AddressInfo | None:
    """Check a Base58Check P2PKH/P2SH address: checksum, 21-byte payload, known version byte."""
    if not 25 <= len(text) <= 35:
        return None
    try:
        payload = base58.b58decode_check(text)
    except ValueError:  # bad character (UnicodeEncodeError is one too) or bad checksum
        return None
    if len(payload) != 21 or payload[0] not in BASE58_VERSIONS:
        return None
    (currency, network, kind), *others = BASE58_VERSIONS[payload[0]]
    return AddressInfo(currency, network, kind, text, ambiguous_with=tuple(c for c, _, _ in others))


def _is_x_only_key(program: bytes) -> bool:
    """True if ``program`` is the x coordinate of a secp256k1 point (BIP340 ``lift_x``)."""
    x = int.from_bytes(program, "big")
    return x < _P and pow((x**3 + 7) % _P, (_P - 1) // 2, _P) in (0, 1)


def _segwit_kind(version: int, program: bytes) -> str:
    if version == 0:
        return "p2wpkh" if len(program) == 20 else "p2wsh"
    if version == 1 and len(program) == 32:
        return "p2tr"
    return f"witness_v{version}"


def validate_segwit(text: str) -> AddressInfo | None:
    """Check a segwit address with a known hrp (BIP173/BIP350 rules, see ``decode_segwit``).

    A version-1 32-byte program is a taproot output key and must be a valid x coordinate:
    an address whose key is off the curve passes its checksum but is nobody's wallet.
    Future versions (``witness_v2`` ... ``witness_v16``) are valid addresses and are reported.
    """
    decoded = decode_segwit(text)
    if decoded is None or decoded[0] not in SEGWIT_HRPS:
        return None
    hrp, version, program = decoded
    kind = _segwit_kind(version, program)
    if kind == "p2tr" and not _is_x_only_key(program):
        return None
    currency, network = SEGWIT_HRPS[hrp]
    return AddressInfo(currency, network, kind, text.lower())


def validate_bitcoin(text: str) -> AddressInfo | None:
    """Check a Bitcoin or Litecoin address of any supported kind; ``None`` if it is not one."""
    if text.lower().startswith(SEGWIT_PREFIXES):
        return validate_segwit(text)
    return validate_base58check(text)
