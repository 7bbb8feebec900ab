"""WARC evidence: SHA-256 digests written, read back by pointer, tampering detected."""
from __future__ import annotations

import gzip

import pytest
from warcio.archiveiterator import ArchiveIterator

from onionwatch.evidence import DigestMismatch, EvidenceWriter, read_response


def test_round_trip_and_record_types(tmp_path):
    path = tmp_path / "a.warc.gz"
    with EvidenceWriter(path, info={"software": "test"}) as writer:
        first = writer.write_response("http://m/1", 200, [("Content-Type", "text/html")], b"<p>one</p>",
                                      fetched_at="2026-01-01T00:00:00Z")
        writer.write_request("http://m/1", "GET", [("Accept", "*/*")], concurrent_to=first.record_id)
        second = writer.write_response("http://m/2", 404, [], "<p>zwei ü</p>".encode(),
                                       fetched_at="2026-01-01T00:00:01Z")
    assert read_response(second).body.decode() == "<p>zwei ü</p>"
    assert read_response(first).status == 200
    with open(path, "rb") as fh:
        types = [r.rec_type for r in ArchiveIterator(fh)]
    assert types == ["warcinfo", "response", "request", "response"]
    assert first.digest.startswith("sha256:") and first.digest != second.digest


def test_gzip_content_encoding_is_archived_raw_and_read_decoded(tmp_path):
    body = gzip.compress(b"<html>packed</html>")
    with EvidenceWriter(tmp_path / "g.warc.gz") as writer:
        ev = writer.write_response("http://m/g", 200, [("Content-Encoding", "gzip")], body,
                                   fetched_at="2026-01-01T00:00:00Z")
    assert read_response(ev).body == b"<html>packed</html>"


def test_tampered_payload_is_detected(tmp_path):
    path = tmp_path / "t.warc"
    with EvidenceWriter(path, compress=False) as writer:  # plain WARC, so the test can edit bytes
        ev = writer.write_response("http://m/1", 200, [], b"price: $100", fetched_at="2026-01-01T00:00:00Z")
    assert read_response(ev).body == b"price: $100"
    path.write_bytes(path.read_bytes().replace(b"price: $100", b"price: $999"))
    with pytest.raises(DigestMismatch):
        read_response(ev)


def test_missing_record_is_a_lookup_error(tmp_path):
    with EvidenceWriter(tmp_path / "m.warc.gz") as writer:
        ev = writer.write_response("http://m/1", 200, [], b"x", fetched_at="2026-01-01T00:00:00Z")
    other = type(ev)(ev.warc_file, "<urn:uuid:nope>", ev.digest, ev.fetched_at, ev.url, None)
    with pytest.raises(LookupError):
        read_response(other)
