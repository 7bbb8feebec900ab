"""``onionwatch evidence verify|show|export`` on a real crawl of the sandbox."""
from __future__ import annotations

import json
import zipfile
from io import BytesIO

import pytest
from warcio.archiveiterator import ArchiveIterator

from .crawl_helpers import run_onionwatch, write_profile
from onionwatch.sandbox import build_world, serve


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    root = tmp_path_factory.mktemp("evidence")
    with serve(build_world(8, vendors=3, listings=8), port=0) as server:
        profile = write_profile(root, name="ev-market", base_url=server.url)
        done = run_onionwatch("crawl", "--profile", str(profile), "--no-index", "--data-dir", str(root / "d"),
                              "--crawl-id", "c1")
    assert done.returncode == 0, done.stderr[-2000:]
    records = [json.loads(line) for line in (root / "d/items/ev-market-c1.jsonl").open()]
    return root / "d", records


def test_verify_passes_then_catches_tampering(crawled):
    data, _ = crawled
    done = run_onionwatch("evidence", "verify", "--data-dir", str(data))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("OK") and "manifest matches" in done.stdout
    warc = next((data / "warc").glob("*.warc.gz"))
    tampered = warc.with_name("tampered.warc.gz")
    raw = bytearray(warc.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    tampered.write_bytes(bytes(raw))
    done = run_onionwatch("evidence", "verify", str(tampered), "--data-dir", str(data))
    assert done.returncode == 1 and "FAILED" in done.stdout
    tampered.unlink()


def test_show_names_response_request_and_metadata(crawled):
    data, records = crawled
    listing = next(r for r in records if r["kind"] == "listing")
    done = run_onionwatch("evidence", "show", f"ev-market/{listing['listing_id']}", "--json", "--data-dir", str(data))
    assert done.returncode == 0, done.stderr
    [shown] = json.loads(done.stdout)
    types = [r["type"] for r in shown["records"]]
    assert types == ["response", "request", "metadata"]
    assert shown["records"][0]["payload_digest"] == listing["evidence"]["digest"]
    meta = shown["records"][2]["metadata"]
    assert meta["onionwatch-crawl-id"] == "c1" and meta["onionwatch-market"] == "ev-market"
    assert meta["onionwatch-circuit"] == "direct-loopback" and meta["software"].startswith("onionwatch/")


def test_export_bundle_carries_verifiable_records_and_custody(crawled, tmp_path):
    data, records = crawled
    vendor = next(r for r in records if r["kind"] == "vendor")
    out = tmp_path / "bundle.zip"
    done = run_onionwatch("evidence", "export", vendor["handle"], "--out", str(out), "--data-dir", str(data))
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(out) as bundle:
        custody = json.loads(bundle.read("custody.json"))
        [item] = custody["items"]
        warc_bytes = bundle.read(item["record"])
        for name, digest in custody["files"].items():
            import hashlib
            assert "sha256:" + hashlib.sha256(bundle.read(name)).hexdigest() == digest
    kinds = []
    for record in ArchiveIterator(BytesIO(warc_bytes), check_digests=True):
        record.raw_stream.read()
        assert record.digest_checker.passed is not False
        kinds.append(record.rec_type)
    assert kinds == ["response", "request", "metadata"]
    assert item["payload_digest"] == vendor["evidence"]["digest"]
    [source] = custody["source_warc_files"].values()
    assert source["problems"] == [] and source["manifest"]["sha256"] == source["sha256"]
    missing = run_onionwatch("evidence", "export", "nobody", "--out", str(tmp_path / "x.zip"), "--data-dir", str(data))
    assert missing.returncode == 2 and "no crawl records" in missing.stderr
