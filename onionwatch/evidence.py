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

import hashlib
import json
import os
import zlib
import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path
from typing import Any, Iterable

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

from .models import Evidence

log = logging.getLogger(__name__)

__all__ = ["EvidenceWriter", "RotatingEvidenceWriter", "StoredResponse", "read_response", "DigestMismatch",
           "digest_log_path", "manifest_path", "file_sha256", "ArchiveCheck", "verify_archive"]

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
    """Append records to one gzip WARC file, flushed record by record, with a digest log beside it.

    Each record is its own gzip member and is flushed when written, and then a line naming it and
    its digests is flushed to ``<file>.digests.jsonl``; so a crawl killed mid-way leaves an archive
    that verifies up to its last complete record. :meth:`close` writes ``<file>.manifest.json``
    (the file's SHA-256, size, record count and time span): a file without one was cut off.
    """

    def __init__(self, path: str | os.PathLike, *, info: dict[str, str] | None = None,
                 compress: bool = True) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.info = dict(info or {})
        self._file = open(self.path, "ab")
        self._log = open(digest_log_path(self.path), "a", encoding="utf-8")
        self._writer = _Sha256WARCWriter(self._file, gzip=compress, warc_version="1.1")
        self.records = 0
        self._first_date: str | None = None
        self._last_date: str | None = None
        if self._file.tell() == 0:
            self._write(self._writer.create_warcinfo_record(self.path.name, self.info))

    @property
    def size(self) -> int:
        return self._file.tell()

    def _write(self, record) -> int:
        offset = self._file.tell()
        self._writer.write_record(record)
        self._file.flush()
        headers = record.rec_headers
        entry = {"record_id": headers.get_header("WARC-Record-ID"), "type": record.rec_type,
                 "uri": headers.get_header("WARC-Target-URI"), "date": headers.get_header("WARC-Date"),
                 "offset": offset, "length": self._file.tell() - offset,
                 "block_digest": headers.get_header("WARC-Block-Digest"),
                 "payload_digest": headers.get_header("WARC-Payload-Digest")}
        self._log.write(json.dumps(entry) + "\n")
        self._log.flush()
        self.records += 1
        if entry["date"]:
            self._first_date = self._first_date or entry["date"]
            self._last_date = entry["date"]
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

    def write_metadata(self, url: str, fields: dict[str, Any], *, concurrent_to: str | None = None) -> str:
        """Write a metadata record (``application/warc-fields``) about a fetch; return its id.

        The crawler writes one a response: crawl id, market, account alias, proxy circuit and tool
        version, so the custody of each page is in the archive itself.
        """
        body = "".join(f"{k}: {_field_value(v)}\r\n" for k, v in fields.items()).encode("utf-8")
        warc_headers = {"WARC-Concurrent-To": concurrent_to} if concurrent_to else {}
        record = self._writer.create_warc_record(
            url, "metadata", payload=BytesIO(body), length=len(body),
            warc_content_type="application/warc-fields", warc_headers_dict=warc_headers,
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
        """Close the file and complete its manifest (file digest, size, records, time span)."""
        if self._file.closed:
            return
        self._file.close()
        self._log.close()
        manifest = {
            "file": self.path.name,
            "sha256": file_sha256(self.path),
            "bytes": self.path.stat().st_size,
            "records": _count_log(digest_log_path(self.path)),
            "first_date": self._first_date,
            "last_date": self._last_date,
            "closed_at": _now(),
            "info": self.info,
        }
        tmp = manifest_path(self.path).with_suffix(".tmp")
        tmp.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, manifest_path(self.path))

    def __enter__(self) -> "EvidenceWriter":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


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
        while f"{self.prefix}-{serial:05d}.warc.gz" in taken:
            serial += 1
        return self.folder / f"{self.prefix}-{serial:05d}.warc.gz"

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


def digest_log_path(warc_path: str | os.PathLike) -> Path:
    return Path(f"{warc_path}.digests.jsonl")


def manifest_path(warc_path: str | os.PathLike) -> Path:
    return Path(f"{warc_path}.manifest.json")


