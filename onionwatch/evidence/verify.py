"""Verifying a WARC file: every record against its digests, the digest log and the manifest.

Each archive gets one verdict (:attr:`ArchiveCheck.verdict`) and the problems behind it; damaged
side files are problems of the check, never a crash that leaves the other archives unchecked:

- a digest log line that is not JSON, not UTF-8 or not a digest entry is a problem naming its line;
- an unreadable manifest is a problem, and so is a missing one when the digest log records that
  the file was closed (the writer's last log line, ``"type": "close"``);
- a stretch of the file that does not decompress is one problem naming the error and the records
  logged there; checking carries on at the next record the digest log places after it.

A file cut off by a crash (no manifest, its last record partial or not yet logged) verifies up to
its last complete record.
"""
from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from onionwatch.core.jsonl import numbered_jsonl
from onionwatch.core.layout import digest_log_path, manifest_path
from onionwatch.evidence.digests import file_sha256

log = logging.getLogger(__name__)

__all__ = ["ArchiveCheck", "verify_archive", "CLOSE_ENTRY"]

#: The ``type`` of the digest log's last line, written when the file is closed and its manifest made.
CLOSE_ENTRY = "close"
_ENTRY_KEYS = {"record_id": str, "offset": int, "length": int}
_MAX_LISTED = 5


@dataclass
class ArchiveCheck:
    """What :func:`verify_archive` found in one WARC file.

    ``ok`` means no record disagrees with its digests, the digest log or the manifest, and every
    side file could be read. A file cut off by a crash is ``ok`` up to its last complete record:
    ``closed`` is False and ``cut_off`` says whether a partial record follows the complete ones.
    ``name`` is how the file is shown (default: its path).
    """

    path: Path
    records: int = 0
    closed: bool = False
    cut_off: bool = False
    problems: list[str] = field(default_factory=list)
    name: str = ""
    unreadable: int = 0  # logged records inside damaged stretches

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def verdict(self) -> str:
        """``OK`` or ``FAILED``: the one word a person or a script needs."""
        return "OK" if self.ok else "FAILED"

    def summary(self) -> str:
        state = "closed, manifest matches" if self.closed and self.ok else "closed" if self.closed else (
            "cut off (no manifest): verified up to its last complete record" if self.cut_off
            else "not closed (no manifest)")
        verdict = "OK" if self.ok else f"FAILED ({len(self.problems)} problem(s))"
        lost = f" ({self.unreadable} unreadable)" if self.unreadable else ""
        return f"{verdict}  {self.name or self.path}  {self.records} records{lost}, {state}"


def _entry_problem(entry: dict[str, Any]) -> str | None:
    for key, kind in _ENTRY_KEYS.items():
        if not isinstance(entry.get(key), kind) or isinstance(entry.get(key), bool):
            return f"not a digest entry ({key!r} missing or not a {kind.__name__})"
    return None


def _read_log(path: Path, problems: list[str]) -> tuple[dict[str, dict], dict | None, bool]:
    """The digest log's entries by record id, its closing entry, and whether it exists. A line cut
    off by a crash is not an entry; a damaged line is a problem of the check."""
    if not path.exists():
        return {}, None, False
    entries: dict[str, dict] = {}
    closing = None
    try:
        for number, entry in numbered_jsonl(path, on_error=lambda bad: problems.append(f"digest log {bad}"),
                                            partial_tail="ignore"):
            if entry.get("type") == CLOSE_ENTRY:
                closing = entry
                continue
            wrong = _entry_problem(entry)
            if wrong:
                problems.append(f"digest log {path}:{number}: {wrong}")
                continue
            entries[entry["record_id"]] = entry
    except OSError as exc:
        problems.append(f"digest log {path} cannot be read ({exc})")
    return entries, closing, True


