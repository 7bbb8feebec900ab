"""WARC evidence: SHA-256 digests written, read back by pointer, tampering detected."""
from __future__ import annotations

import gzip
import json
import os

import pytest
from warcio.archiveiterator import ArchiveIterator

from onionwatch.evidence import (DigestMismatch, EvidenceWriter, RotatingEvidenceWriter, digest_log_path,
                                 file_sha256, manifest_path, read_response, verify_archive)


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


def _fill(writer, n, size=2000):
    for i in range(n):
        w = writer.begin_fetch()
        ev = w.write_response(f"http://m/{i}", 200, [], os.urandom(size), fetched_at="2026-01-01T00:00:00Z")
        w.write_request(f"http://m/{i}", "GET", [], concurrent_to=ev.record_id)
        w.write_metadata(f"http://m/{i}", {"onionwatch-crawl-id": "c1", "onionwatch-market": "m"},
                         concurrent_to=ev.record_id)


def test_rotation_by_size_with_manifest_and_digest_log(tmp_path):
    writer = RotatingEvidenceWriter(tmp_path, "m-c1", info={"software": "test"}, max_bytes=1500)
    _fill(writer, 5)
    writer.close()
    paths = sorted(tmp_path.glob("m-c1-*.warc.gz"))
    assert [p.name for p in paths] == [f"m-c1-{i:05d}.warc.gz" for i in range(5)]
    for path in paths:
        check = verify_archive(path)
        assert check.ok and check.closed and check.records == 4, check.problems  # warcinfo + 3
        assert json.loads(manifest_path(path).read_text())["sha256"] == file_sha256(path)
        logged = [json.loads(line) for line in digest_log_path(path).read_text().splitlines()]
        assert [e["type"] for e in logged] == ["warcinfo", "response", "request", "metadata", "close"]
    # a new writer never appends to an old file
    again = RotatingEvidenceWriter(tmp_path, "m-c1", max_bytes=1500)
    _fill(again, 1)
    again.close()
    assert again.paths == [tmp_path / "m-c1-00005.warc.gz"]


def test_archive_cut_off_by_a_crash_verifies_up_to_its_last_record(tmp_path):
    writer = RotatingEvidenceWriter(tmp_path, "x", max_bytes=10 ** 9)
    _fill(writer, 3)
    path = writer.paths[0]
    writer.current._file.close()  # the process dies: no manifest is written
    whole = verify_archive(path)
    assert whole.ok and not whole.closed and whole.records == 10
    data = path.read_bytes()
    path.write_bytes(data[:-40])  # the last record half written, and so not yet in the digest log
    log = digest_log_path(path)
    full_log = log.read_text()
    log.write_text("".join(full_log.splitlines(keepends=True)[:-1]))
    cut = verify_archive(path)
    assert cut.ok and cut.cut_off and cut.records == 9, cut.problems
    path.write_bytes(data)  # or: the last record complete, the crash came while its log line was written
    log.write_text(full_log[:-10])
    assert verify_archive(path).ok


def test_tampering_is_found_by_digests_or_manifest(tmp_path):
    path = tmp_path / "t.warc"
    with EvidenceWriter(path, compress=False) as writer:
        writer.write_response("http://m/1", 200, [], b"price: $100", fetched_at="2026-01-01T00:00:00Z")
    assert verify_archive(path).ok
    path.write_bytes(path.read_bytes().replace(b"price: $100", b"price: $999"))
    check = verify_archive(path)
    assert not check.ok
    assert any("digest failed" in p for p in check.problems)
    assert any("changed after it was closed" in p for p in check.problems)


def test_a_damaged_digest_log_line_is_a_problem_naming_its_line(tmp_path):
    path = tmp_path / "d.warc.gz"
    with EvidenceWriter(path) as writer:
        writer.write_response("http://m/1", 200, [], b"one", fetched_at="2026-01-01T00:00:00Z")
    log = digest_log_path(path)
    lines = log.read_text().splitlines(keepends=True)
    log.write_text(lines[0] + "{damaged\n" + "".join(lines[1:]))
    check = verify_archive(path)
    assert not check.ok
    assert any(p.startswith(f"digest log {log}:2: unreadable record") for p in check.problems), check.problems


def test_records_of_every_size_are_gzip_members_that_verify(tmp_path):
    """Tiny, mid-sized and large records are each their own gzip member and read back."""
    path = tmp_path / "sizes.warc.gz"
    bodies = [b"", b"x" * 300, os.urandom(5000), b"<tr><td>row</td></tr>\n" * 10000]
    with EvidenceWriter(path) as writer:
        pointers = [writer.write_response(f"http://m/{i}", 200, [("Content-Type", "text/html")], body,
                                          fetched_at="2026-01-01T00:00:00Z") for i, body in enumerate(bodies)]
    assert [read_response(ev).body for ev in pointers] == bodies
    check = verify_archive(path)
    assert check.ok and check.records == 1 + len(bodies), check.problems
    with open(path, "rb") as fh:  # one member a record: each offset starts a gzip member
        data = fh.read()
    assert all(data[ev.offset:ev.offset + 2] == b"\x1f\x8b" for ev in pointers)
