"""Verifying a WARC file: every record against its digests, the digest log and the manifest."""
from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from onionwatch.core.jsonl import read_jsonl
from onionwatch.core.layout import digest_log_path, manifest_path
from onionwatch.evidence.digests import file_sha256

log = logging.getLogger(__name__)

__all__ = ["ArchiveCheck", "verify_archive"]


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


def _read_log(path: Path, problems: list[str]) -> dict[str, dict]:
    """The digest log's entries by record id; a line cut off by a crash is not an entry, and a
    damaged line is a problem of the check."""
    if not path.exists():
        return {}
    return {entry["record_id"]: entry
            for entry in read_jsonl(path, on_error=lambda bad: problems.append(f"digest log {bad}"),
                                    partial_tail="ignore")}


def verify_archive(path: str | os.PathLike) -> ArchiveCheck:
    """Re-check every record of a WARC file against its block and payload digests (warcio's
    digest checker), against the digest log written beside it, and the whole file against its
    manifest when it has one.

    >>> import tempfile, os
    >>> from onionwatch.evidence.warc import EvidenceWriter
    >>> p = os.path.join(tempfile.mkdtemp(), "v.warc.gz")
    >>> with EvidenceWriter(p) as w:
    ...     _ = w.write_response("http://m/", 200, [], b"hi", fetched_at="2026-01-01T00:00:00Z")
    >>> verify_archive(p).summary().startswith("OK")
    True
    """
    path = Path(path)
    check = ArchiveCheck(path=path)
    logged = _read_log(digest_log_path(path), check.problems)
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
