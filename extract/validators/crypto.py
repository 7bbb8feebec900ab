"""Find and validate cryptocurrency addresses: only checksum-valid ones are ever reported.

``validate_address`` says what one string is; ``find_addresses`` scans free text. Supported:
Bitcoin and Litecoin Base58Check (P2PKH, P2SH) and segwit v0 (bech32, BIP173) / v1+ (bech32m,
BIP350); Monero standard, integrated and subaddresses on mainnet, testnet and stagenet; Ethereum
with EIP-55 (see :mod:`.ethereum` for all-one-case addresses, which carry no checksum).

Libraries, and why: ``base58`` (small, pure Python) decodes Base58Check; ``pycryptodome``
gives the original Keccak-256 that Monero and EIP-55 need (``hashlib.sha3_256`` is a different
hash, ``pysha3`` no longer builds on current Pythons, ``eth-utils``/``eth-hash`` are heavy
wrappers that need such a backend anyway). Written by hand: bech32/bech32m (PyPI's ``bech32``
predates bech32m) and Monero's block-wise Base58 (no small maintained package has it).

>>> text = ("pay to bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0"
...         " or 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed.")
>>> [(info.currency, info.kind, start, end) for info, start, end in find_addresses(text)]
[('BTC', 'p2tr', 7, 69), ('ETH', 'account', 73, 115)]
"""
from __future__ import annotations

import re

from extract.validators.bitcoin import SEGWIT_PREFIXES, validate_base58check, validate_segwit
from extract.validators.ethereum import validate_ethereum
from extract.validators.models import AddressInfo
from extract.validators.monero import MONERO_LENGTHS, validate_monero

__all__ = ["AddressInfo", "validate_address", "find_addresses"]

_MIN_LENGTH = 14  # bc1sw50qgdz25j: witness v16 with a 2-byte program
_MAX_LENGTH = max(MONERO_LENGTHS)
#: Candidates are maximal runs of ASCII letters and digits (every address format is one), so an
#: address glued inside a longer token, or a prefix of a longer hex string, is never reported. The
#: pattern skips the runs too short to be an address itself: visiting every word of a page in
#: Python cost more than the rest of the search.
_TOKEN = re.compile(r"(?<![0-9A-Za-z])[0-9A-Za-z]{%d,}" % _MIN_LENGTH)


def validate_address(text: str) -> AddressInfo | None:
    """Say which currency, network and kind of address ``text`` is, or ``None`` if it is none.

    Surrounding whitespace is ignored; everything else must be the address. ``None`` is the
    answer for any failed check (checksum, length, unknown version byte or hrp, segwit rules).

    >>> info = validate_address("  BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4 ")
    >>> info.currency, info.network, info.kind, info.address
    ('BTC', 'mainnet', 'p2wpkh', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4')
    >>> validate_address("not an address") is None
    True
    """
    text = text.strip()
    length = len(text)
    if not _MIN_LENGTH <= length <= _MAX_LENGTH:
        return None
    if length == 42 and text.startswith("0x"):
        return validate_ethereum(text)
    if length in MONERO_LENGTHS:
        return validate_monero(text)
    if text.lower().startswith(SEGWIT_PREFIXES):
        return validate_segwit(text)
    return validate_base58check(text)


def find_addresses(text: str, *, require_checksum: bool = False) -> list[tuple[AddressInfo, int, int]]:
    """Every valid address in ``text`` as ``(info, start, end)``, in order of appearance.

    A candidate that fails any check is dropped, never reported. With ``require_checksum`` the
    Ethereum addresses written in one case (no EIP-55 checksum) are dropped too.

    >>> find_addresses("BTC: 1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH (not 1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMJ)")[0][1:]
    (5, 39)
    >>> find_addresses("0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359", require_checksum=True)
    []
    """
    found = []
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        if end - start > _MAX_LENGTH:
            continue
        info = validate_address(match.group())
        if info is not None and (info.checksummed or not require_checksum):
            found.append((info, start, end))
    return found
