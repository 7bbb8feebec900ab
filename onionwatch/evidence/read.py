"""Reading WARC evidence back by pointer: the stored response an :class:`~onionwatch.core.models.Evidence`
names, its digest checked, its Content-Encoding undone."""
from __future__ import annotations

import zlib
from dataclasses import dataclass

from warcio.archiveiterator import ArchiveIterator

from onionwatch.core.models import Evidence
from onionwatch.evidence.digests import check_payload_digest

__all__ = ["StoredResponse", "read_response", "decode_content"]


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
                check_payload_digest(payload, digest, evidence)
            headers = list(record.http_headers.headers) if record.http_headers else []
            status = int(record.http_headers.get_statuscode()) if record.http_headers else 0
            return StoredResponse(
                url=record.rec_headers.get_header("WARC-Target-URI"),
                status=status,
                headers=headers,
                body=decode_content(payload, headers),
                record_id=evidence.record_id,
                digest=digest,
            )
    raise LookupError(f"record {evidence.record_id} not found in {evidence.warc_file}")


def decode_content(payload: bytes, headers: list[tuple[str, str]]) -> bytes:
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
