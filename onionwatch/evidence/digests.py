"""Digests: SHA-256 of whole files and of WARC payloads, and the error raised when one no longer matches."""
from __future__ import annotations

import base64
import hashlib
import os

from onionwatch.core.models import Evidence

__all__ = ["DigestMismatch", "file_sha256", "payload_digest", "warc_digest", "check_payload_digest"]


class DigestMismatch(Exception):
    """A WARC record's payload no longer matches the digest recorded for it."""



def file_sha256(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()



def warc_digest(*parts: bytes) -> str:
    """The SHA-256 of ``parts`` one after the other, in the form WARC digest headers take
    (``sha256:`` and base32, as warcio writes and checks them): a record's block digest is that of
    its HTTP header block and payload, its payload digest that of the payload alone.

    >>> warc_digest(b"h", b"i") == warc_digest(b"hi")
    True
    """
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    return "sha256:" + base64.b32encode(digest.digest()).decode("ascii")


def payload_digest(body: bytes) -> str:
    """The WARC payload digest of ``body``, as the archive records it (warcio's base32 form).

    >>> payload_digest(b"hi")
    'sha256:R5BUGRTER5VZNX4J3WUQDRIXNMIKNWBZMHOTYGWIRNM3FXBSPKSA===='
    """
    return warc_digest(body)


def check_payload_digest(body: bytes, digest: str, evidence: Evidence) -> None:
    """Raise :class:`DigestMismatch` unless ``body`` has the payload digest ``digest`` and that is the
    digest ``evidence`` recorded."""
    actual = payload_digest(body)
    if digest != evidence.digest or actual != digest:
        raise DigestMismatch(
            f"{evidence.warc_file} record {evidence.record_id}: payload digest {actual} does not"
            f" match the recorded {evidence.digest}"
        )