def _check_manifest(path: Path, check: ArchiveCheck, closing: dict | None) -> None:
    manifest = manifest_path(path)
    if not manifest.exists():
        if closing is not None:
            check.closed = True
            check.problems.append(f"{manifest.name} is missing, but the digest log records that the file was"
                                  f" closed at {closing.get('closed_at')}: the manifest was deleted")
        return
    check.closed = True
    try:
        raw = manifest.read_bytes()
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
    except (OSError, ValueError) as exc:  # UnicodeDecodeError is a ValueError
        check.problems.append(f"{manifest.name} cannot be read ({exc}): the file's digest cannot be checked")
        return
    if closing is not None and closing.get("manifest_sha256") not in (None, _sha256(raw)):
        check.problems.append(f"{manifest.name} changed after the file was closed (its digest differs from the"
                              " digest log's closing line)")
    if data.get("sha256") != file_sha256(path) or data.get("bytes") != path.stat().st_size:
        check.problems.append("the file changed after it was closed: its SHA-256 or size differs from"
                              f" {manifest.name}")
    if data.get("records") != check.records + check.unreadable:
        check.problems.append(f"{manifest.name} counts {data.get('records')} records, the file has"
                              f" {check.records}" + (f" readable and {check.unreadable} unreadable" if check.unreadable else ""))


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _listed(ids: list[str]) -> str:
    shown = ", ".join(ids[:_MAX_LISTED])
    return shown + (f" and {len(ids) - _MAX_LISTED} more" if len(ids) > _MAX_LISTED else "")


def _gzip_error(fh, start: int, end: int) -> str | None:
    """Why the gzip member(s) between two offsets do not decompress (zlib's own words), or None
    when they do (or the file is not gzipped). warcio falls back to raw bytes on such an error,
    so the verdict names it from here."""
    import zlib

    fh.seek(start)
    data = fh.read(end - start)
    if not data.startswith(b"\x1f\x8b"):
        return None
    try:
        while data:
            member = zlib.decompressobj(16 + zlib.MAX_WBITS)
            member.decompress(data)
            if not member.eof:
                return "gzip: the member ends early (the file is cut off)"
            data = member.unused_data
    except zlib.error as exc:
        return f"gzip: {exc}"
    return None


class _Reader:
    """Reads a WARC file record by record, checking each, and carries on past damaged stretches."""

    def __init__(self, path: Path, check: ArchiveCheck, logged: dict[str, dict]) -> None:
        self.path, self.check, self.logged = path, check, logged
        self.starts = sorted(entry["offset"] for entry in logged.values())
        self.by_offset = {entry["offset"]: entry for entry in logged.values()}
        self.seen: set[str] = set()
        self.unlogged: list[tuple[int, str]] = []  # (offset, record id) read but not in the log
        self.damaged: set[str] = set()  # logged records inside a stretch that cannot be read

    def run(self) -> None:
        size = self.path.stat().st_size
        position = 0
        with open(self.path, "rb") as fh:
            while position < size:
                failed_at, error = self._read_from(fh, position)
                if failed_at is None:
                    return
                resume = next((start for start in self.starts if start > failed_at), None)
                inside = [self.by_offset[s]["record_id"] for s in self.starts
                          if failed_at <= s < (resume if resume is not None else size)]
                if resume is None and not inside:
                    self.check.cut_off = True  # past every logged record: the crash's partial last record
                    return
                self.damaged.update(inside)
                end = resume if resume is not None else size
                error = _gzip_error(fh, failed_at, end) or error
                self.check.problems.append(
                    f"bytes {failed_at}-{end} cannot be read ({error}): the file is damaged there;"
                    f" record(s) logged there: {_listed(inside) or 'none'}")
                if resume is None:
                    return
                position = resume

    def _read_from(self, fh, position: int) -> tuple[int | None, str]:
        """Read records from ``position``; return where reading failed and why, or None at the end."""
        fh.seek(position)
        iterator = ArchiveIterator(fh, check_digests=True)
        try:
            for record in iterator:
                start = iterator.offset
                record.raw_stream.read()
                if getattr(record.raw_stream, "limit", 0) > 0:
                    return start, "the record is shorter than its Content-Length"
                record_id = record.rec_headers.get_header("WARC-Record-ID")
                if record.digest_checker.passed is False and record_id not in self.logged:
                    return start, "an unlogged record whose digests fail (a write cut off part way)"
                self._record(record, start)
        except Exception as exc:  # noqa: BLE001 - warcio and zlib raise many kinds; each is a damaged stretch
            return iterator.offset, f"{type(exc).__name__}: {exc}"
        return None, ""

    def _record(self, record, start: int) -> None:
        headers = record.rec_headers
        record_id = headers.get_header("WARC-Record-ID") or f"(no id, byte {start})"
        entry = self.logged.get(record_id)
        if record.digest_checker.passed is False:
            self.check.problems.append(f"record {record_id} ({headers.get_header('WARC-Target-URI')}):"
                                       f" {'; '.join(record.digest_checker.problems)}")
        if entry is None:
            self.unlogged.append((start, record_id))
        else:
            if (entry.get("block_digest"), entry.get("payload_digest")) != (
                    headers.get_header("WARC-Block-Digest"), headers.get_header("WARC-Payload-Digest")):
                self.check.problems.append(f"record {record_id}: digests differ from the digest log")
            if entry["offset"] != start:
                self.check.problems.append(f"record {record_id} is at byte {start}, the digest log says"
                                           f" {entry['offset']}")
        self.seen.add(record_id)
        self.check.records += 1


