"""Ethereum addresses and their EIP-55 mixed-case checksum (only Keccak-256 is needed).

EIP-55 writes hex digit ``i`` of the address in upper case when nibble ``i`` of
Keccak-256(lower-case hex address) is 8 or more. The reporting rule:

- text equal to its EIP-55 form: valid, ``checksummed=True`` (this includes the EIP's own
  examples whose EIP-55 form happens to be all upper or all lower case);
- any other text written all in lower or all in upper case: it carries no checksum (EIP-55
  says such addresses are unchecksummed), so it is accepted with ``checksummed=False`` and
  normalised to its EIP-55 form; ``find_addresses(..., require_checksum=True)`` drops these;
- mixed case that does not match: a failed checksum, rejected.

An address names no chain (the same one is valid on every EVM chain): ``network`` is reported
as ``mainnet``, the chain it is almost always meant for.

>>> validate_ethereum("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed").checksummed
True
>>> info = validate_ethereum("0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359")
>>> info.address, info.checksummed
('0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359', False)
>>> validate_ethereum("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD") is None
True
"""
from __future__ import annotations

import re

from extract.validators._keccak import keccak256
from extract.validators.models import AddressInfo

__all__ = ["to_checksum_address", "validate_ethereum"]

_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")


def to_checksum_address(address: str) -> str:
    """Return the EIP-55 form of ``0x`` + 40 hex digits (any case); ``ValueError`` otherwise.

    >>> to_checksum_address("0xDBF03B407C01E7CD3CBEA99509D93F8DDDC8C6FB")
    '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB'
    """
    if not _ADDRESS.fullmatch(address):
        raise ValueError(f"not an Ethereum address: {address!r}")
    hex_digits = address[2:].lower()
    digest = keccak256(hex_digits.encode("ascii")).hex()
    return "0x" + "".join(
        char.upper() if int(nibble, 16) >= 8 else char for char, nibble in zip(hex_digits, digest[:40], strict=True)
    )


def validate_ethereum(text: str) -> AddressInfo | None:
    """Check an Ethereum address; see the module docstring for how unchecksummed ones are reported."""
    if not _ADDRESS.fullmatch(text):
        return None
    normalised = to_checksum_address(text)
    if text == normalised:
        return AddressInfo("ETH", "mainnet", "account", normalised)
    digits = text[2:]
    if digits == digits.lower() or digits == digits.upper():
        return AddressInfo("ETH", "mainnet", "account", normalised, checksummed=False)
    return None