def file_sha256(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _count_log(path: Path) -> int:
    with open(path, encoding="utf-8") as fh:
        return sum(1 for line in fh if line.strip())


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _field_value(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    return " ".join(text.split())


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


@dataclass
class ArchiveCheck:
    """What :func:`verify_archive` found in one WARC file.

    ``ok`` means no record disagrees with its digests, the digest log or the manifest. A file cut
    off by a crash is ``ok`` up to its last complete record: ``closed`` is False and ``cut_off``
    says whether a partial record follows the complete ones.
    """

    path: Path
    records: int = 0
    closed: bool = False
    cut_off: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        state = "closed, manifest matches" if self.closed else (
            "cut off (no manifest): verified up to its last complete record" if self.cut_off
            else "not closed (no manifest)")
        verdict = "OK" if self.ok else f"FAILED ({len(self.problems)} problem(s))"
        return f"{verdict}  {self.path}  {self.records} records, {state}"


def _read_log(path: Path) -> dict[str, dict]:
    entries: dict[str, dict] = {}
    if not path.exists():
        return entries
    with open(path, "rb") as fh:
        for line in fh:
            if not line.endswith(b"\n"):
                break  # a line cut off by a crash
            entry = json.loads(line)
            entries[entry["record_id"]] = entry
    return entries


def verify_archive(path: str | os.PathLike) -> ArchiveCheck:
    """Re-check every record of a WARC file against its block and payload digests (warcio's
    digest checker), against the digest log written beside it, and the whole file against its
    manifest when it has one.

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "v.warc.gz")
    >>> with EvidenceWriter(p) as w:
    ...     _ = w.write_response("http://m/", 200, [], b"hi", fetched_at="2026-01-01T00:00:00Z")
    >>> verify_archive(p).summary().startswith("OK")
    True
    """
    path = Path(path)
    check = ArchiveCheck(path=path)
    logged = _read_log(digest_log_path(path))
    seen: set[str] = set()
    pending_unlogged: str | None = None
    with open(path, "rb") as fh:
        iterator = ArchiveIterator(fh, check_digests=True)
        try:
            for record in iterator:
                record.raw_stream.read()
                headers = record.rec_headers
                record_id = headers.get_header("WARC-Record-ID")
                if pending_unlogged:
                    check.problems.append(f"record {pending_unlogged} is incomplete or not in the digest log")
                    pending_unlogged = None
                logged_entry = logged.get(record_id)
                if getattr(record.raw_stream, "limit", 0) > 0 or (
                        record.digest_checker.passed is False and logged_entry is None):
                    pending_unlogged = record_id  # shorter than its length: the crash's last record
                    check.records += 1
                    seen.add(record_id)
                    continue
                if record.digest_checker.passed is False:
                    check.problems.append(f"record {record_id} ({headers.get_header('WARC-Target-URI')}):"
                                          f" {'; '.join(record.digest_checker.problems)}")
                entry = logged.get(record_id)
                if entry is None:
                    pending_unlogged = record_id  # fine only for a last record cut off by a crash
                elif (entry["block_digest"], entry["payload_digest"]) != (
                        headers.get_header("WARC-Block-Digest"), headers.get_header("WARC-Payload-Digest")):
                    check.problems.append(f"record {record_id}: digests differ from the digest log")
                seen.add(record_id)
                check.records += 1
        except Exception as exc:  # noqa: BLE001 - any failure to read on is the end of the readable part
            check.cut_off = True
            pending_unlogged = None
            log.debug("%s: unreadable after record %d: %s", path, check.records, exc)
    if pending_unlogged:
        check.cut_off = True
        check.records -= 1
        seen.discard(pending_unlogged)
        if pending_unlogged in logged:
            check.problems.append(f"record {pending_unlogged} was logged complete but is cut off in the file")
    for record_id in set(logged) - seen - {pending_unlogged}:
        check.problems.append(f"record {record_id} is in the digest log but not in the file")
    manifest = manifest_path(path)
    if manifest.exists():
        data = json.loads(manifest.read_text(encoding="utf-8"))
        check.closed = True
        if data.get("sha256") != file_sha256(path) or data.get("bytes") != path.stat().st_size:
            check.problems.append("the file changed after it was closed: its SHA-256 or size differs from"
                                  f" {manifest.name}")
        if data.get("records") != check.records:
            check.problems.append(f"{manifest.name} counts {data.get('records')} records, the file has"
                                  f" {check.records}")
    return check
