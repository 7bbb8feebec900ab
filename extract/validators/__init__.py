"""Pure-function validators for what the extraction pipeline reports: crypto addresses, PGP keys.

Nothing here does I/O or keeps state; everything takes a string and returns plain dataclasses.

>>> validate_address("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0").kind
'p2tr'
"""
from __future__ import annotations

from extract.validators.crypto import find_addresses, validate_address
from extract.errors import ValidatorError
from extract.validators.models import AddressInfo, KeyInfo, PublicKeyInfo
from extract.validators.pgp import find_pgp_key_errors, find_pgp_keys, parse_key_block, parse_key_packets

__all__ = [
    "AddressInfo",
    "KeyInfo",
    "PublicKeyInfo",
    "ValidatorError",
    "find_addresses",
    "find_pgp_key_errors",
    "find_pgp_keys",
    "parse_key_block",
    "parse_key_packets",
    "validate_address",
]
