"""Error codes of the extraction stage, in one place.

A record that cannot be extracted gives ``{"id", "source", "error": {"code", "message"}}`` instead
of stopping a batch; the code says what went wrong, the message what to do about it.

>>> error_record("p1", "dream", ErrorCode.EMPTY_INPUT, "no text")["error"]["code"]
'empty_input'
"""
from __future__ import annotations

from enum import Enum
from typing import Any

__all__ = ["ErrorCode", "ExtractError", "error_record"]


class ErrorCode(str, Enum):
    """Why a record gave no extraction."""

    EMPTY_INPUT = "empty_input"            # no title, text, description or html, or only whitespace
    BINARY_INPUT = "binary_input"          # NUL bytes or mostly control characters: not a text page
    INVALID_ENCODING = "invalid_encoding"  # a .jsonl line that is not UTF-8 (pages are decoded by their charset)
    INPUT_TOO_LARGE = "input_too_large"    # raw input over ``max_input_bytes``
    TEXT_TOO_LONG = "text_too_long"        # text to analyse over ``max_text_chars``
    BAD_RECORD = "bad_record"              # missing id, wrong field types, not a JSON object
    BAD_HTML = "bad_html"                  # HTML that lxml cannot parse at all
    UNREADABLE_FILE = "unreadable_file"    # a path that cannot be opened or read
    UNSUPPORTED_FILE = "unsupported_file"  # a suffix other than .html .htm .txt .jsonl
    BAD_JSON = "bad_json"                  # a .jsonl line that is not JSON
    PIPELINE_ERROR = "pipeline_error"      # a component raised on this record (a bug: please report it)


class ExtractError(ValueError):
    """A record-level failure with its :class:`ErrorCode`."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(f"[{code.value}] {message}")
        self.code = code
        self.message = message


def error_record(id: Any, source: Any, code: ErrorCode, message: str) -> dict[str, Any]:
    """The per-record error object that takes the place of a result."""
    return {"id": id, "source": source, "error": {"code": ErrorCode(code).value, "message": message}}
