"""Listing photos through the proxy: fetched on the market's circuit, size-bounded, archived with
digests, and carried by the listing records as ``photos: [{"url", "evidence"}]`` that the graph's
photo hashing reads back from the WARC."""
from __future__ import annotations

import json

import pytest

from graph.photos import hash_listing_photos, photo_hash
from onionwatch.core.layout import digest_log_path
from onionwatch.evidence import read_response
from onionwatch.core.models import Evidence
from onionwatch.sandbox import build_world, serve, truth_records
from onionwatch.sandbox.photos import jpeg

from .crawl_helpers import run_onionwatch, write_profile
from .socks_server import RecordingSocksServer

HOST = "j5fjieh7zx4jlrfnxcaglhu3lqg5d4r2gb4qnbbubm7kvsyekompdsad.onion"
MARKET = "delta-market"


@pytest.fixture(scope="module")
def photo_crawls(tmp_path_factory):
    root = tmp_path_factory.mktemp("photos")
    world = build_world(13, vendors=3, listings=8)
    truth = {t["listing_id"]: t for t in truth_records(world) if t["type"] == "listing"}
    runs = {}
    with serve(world, port=0) as server:
        port = int(server.url.rsplit(":", 1)[1])
        with RecordingSocksServer({HOST: port}, [f"{MARKET}:public"]) as proxy:
            for label, settings in (("full", {}), ("bounded", {"ONIONWATCH_PHOTO_MAXSIZE": 200})):
                (root / label).mkdir()
                profile = write_profile(root / label, name=MARKET, base_url=f"http://{HOST}", settings=settings)
                before = len(proxy.connects)
                done = run_onionwatch("crawl", "--profile", str(profile), "--proxy", proxy.url, "--no-index",
                                      "--data-dir", str(root / label / "data"))
                assert done.returncode == 0, done.stderr[-3000:]
                records = [json.loads(line) for path in (root / label / "data" / "items").glob("*.jsonl")
                           for line in path.open()]
                runs[label] = {"listings": {r["listing_id"]: r for r in records if r["kind"] == "listing"},
                               "connects": proxy.connects[before:], "data": root / label / "data"}
    return runs, truth


def test_every_listing_carries_its_photos_with_evidence(photo_crawls):
    runs, truth = photo_crawls
    listings = runs["full"]["listings"]
    assert set(listings) == set(truth)
    for listing_id, record in listings.items():
        expected = truth[listing_id]["photos"]
        assert len(record["photos"]) == len(expected) >= 1, listing_id
        assert record["photos"] == record["fields"]["photos"]
        for photo, made in zip(record["photos"], expected):
            assert photo["url"].startswith(f"http://{HOST}/")
            stored = read_response(Evidence.from_dict(photo["evidence"]), data_dir=runs["full"]["data"])  # checks the digest
            assert stored.body == jpeg(made["source"], made["transform"]), photo["url"]


def test_photos_went_through_the_proxy_on_the_markets_circuit(photo_crawls):
    runs, truth = photo_crawls
    connects = runs["full"]["connects"]
    assert connects and {(c.credentials, c.host) for c in connects} == {(f"{MARKET}:public", HOST)}


def test_photos_are_size_bounded_and_the_listing_is_kept(photo_crawls):
    runs, truth = photo_crawls
    listings = runs["bounded"]["listings"]
    assert set(listings) == set(truth)
    assert all(photo["evidence"] is None for r in listings.values() for photo in r["photos"])
    assert all(len(r["photos"]) == len(truth[i]["photos"]) for i, r in listings.items())


def test_the_graph_hashes_the_archived_photos(photo_crawls):
    runs, truth = photo_crawls
    docs = list(hash_listing_photos((json.loads(json.dumps(r)) for r in runs["full"]["listings"].values()),
                                    data_dir=runs["full"]["data"]))
    for doc in docs:
        for photo, made in zip(doc["photos"], truth[doc["listing_id"]]["photos"]):
            assert photo["phash"] == photo_hash(jpeg(made["source"], made["transform"]))


def test_photos_are_archived_in_stored_members_that_verify(photo_crawls):
    """A JPEG is not deflated again: the gzip member of its record is stored blocks, larger than
    the record it holds, while a page's member is deflated, smaller; every record still checks
    against its digests."""
    import gzip

    from onionwatch.evidence.verify import verify_archive

    runs, _ = photo_crawls
    [warc] = (runs["full"]["data"] / "warc").glob("*.warc.gz")
    assert verify_archive(warc).summary().startswith("OK")
    archive = warc.read_bytes()
    photos = {p["evidence"]["record_id"] for r in runs["full"]["listings"].values() for p in r["photos"]}
    responses = [json.loads(line) for line in digest_log_path(warc).read_text().splitlines()]
    responses = [e for e in responses if e.get("type") == "response"]
    for entry in responses:
        member = archive[entry["offset"]:entry["offset"] + entry["length"]]
        record = gzip.decompress(member)
        assert record.startswith(b"WARC/1.1\r\n") and entry["record_id"].encode() in record
        if entry["record_id"] in photos:
            assert len(member) > len(record), entry["uri"]
        else:
            assert len(member) < len(record), entry["uri"]
    assert 0 < len(photos) < len(responses)
