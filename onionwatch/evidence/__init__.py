"""WARC evidence, the source of truth: every index can be rebuilt from it, and every extracted fact
points back to one record here through an :class:`~onionwatch.core.models.Evidence`.

- :mod:`~onionwatch.evidence.warc`: writing responses, requests and metadata, with SHA-256 digests;
- :mod:`~onionwatch.evidence.locate`: finding the WARC file a pointer names in a data directory;
- :mod:`~onionwatch.evidence.read`: reading a response back by pointer, its digest checked;
- :mod:`~onionwatch.evidence.digests`: file and payload digests;
- :mod:`~onionwatch.evidence.verify`: re-checking a file against its digests, log and manifest;
- :mod:`~onionwatch.evidence.custody`: exporting records with their evidence, chain of custody.

It stands on :mod:`onionwatch.core` only; the Scrapy middleware that writes during a crawl lives in
:mod:`crawlers.middlewares.warc` and calls this package.
"""
from __future__ import annotations

from onionwatch.core.layout import digest_log_path, manifest_path
from onionwatch.evidence.digests import DigestMismatch, check_payload_digest, file_sha256, payload_digest
from onionwatch.evidence.locate import portable_pointer, warc_path
from onionwatch.evidence.read import StoredResponse, decode_content, page_text, read_response
from onionwatch.evidence.verify import ArchiveCheck, verify_archive
from onionwatch.evidence.warc import EvidenceWriter, RotatingEvidenceWriter

__all__ = ["EvidenceWriter", "RotatingEvidenceWriter", "StoredResponse", "read_response", "decode_content",
           "page_text", "warc_path", "portable_pointer",
           "DigestMismatch", "file_sha256", "payload_digest", "check_payload_digest", "digest_log_path",
           "manifest_path", "ArchiveCheck", "verify_archive"]
