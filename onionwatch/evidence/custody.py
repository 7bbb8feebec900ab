"""Chain of custody: find the WARC records behind a listing or vendor, show them, bundle them.

A bundle (``export_bundle``) is a zip for a partner agency or a court holding, for each record
behind the chosen listing or vendor accounts, the WARC records exactly as archived (the response,
the request that fetched it and the crawl's metadata record, as a small valid ``.warc.gz``), the
crawl records that cite them, and ``custody.json``: digests of every file in the bundle, the
source WARC files' digests and manifests, the digest checks run at export, the tool version and
the time of export.
"""
from __future__ import annotations

import hashlib
import json
import os
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

from warcio.archiveiterator import ArchiveIterator

import onionwatch
from onionwatch.core.jsonl import log_bad_line, read_jsonl
from onionwatch.core.layout import digest_log_path, manifest_path, records_glob
from onionwatch.core.models import Evidence
from onionwatch.evidence.digests import file_sha256
from onionwatch.evidence.locate import warc_path
from onionwatch.evidence.verify import verify_archive

__all__ = ["find_records", "records_behind", "ArchivedRecord", "export_bundle"]


@dataclass
class ArchivedRecord:
    record_id: str
    rec_type: str
    uri: str
    date: str
    block_digest: str | None
    payload_digest: str | None
    warc_file: str
    offset: int
    raw: bytes  # the record's gzip member, byte for byte as archived
    fields: dict[str, str]


def find_records(items_dir: Path, key: str) -> list[dict]:
    """Crawl records whose listing id, vendor handle, ``market/id`` or ``market/handle`` is ``key``."""
    market, _, ident = key.rpartition("/")
    found = []
    for path in sorted(Path(items_dir).glob(records_glob())):
        for record in read_jsonl(path, on_error=log_bad_line):  # a damaged line: a warning naming it
            name = record.get("listing_id") if record.get("kind") == "listing" else record.get("handle")
            if name == ident and (not market or record.get("market") == market) and record.get("evidence"):
                found.append(record)
    return found


def records_behind(evidence: Evidence, data_dir: str | os.PathLike | None = None) -> list[ArchivedRecord]:
    """The response an evidence pointer names and the request and metadata records written with it
    (the pointer resolved against ``data_dir``, default the configured data directory)."""
    found: list[ArchivedRecord] = []
    source = warc_path(evidence.warc_file, data_dir)
    with open(source, "rb") as fh:
        fh.seek(evidence.offset or 0)
        iterator = ArchiveIterator(fh)
        for record in iterator:
            headers = record.rec_headers
            record_id = headers.get_header("WARC-Record-ID")
            related = record_id == evidence.record_id or headers.get_header("WARC-Concurrent-To") == evidence.record_id
            body = record.content_stream().read() if record.rec_type == "metadata" else b""
            start = iterator.get_record_offset()
            if related:
                found.append(ArchivedRecord(
                    record_id=record_id, rec_type=record.rec_type, uri=headers.get_header("WARC-Target-URI"),
                    date=headers.get_header("WARC-Date"), block_digest=headers.get_header("WARC-Block-Digest"),
                    payload_digest=headers.get_header("WARC-Payload-Digest"), warc_file=evidence.warc_file,
                    offset=start, raw=b"", fields=_warc_fields(body)))
            elif found:
                break
    with open(source, "rb") as fh:
        offsets = _member_lengths(source)
        for rec in found:
            fh.seek(rec.offset)
            rec.raw = fh.read(offsets[rec.offset])
    return found


def _member_lengths(path: Path) -> dict[int, int]:
    """offset -> length of each record, from the digest log written beside the WARC file."""
    return {entry["offset"]: entry["length"] for entry in read_jsonl(digest_log_path(path), partial_tail="ignore")
            if isinstance(entry.get("offset"), int) and isinstance(entry.get("length"), int)}


def _warc_fields(body: bytes) -> dict[str, str]:
    fields = {}
    for line in body.decode("utf-8", "replace").splitlines():
        name, sep, value = line.partition(":")
        if sep:
            fields[name.strip()] = value.strip()
    return fields


def export_bundle(records: Iterable[dict], out: Path, *, subject: str,
                  data_dir: str | os.PathLike | None = None) -> dict:
    """Write the evidence bundle for these crawl records to ``out`` (a zip); return its custody summary.
    Evidence pointers are resolved against ``data_dir`` (default: the configured data directory)."""
    records = list(records)
    if not records:
        raise LookupError(f"no crawl records with evidence for {subject!r}")
    custody: dict = {"subject": subject, "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                     "software": f"onionwatch/{onionwatch.__version__}", "items": [], "source_warc_files": {},
                     "files": {}}
    files: dict[str, bytes] = {}
    for n, record in enumerate(records):
        evidence = Evidence.from_dict(record["evidence"])
        archived = records_behind(evidence, data_dir)
        name = f"records/{n:04d}-{record['kind']}-{record['market']}.warc.gz"
        files[name] = b"".join(r.raw for r in archived)
        files[f"records/{n:04d}-{record['kind']}-{record['market']}.json"] = json.dumps(record, indent=2).encode()
        custody["items"].append({
            "record": name, "kind": record["kind"], "market": record["market"], "url": record.get("url"),
            "fetched_at": evidence.fetched_at, "payload_digest": evidence.digest,
            "warc_records": [{"id": r.record_id, "type": r.rec_type, "date": r.date, "block_digest": r.block_digest,
                              "payload_digest": r.payload_digest, "source_offset": r.offset, **(
                                  {"metadata": r.fields} if r.fields else {})} for r in archived]})
        source = warc_path(evidence.warc_file, data_dir)
        if source.name not in custody["source_warc_files"]:
            check = verify_archive(source)
            manifest = manifest_path(source)
            custody["source_warc_files"][source.name] = {
                "sha256": file_sha256(source), "verified_at_export": check.summary(), "problems": check.problems,
                "manifest": json.loads(manifest.read_text()) if manifest.exists() else None}
    for name, data in files.items():
        custody["files"][name] = "sha256:" + hashlib.sha256(data).hexdigest()
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, data in files.items():
            bundle.writestr(name, data)
        bundle.writestr("custody.json", json.dumps(custody, indent=2))
    return custody
