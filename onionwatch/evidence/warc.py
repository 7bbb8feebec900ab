"""Writing WARC evidence: every fetched response with SHA-256 digests, a digest log beside each file,
and a manifest once the file is closed.

>>> import tempfile, os
>>> from onionwatch.evidence.read import read_response
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

import hashlib
import json
import os
import zlib
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path
from typing import Any, Iterable

from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

from onionwatch.core.layout import digest_log_path, evidence_pointer, manifest_path, warc_file_name
from onionwatch.core.models import Evidence
from onionwatch.evidence.digests import file_sha256, warc_digest
from onionwatch.evidence.read import media_type

__all__ = ["EvidenceWriter", "RotatingEvidenceWriter", "GZIP_LEVEL", "COMPRESSED_TYPES"]

#: zlib's level for each record's gzip member: 6, the default of zlib and of gzip(1). (warcio's own
#: writer uses 9, which on a 130 kB market page costs about three times the CPU for 5% fewer bytes.)
GZIP_LEVEL = 6
#: Payloads already compressed by their format (photos, archives, media), kept in *stored* gzip
#: members: deflating a JPEG again saves a few percent of its bytes for most of the CPU a record
#: costs. (``image/svg+xml`` and ``image/bmp`` are not in it: they are text and raw pixels.)
COMPRESSED_TYPES = frozenset({
    "image/jpeg", "image/pjpeg", "image/png", "image/gif", "image/webp", "image/avif", "image/heic",
    "application/zip", "application/gzip", "application/x-gzip", "application/x-bzip2", "application/x-xz",
    "application/zstd", "application/x-7z-compressed", "application/vnd.rar", "application/x-rar-compressed",
    "font/woff", "font/woff2",
})

_REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 403: "Forbidden", 404: "Not Found",
            429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable"}


class _Sha256WARCWriter(WARCWriter):
    """warcio's writer with SHA-256 block and payload digests instead of SHA-1 (the records written
    here come with both digests already computed; the warcinfo record is digested by warcio)."""

    @staticmethod
    def _create_digester():
        return Digester("sha256")


class _GzipMembers:
    """Where warcio writes a record when the archive is gzipped: one gzip member a record. warcio
    ends every record with ``flush()``, which ends the member; the file itself is flushed by
    :meth:`EvidenceWriter._write` once the record is complete.

    :meth:`next_member` fits the next member to its record. Its window is no larger than the
    record needs (deflate can only refer back within the record, so it finds the same matches; a
    full 32 kB window and its tables cost more to set up than a short record costs to compress),
    and a payload its format already compressed goes in stored blocks. Any gzip reader reads both.

    >>> import gzip, io
    >>> out = io.BytesIO(); members = _GzipMembers(out, 6)
    >>> members.next_member(300); members.write(b"GET / HTTP/1.1" * 20); members.flush()
    >>> members.next_member(5000, stored=True); members.write(b"JFIF jpeg"); members.flush()
    >>> gzip.decompress(out.getvalue()) == b"GET / HTTP/1.1" * 20 + b"JFIF jpeg"
    True
    """

    def __init__(self, file, level: int) -> None:
        self._file = file
        self._level = level
        self._member = None
        self._next = (level, zlib.MAX_WBITS, 8)  # level, window bits, memory level

    def next_member(self, size: int, *, stored: bool = False) -> None:
        """Fit the next member to a record of about ``size`` bytes (see the class)."""
        bits = max(9, min(zlib.MAX_WBITS, (max(size, 2) - 1).bit_length()))
        self._next = (0 if stored else self._level, bits, max(1, min(8, bits - 6)))

    def write(self, data: bytes) -> None:
        if self._member is None:
            level, bits, memory = self._next
            self._member = zlib.compressobj(level, zlib.DEFLATED, 16 + bits, memory)
        self._file.write(self._member.compress(data))

    def flush(self) -> None:
        if self._member is not None:
            self._file.write(self._member.flush())
            self._member = None
            self._next = (self._level, zlib.MAX_WBITS, 8)

    def discard(self) -> None:
        """Forget a member cut off by an error, so the next record starts a member of its own."""
        self._member = None
        self._next = (self._level, zlib.MAX_WBITS, 8)


class EvidenceWriter:
    """Append records to one gzip WARC file, flushed record by record, with a digest log beside it.

    Each record is its own gzip member and is flushed when written, and then a line naming it and
    its digests is flushed to ``<file>.digests.jsonl``; so a crawl killed mid-way leaves an archive
    that verifies up to its last complete record. :meth:`close` writes ``<file>.manifest.json``
    (the file's SHA-256, size, record count and time span): a file without one was cut off.

    Each record's SHA-256 block and payload digests are computed once, from the bytes in memory,
    and given to warcio with the record (it would otherwise read the payload once for each).
    """

    def __init__(self, path: str | os.PathLike, *, info: dict[str, str] | None = None,
                 compress: bool = True) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.info = dict(info or {})
        self._pointer = evidence_pointer(self.path)  # warc/<name>: relative to the data directory
        self._file = open(self.path, "ab")
        self._log = open(digest_log_path(self.path), "a", encoding="utf-8")
        self._out = _GzipMembers(self._file, GZIP_LEVEL) if compress else None
        self._writer = _Sha256WARCWriter(self._out or self._file, gzip=False, warc_version="1.1")
        self._end = self._file.tell()  # where the next record starts (a tell() is a system call)
        self.records = 0
        self._first_date: str | None = None
        self._last_date: str | None = None
        if self._file.tell() == 0:
            record = self._writer.create_warcinfo_record(self.path.name, self.info)
            headers = record.rec_headers
            self._write(record, headers.get_header("WARC-Record-ID"), headers.get_header("WARC-Date"),
                        None, None)  # (warcio digests it as it writes it)

    @property
    def size(self) -> int:
        return self._end

    def _record(self, url: str, record_type: str, body: bytes, *, http_headers: StatusAndHeaders | None = None,
                content_type: str = "", date: str | None = None, concurrent_to: str | None = None):
        """A record with its WARC headers and both digests; returns (record, id, date, block digest,
        payload digest)."""
        payload = warc_digest(body)
        if http_headers is not None:
            http_headers.compute_headers_buffer()  # the header block as warcio writes it, digested with the body
            block = warc_digest(http_headers.headers_buff, body)
        else:
            block = payload
        record_id = StatusAndHeadersParser.make_warc_id()
        date = date or self._writer.curr_warc_date()
        headers = [("WARC-Type", record_type), ("WARC-Record-ID", record_id), ("WARC-Target-URI", url),
                   ("WARC-Date", date)]
        if concurrent_to:
            headers.append(("WARC-Concurrent-To", concurrent_to))
        headers += [("WARC-Payload-Digest", payload), ("WARC-Block-Digest", block)]
        record = self._writer.create_warc_record(
            url, record_type, payload=BytesIO(body), length=len(body), http_headers=http_headers,
            warc_content_type=content_type,
            warc_headers=StatusAndHeaders("", headers, protocol=self._writer.warc_version))
        return record, record_id, date, block, payload

    def _write(self, record, record_id: str, date: str | None, block: str | None, payload: str | None,
               *, size: int | None = None, stored: bool = False) -> int:
        """Write a record and flush it, then log and flush its digest line. ``size`` (about the
        record's bytes) and ``stored`` fit its gzip member (:meth:`_GzipMembers.next_member`)."""
        offset = self._end
        if self._out is not None and size is not None:
            self._out.next_member(size, stored=stored)
        try:
            self._writer.write_record(record)
            self._file.flush()
        except BaseException:
            if self._out is not None:
                self._out.discard()
            raise
        finally:  # (after an error too: the next record starts wherever this one stopped)
            self._end = self._file.tell()
        block = block or record.rec_headers.get_header("WARC-Block-Digest")
        entry = {"record_id": record_id, "type": record.rec_type,
                 "uri": record.rec_headers.get_header("WARC-Target-URI"), "date": date,
                 "offset": offset, "length": self._end - offset,
                 "block_digest": block, "payload_digest": payload}
        self._log.write(json.dumps(entry) + "\n")
        self._log.flush()
        self.records += 1
        if date:
            self._first_date = self._first_date or date
            self._last_date = date
        return offset

    def write_request(self, url: str, method: str, headers: Iterable[tuple[str, str]],
                      body: bytes = b"", *, concurrent_to: str | None = None) -> str:
        """Write the request that fetched a response; return its record id."""
        path = url.split("/", 3)[3] if url.count("/") >= 3 else ""
        http_headers = StatusAndHeaders(f"{method} /{path} HTTP/1.1", list(headers), is_http_request=True)
        record, record_id, date, block, payload = self._record(
            url, "request", body, http_headers=http_headers, concurrent_to=concurrent_to)
        self._write(record, record_id, date, block, payload, size=_size(body, http_headers))
        return record_id

    def write_metadata(self, url: str, fields: dict[str, Any], *, concurrent_to: str | None = None) -> str:
        """Write a metadata record (``application/warc-fields``) about a fetch; return its id.

        The crawler writes one a response: crawl id, market, account alias, proxy circuit and tool
        version, so the custody of each page is in the archive itself.
        """
        body = "".join(f"{k}: {_field_value(v)}\r\n" for k, v in fields.items()).encode("utf-8")
        record, record_id, date, block, payload = self._record(
            url, "metadata", body, content_type="application/warc-fields", concurrent_to=concurrent_to)
        self._write(record, record_id, date, block, payload, size=_size(body))
        return record_id

    def write_response(self, url: str, status: int, headers: Iterable[tuple[str, str]], body: bytes,
                       *, fetched_at: str) -> Evidence:
        """Write one HTTP response as a WARC response record and return the evidence pointer."""
        status_line = f"{status} {_REASONS.get(status, 'Status')}"
        http_headers = StatusAndHeaders(status_line, list(headers), protocol="HTTP/1.1")
        record, record_id, date, block, payload = self._record(
            url, "response", body, http_headers=http_headers, date=fetched_at)
        offset = self._write(record, record_id, date, block, payload, size=_size(body, http_headers),
                             stored=media_type(http_headers.headers) in COMPRESSED_TYPES)
        return Evidence(
            warc_file=self._pointer,
            record_id=record_id,
            digest=payload,
            fetched_at=fetched_at,
            url=url,
            offset=offset,
        )

    def close(self) -> None:
        """Close the file and complete its manifest (file digest, size, records, time span); the
        digest log's last line then records the closing and the manifest's digest, so a manifest
        deleted or replaced later is found by :func:`~onionwatch.evidence.verify.verify_archive`."""
        if self._file.closed:
            return
        self._file.close()
        self._log.flush()
        manifest = {
            "file": self.path.name,
            "sha256": file_sha256(self.path),
            "bytes": self.path.stat().st_size,
            "records": self.records_logged(),
            "first_date": self._first_date,
            "last_date": self._last_date,
            "closed_at": _now(),
            "info": self.info,
        }
        text = json.dumps(manifest, indent=2) + "\n"
        tmp = manifest_path(self.path).with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, manifest_path(self.path))
        closing = {"type": "close", "closed_at": manifest["closed_at"], "manifest": manifest_path(self.path).name,
                   "manifest_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()}
        self._log.write(json.dumps(closing) + "\n")
        self._log.close()

    def records_logged(self) -> int:
        """The records of the digest log (every record written to the file, a resumed file's too)."""
        return _count_log(digest_log_path(self.path))

    def __enter__(self) -> "EvidenceWriter":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def _size(body: bytes, http_headers: StatusAndHeaders | None = None) -> int:
    """About how many bytes a record takes: its payload, HTTP header block and WARC headers."""
    return len(body) + (len(http_headers.headers_buff) if http_headers is not None else 0) + 512


class RotatingEvidenceWriter:
    """WARC files ``<prefix>-00000.warc.gz``, ``-00001``, ... in a folder, a new one past ``max_bytes``.

    A file is only rotated between fetches (:meth:`begin_fetch`), so a response, its request and its
    metadata stay in one file. A new writer never appends to an existing file: a crawl resumed
    after a crash starts the next number and leaves the cut-off file as it was, verifiable.
    """

    def __init__(self, folder: str | os.PathLike, prefix: str, *, info: dict[str, str] | None = None,
                 max_bytes: int = 1024 ** 3) -> None:
        self.folder = Path(folder)
        self.prefix = prefix
        self.info = dict(info or {})
        self.max_bytes = max_bytes
        self.paths: list[Path] = []
        self._current: EvidenceWriter | None = None

    def _next_path(self) -> Path:
        taken = {p.name for p in self.folder.glob(f"{self.prefix}-*.warc.gz")}
        serial = len(taken)
        while warc_file_name(self.prefix, serial) in taken:
            serial += 1
        return self.folder / warc_file_name(self.prefix, serial)

    @property
    def current(self) -> EvidenceWriter:
        if self._current is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self._next_path()
            self._current = EvidenceWriter(path, info=self.info)
            self.paths.append(path)
        return self._current

    def begin_fetch(self) -> EvidenceWriter:
        """The writer for the next fetch's records, rotating first when the file is full."""
        if self._current is not None and self._current.size >= self.max_bytes:
            self._current.close()
            self._current = None
        return self.current

    def close(self) -> None:
        if self._current is not None:
            self._current.close()
            self._current = None


def _count_log(path: Path) -> int:
    with open(path, encoding="utf-8", errors="replace") as fh:
        return sum(1 for line in fh if line.strip() and '"type": "close"' not in line)


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _field_value(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    return " ".join(text.split())
