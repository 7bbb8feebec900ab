"""OpenPGP ASCII armor as it survives on web pages: find blocks, recover their binary data.

Market pages often strip the armor's line breaks or collapse them into spaces, which glues the
armor headers (``Version: ...``, ``Comment: ...``) to the base64 data: nothing then says where
the data starts. :func:`decode_armor` tries the possible starts, from the likeliest, and keeps
the first whose data the caller's ``accept`` parses (and whose CRC24 line matches, when there is
one). Written by hand: armor is a few lines of base64, and no library reads mangled armor.

>>> blocks = find_armor_blocks("x -----BEGIN PGP PUBLIC KEY BLOCK----- abc -----END PGP PUBLIC KEY BLOCK----- y")
>>> [(b.start, b.end, b.body) for b in blocks]
[(2, 77, ' abc ')]
>>> crc24(b"")
11994318
"""
from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from extract.errors import ValidatorError

__all__ = ["ArmorBlock", "find_armor_blocks", "decode_armor", "crc24"]

T = TypeVar("T")

_BEGIN = re.compile(r"-----BEGIN\s+PGP\s+PUBLIC\s+KEY\s+BLOCK-----")
_END = re.compile(r"-----END\s+PGP\s+PUBLIC\s+KEY\s+BLOCK-----")
# The checksum line: "=" and 4 base64 characters at the very end (base64 data has "=" only as
# trailing padding, so this cannot be data even when the line break before it was stripped).
_CRC = re.compile(r"=([A-Za-z0-9+/]{4})\s*\Z")
# A character that cannot be in the data (a header's ":" and the like): the data follows the last.
_NOT_DATA = re.compile(r"[^A-Za-z0-9+/=\s]")
_WHITESPACE = re.compile(r"\s+")
# First base64 quartets of the packets a key block may start with: an old-format (0x98-0x9B)
# or new-format (0xC6) public-key packet header.
_FIRST_BYTES = frozenset((0x98, 0x99, 0x9A, 0x9B, 0xC6))
MAX_TOKEN_STARTS = 16
MAX_CHAR_STARTS = 256


@dataclass(frozen=True)
class ArmorBlock:
    """A public key block's span in the text (BEGIN to END line) and the body between them.

    ``complete`` is False for a BEGIN line with no END line before the next BEGIN (or the end of
    the text); such a block spans to the end of its BEGIN line and has an empty body.
    """

    start: int
    end: int
    body: str
    complete: bool = True


def find_armor_blocks(text: str) -> list[ArmorBlock]:
    """Every ``PGP PUBLIC KEY BLOCK`` in ``text``, in order, truncated ones included."""
    begins = list(_BEGIN.finditer(text))
    blocks = []
    for index, begin in enumerate(begins):
        limit = begins[index + 1].start() if index + 1 < len(begins) else len(text)
        end = _END.search(text, begin.end(), limit)
        if end is None:
            blocks.append(ArmorBlock(begin.start(), begin.end(), "", complete=False))
        else:
            blocks.append(ArmorBlock(begin.start(), end.end(), text[begin.end() : end.start()]))
    return blocks


def crc24(data: bytes) -> int:
    """The armor checksum of RFC 9580 section 6.1."""
    crc = 0xB704CE
    for byte in data:
        crc ^= byte << 16
        for _ in range(8):
            crc <<= 1
            if crc & 0x1000000:
                crc ^= 0x1864CFB
    return crc & 0xFFFFFF


def _starts(region: str) -> tuple[str, Iterator[int]]:
    """The region without whitespace, and candidate data starts in it, likeliest first."""
    tokens = region.split()
    compact = "".join(tokens)

    def candidates() -> Iterator[int]:
        seen = set()
        offset = 0
        for token in tokens[:MAX_TOKEN_STARTS]:  # a header value is whole words
            seen.add(offset)
            yield offset
            offset += len(token)
        for offset in range(min(len(compact), MAX_CHAR_STARTS)):  # glued to the data
            if offset not in seen:
                yield offset

    return compact, candidates()


def _plausible(compact: str, offset: int) -> bool:
    if (len(compact) - offset) % 4:
        return False
    try:
        first = base64.b64decode(compact[offset : offset + 4], validate=True)
    except binascii.Error:
        return False
    return bool(first) and first[0] in _FIRST_BYTES


def decode_armor(body: str, accept: Callable[[bytes], T]) -> T:
    """Return ``accept(data)`` for the first plausible decoding of an armor body.

    ``accept`` parses the binary data and raises :class:`ValidatorError` if it is not what it
    should be. Raises the first such error, or PGP002 (no base64 data) / PGP003 (no decoding
    matches the CRC24 line) when no candidate got as far as ``accept``.
    """
    body = body.strip()
    crc_match = _CRC.search(body)
    expected_crc = None
    if crc_match:
        expected_crc = int.from_bytes(base64.b64decode(crc_match.group(1)), "big")
        body = body[: crc_match.start()]
    data_start = 0
    for match in _NOT_DATA.finditer(body):  # linear; a "[...]*\Z" search would be quadratic
        data_start = match.end()
    region = body[data_start:]
    compact, candidates = _starts(region)
    first_error: ValidatorError | None = None
    crc_failed = False
    for offset in candidates:
        if not _plausible(compact, offset):
            continue
        try:
            data = base64.b64decode(compact[offset:], validate=True)
        except binascii.Error:
            continue
        if expected_crc is not None and crc24(data) != expected_crc:
            crc_failed = True
            continue
        try:
            return accept(data)
        except ValidatorError as error:
            first_error = first_error or error
    if first_error is not None:
        raise first_error
    raise ValidatorError("PGP003" if crc_failed else "PGP002")
