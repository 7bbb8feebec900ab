"""Error codes of the validators, kept in one place (the spaCy way).

Address validators never raise on bad input: an address that fails a check is simply not one
(``validate_address`` returns ``None``). Parsers of larger structures (OpenPGP key blocks) raise
:class:`ValidatorError`, whose ``code`` says what was wrong, so callers can count and report.

>>> err = ValidatorError("PGP003")
>>> err.code, str(err)
('PGP003', '[PGP003] CRC24 checksum line does not match the key data')
>>> str(ValidatorError("PGP007", "version 9"))
'[PGP007] unsupported public-key packet version: version 9'
"""
from __future__ import annotations

__all__ = ["ERRORS", "ValidatorError"]

ERRORS: dict[str, str] = {
    # encoding (base16/base58/base64) and segwit rules
    "ENC001": "invalid segwit address or program",
    # ASCII armor
    "PGP001": "BEGIN line without a matching END line: the block is truncated",
    "PGP002": "no base64 OpenPGP data found between the armor lines",
    "PGP003": "CRC24 checksum line does not match the key data",
    # packets
    "PGP004": "malformed or truncated OpenPGP packet",
    "PGP005": "partial body lengths are not valid in a key block",
    "PGP006": "the data does not start with a public-key packet",
    "PGP007": "unsupported public-key packet version",
    "PGP008": "malformed public-key packet body",
    "PGP009": "no BEGIN PGP PUBLIC KEY BLOCK line in the text",
}


class ValidatorError(ValueError):
    """A parse failure with a stable ``code`` (a key of :data:`ERRORS`) and optional detail."""

    def __init__(self, code: str, detail: str = "") -> None:
        self.code = code
        self.detail = detail
        message = f"[{code}] {ERRORS[code]}"
        super().__init__(f"{message}: {detail}" if detail else message)
