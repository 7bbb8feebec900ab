"""WARC evidence: write every fetched response with a SHA-256 digest, read it back by pointer.

The WARC archive is the source of truth: every index can be rebuilt from it, and every extracted
fact points back to one record here through an :class:`~onionwatch.models.Evidence`.

>>> import tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "t.warc.gz")
>>> with EvidenceWriter(path, info={"software": "doctest"}) as writer:
...     ev = writer.write_response("http://m/1", 200, [("Content-Type", "text/html")], b"<p>hi</p>",
...                                fetched_at="2026-01-01T00:00:00Z")
>>> ev.digest.startswith("sha256:")
True
>>> read_response(ev).body
b'<p>hi</p>'
"""
from __future__ import annotations

import os
import zlib
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Iterable

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

from .models import Evidence

__all__ = ["EvidenceWriter", "StoredResponse", "read_response", "DigestMismatch"]

_REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 403: "Forbidden", 404: "Not Found",
            429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable"}


class DigestMismatch(Exception):
    """A WARC record's payload no longer matches the digest recorded for it."""


class _Sha256WARCWriter(WARCWriter):
    """warcio's writer with SHA-256 block and payload digests instead of SHA-1."""

    @staticmethod
    def _create_digester():
        return Digester("sha256")


class EvidenceWriter:
    """Append request/response records to one gzip WARC file, flushed record by record.

    Each record is its own gzip member and is flushed when written, so a crawl killed mid-way
    leaves an archive that is valid up to its last complete record.
    """

    def __init__(self, path: str | os.PathLike, *, info: dict[str, str] | None = None,
                 compress: bool = True) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = open(self.path, "ab")
        self._writer = _Sha256WARCWriter(self._file, gzip=compress, warc_version="1.1")
        if self._file.tell() == 0:
            self._write(self._writer.create_warcinfo_record(self.path.name, info or {}))

    def _write(self, record) -> int:
        offset = self._file.tell()
        self._writer.write_record(record)
        self._file.flush()
        return offset

    def write_request(self, url: str, method: str, headers: Iterable[tuple[str, str]],
                      body: bytes = b"", *, concurrent_to: str | None = None) -> str:
        """Write the request that fetched a response; return its record id."""
        path = url.split("/", 3)[3] if url.count("/") >= 3 else ""
        http_headers = StatusAndHeaders(f"{method} /{path} HTTP/1.1", list(headers), is_http_request=True)
        warc_headers = {"WARC-Concurrent-To": concurrent_to} if concurrent_to else None
        record = self._writer.create_warc_record(
            url, "request", payload=BytesIO(body), length=len(body), http_headers=http_headers,
            warc_headers_dict=warc_headers,
        )
        self._write(record)
        return record.rec_headers.get_header("WARC-Record-ID")

    def write_response(self, url: str, status: int, headers: Iterable[tuple[str, str]], body: bytes,
                       *, fetched_at: str) -> Evidence:
        """Write one HTTP response as a WARC response record and return the evidence pointer."""
        status_line = f"{status} {_REASONS.get(status, 'Status')}"
        http_headers = StatusAndHeaders(status_line, list(headers), protocol="HTTP/1.1")
        record = self._writer.create_warc_record(
            url, "response", payload=BytesIO(body), length=len(body), http_headers=http_headers,
            warc_headers_dict={"WARC-Date": fetched_at},
        )
        offset = self._write(record)
        headers_out = record.rec_headers
        return Evidence(
            warc_file=str(self.path),
            record_id=headers_out.get_header("WARC-Record-ID"),
            digest=headers_out.get_header("WARC-Payload-Digest"),
            fetched_at=fetched_at,
            url=url,
            offset=offset,
        )

    def close(self) -> None:
        if not self._file.closed:
            self._file.close()

    def __enter__(self) -> "EvidenceWriter":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


@dataclass
class StoredResponse:
    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    record_id: str
    digest: str


def read_response(evidence: Evidence, *, verify: bool = True) -> StoredResponse:
    """Read the response record an evidence pointer names, checking its payload digest.

    Raises :class:`DigestMismatch` when the payload no longer matches the recorded digest, and
    ``LookupError`` when the record is not in the file.
    """
    with open(evidence.warc_file, "rb") as fh:
        if evidence.offset is not None:
            fh.seek(evidence.offset)
        for record in ArchiveIterator(fh):
            if record.rec_headers.get_header("WARC-Record-ID") != evidence.record_id:
                if evidence.offset is not None:
                    break
                continue
            payload = record.raw_stream.read()
            digest = record.rec_headers.get_header("WARC-Payload-Digest") or ""
            if verify:
                _check_digest(payload, digest, evidence)
            headers = list(record.http_headers.headers) if record.http_headers else []
            status = int(record.http_headers.get_statuscode()) if record.http_headers else 0
            return StoredResponse(
                url=record.rec_headers.get_header("WARC-Target-URI"),
                status=status,
                headers=headers,
                body=_decode_content(payload, headers),
                record_id=evidence.record_id,
                digest=digest,
            )
    raise LookupError(f"record {evidence.record_id} not found in {evidence.warc_file}")


def _decode_content(payload: bytes, headers: list[tuple[str, str]]) -> bytes:
    """Undo a gzip or deflate Content-Encoding; the archive keeps the bytes as they were sent."""
    encoding = next((v.strip().lower() for k, v in headers if k.lower() == "content-encoding"), "")
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompress(payload, 16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        try:
            return zlib.decompress(payload)
        except zlib.error:
            return zlib.decompress(payload, -zlib.MAX_WBITS)
    return payload


def _check_digest(body: bytes, digest: str, evidence: Evidence) -> None:
    digester = Digester("sha256")
    digester.update(body)
    if digest != evidence.digest or str(digester) != digest:
        raise DigestMismatch(
            f"{evidence.warc_file} record {evidence.record_id}: payload digest {digester} does not"
            f" match the recorded {evidence.digest}"
        )
