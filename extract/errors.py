"""Error codes of the extraction stage, in one table (the spaCy way): :class:`ErrorCode`.

Each code carries what it means (``ErrorCode.X.meaning``). Two kinds of failure use them:

- a record that cannot be extracted gives ``{"id", "source", "error": {"code", "message"}}``
  instead of stopping a batch (:func:`error_record`, :class:`ExtractError`); the code says what
  went wrong, the message what to do about it;
- a validator that parses a larger structure (an OpenPGP key block, a segwit program) raises
  :class:`ValidatorError`, whose ``code`` says what was wrong, so callers can count and report.
  Address validators never raise on bad input: an address that fails a check is simply not one.

>>> error_record("p1", "dream", ErrorCode.EMPTY_INPUT, "no text")["error"]["code"]
'empty_input'
>>> err = ValidatorError("PGP003")
>>> err.code, str(err)
('PGP003', '[PGP003] CRC24 checksum line does not match the key data')
>>> str(ValidatorError("PGP007", "version 9"))
'[PGP007] unsupported public-key packet version: version 9'
"""
from __future__ import annotations

from enum import Enum
from typing import Any

__all__ = ["ErrorCode", "ExtractError", "ValidatorError", "ERRORS", "error_record"]


class ErrorCode(str, Enum):
    """Every error code of the extraction stage; its value is the code, ``meaning`` what it means."""

    meaning: str

    def __new__(cls, code: str, meaning: str) -> "ErrorCode":
        member = str.__new__(cls, code)
        member._value_ = code
        member.meaning = meaning
        return member

    # Records: why a record gave no extraction (the value of ``error.code`` in its result).
    EMPTY_INPUT = "empty_input", "no title, text, description or html, or only whitespace"
    BINARY_INPUT = "binary_input", "NUL bytes or mostly control characters: not a text page"
    INVALID_ENCODING = "invalid_encoding", "a .jsonl line that is not UTF-8 (pages are decoded by their charset)"
    INPUT_TOO_LARGE = "input_too_large", "raw input over ``max_input_bytes``"
    TEXT_TOO_LONG = "text_too_long", "text to analyse over ``max_text_chars``"
    BAD_RECORD = "bad_record", "missing id, wrong field types, not a JSON object"
    BAD_HTML = "bad_html", "HTML that lxml cannot parse at all"
    UNREADABLE_FILE = "unreadable_file", "a path that cannot be opened or read"
    UNSUPPORTED_FILE = "unsupported_file", "a suffix other than .html .htm .txt .jsonl"
    BAD_JSON = "bad_json", "a .jsonl line that is not JSON"
    PIPELINE_ERROR = "pipeline_error", "a component raised on this record (a bug: please report it)"

    # Validators: encoding (base16/base58/base64) and segwit rules.
    ENC001 = "ENC001", "invalid segwit address or program"
    # ASCII armor
    PGP001 = "PGP001", "BEGIN line without a matching END line: the block is truncated"
    PGP002 = "PGP002", "no base64 OpenPGP data found between the armor lines"
    PGP003 = "PGP003", "CRC24 checksum line does not match the key data"
    # OpenPGP packets
    PGP004 = "PGP004", "malformed or truncated OpenPGP packet"
    PGP005 = "PGP005", "partial body lengths are not valid in a key block"
    PGP006 = "PGP006", "the data does not start with a public-key packet"
    PGP007 = "PGP007", "unsupported public-key packet version"
    PGP008 = "PGP008", "malformed public-key packet body"
    PGP009 = "PGP009", "no BEGIN PGP PUBLIC KEY BLOCK line in the text"


#: Every code and what it means, as plain strings (a view of :class:`ErrorCode`).
ERRORS: dict[str, str] = {code.value: code.meaning for code in ErrorCode}


class ExtractError(ValueError):
    """A record-level failure with its :class:`ErrorCode`."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(f"[{code.value}] {message}")
        self.code = code
        self.message = message


class ValidatorError(ValueError):
    """A parse failure with a stable ``code`` (a validator's :class:`ErrorCode` value, ``"PGP003"``)
    and optional detail; the message is the code's meaning, then the detail."""

    def __init__(self, code: str, detail: str = "") -> None:
        self.code = ErrorCode(code).value
        self.detail = detail
        message = f"[{self.code}] {ErrorCode(code).meaning}"
        super().__init__(f"{message}: {detail}" if detail else message)


def error_record(id: Any, source: Any, code: ErrorCode, message: str) -> dict[str, Any]:
    """The per-record error object that takes the place of a result."""
    return {"id": id, "source": source, "error": {"code": ErrorCode(code).value, "message": message}}