def verify_archive(path: str | os.PathLike, *, name: str | None = None) -> ArchiveCheck:
    """Re-check every record of a WARC file against its block and payload digests (warcio's
    digest checker), against the digest log written beside it, and the whole file against its
    manifest when it has one. Never raises for a damaged archive or side file: what is wrong is
    in the returned check's ``problems``.

    >>> import tempfile, os
    >>> from onionwatch.evidence.warc import EvidenceWriter
    >>> p = os.path.join(tempfile.mkdtemp(), "v.warc.gz")
    >>> with EvidenceWriter(p) as w:
    ...     _ = w.write_response("http://m/", 200, [], b"hi", fetched_at="2026-01-01T00:00:00Z")
    >>> verify_archive(p).summary().startswith("OK")
    True
    >>> os.remove(p + ".manifest.json")
    >>> verify_archive(p).problems  # doctest: +ELLIPSIS
    ['v.warc.gz.manifest.json is missing, but the digest log records that the file was closed at ...']
    """
    path = Path(path)
    check = ArchiveCheck(path=path, name=name or str(path))
    try:
        if not path.is_file():
            raise FileNotFoundError(f"{path} is not a file")
        logged, closing, has_log = _read_log(digest_log_path(path), check.problems)
        reader = _Reader(path, check, logged)
        reader.run()
        check.unreadable = len(reader.damaged - reader.seen)
    except OSError as exc:
        check.problems.append(f"the file cannot be read ({exc})")
        return check
    if not has_log:
        check.problems.append(f"its digest log {digest_log_path(path).name} is missing: the records were checked"
                              " against their own digests only")
    elif reader.unlogged:
        # the last record may be the crash's: written and flushed, its log line not yet
        last_offset, last_id = reader.unlogged[-1]
        if last_offset == max([last_offset, *reader.starts]) and closing is None and not manifest_path(path).exists():
            reader.unlogged.pop()
            reader.seen.discard(last_id)
            check.records -= 1
            check.cut_off = True
        if reader.unlogged:
            check.problems.append(f"{len(reader.unlogged)} record(s) are not in the digest log:"
                                  f" {_listed([rid for _, rid in reader.unlogged])}")
    missing = [entry["record_id"] for entry in sorted(logged.values(), key=lambda e: e["offset"])
               if entry["record_id"] not in reader.seen and entry["record_id"] not in reader.damaged]
    if missing:
        check.problems.append(f"{len(missing)} record(s) in the digest log are not in the file: {_listed(missing)}")
    _check_manifest(path, check, closing)
    return check
