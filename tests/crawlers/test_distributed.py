"""Crawler processes share one frontier in a real Redis server (Debian's redis-server, started here
on a free loopback port): together they collect every listing and vendor once, and both work; a
worker killed mid-crawl leaves its pages to the others, fetched again only if it died holding them."""
from __future__ import annotations

import json
import signal
import shutil
import socket
import subprocess
import sys
import time

import pytest
import redis
from scrapy_redis import picklecompat

from onionwatch.sandbox import build_world, serve, write_truth
from onionwatch.sandbox.switches import Faults

from .crawl_helpers import write_profile


@pytest.fixture
def redis_url(tmp_path):
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed (Debian: apt-get install redis-server); `make test` installs it")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(tmp_path)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


def test_two_processes_share_one_frontier(tmp_path, redis_url):
    world = build_world(61, vendors=6, listings=60)
    world.markets[0].faults = Faults(latency=0.25)  # the crawl outlasts the start-up skew of the two workers
    write_truth(world, tmp_path / "truth.jsonl")
    truth = [json.loads(line) for line in (tmp_path / "truth.jsonl").read_text().splitlines()]
    data = tmp_path / "data"
    with serve(world) as server:
        profile = write_profile(tmp_path, name="shared-market", base_url=server.url)
        workers = [subprocess.Popen([sys.executable, "-m", "onionwatch.app.cli", "crawl", "--profile", str(profile),
                                     "--no-index", "--data-dir", str(data), "--crawl-id", f"worker{k}",
                                     "--distributed", redis_url, "--frontier", "t1", "--concurrency", "4"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                   for k in (1, 2)]
        errors = [w.communicate(timeout=300)[1] for w in workers]
    assert [w.returncode for w in workers] == [0, 0], errors
    per_worker = []
    for k in (1, 2):
        rows = [json.loads(line) for line in (data / "items" / f"shared-market-worker{k}.jsonl").read_text().splitlines()]
        per_worker.append(rows)
    listings = [r["listing_id"] for rows in per_worker for r in rows if r["kind"] == "listing"]
    vendors = [r["handle"] for rows in per_worker for r in rows if r["kind"] == "vendor"]
    assert sorted(listings) == sorted(t["listing_id"] for t in truth if t["type"] == "listing")
    assert sorted(vendors) == sorted(t["handle"] for t in truth if t["type"] == "vendor")
    assert all(len(rows) >= 5 for rows in per_worker), [len(rows) for rows in per_worker]


def _worker(profile, data, redis_url, crawl_id):
    return subprocess.Popen([sys.executable, "-m", "onionwatch.app.cli", "crawl", "--profile", str(profile),
                             "--no-index", "--data-dir", str(data), "--crawl-id", crawl_id,
                             "--distributed", redis_url, "--frontier", "k1", "--concurrency", "4"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _wait_for(condition, what: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout:.0f} s for {what}")
        time.sleep(0.05)


def _fetched(data, crawl_id):
    """URLs of the responses a worker archived, from its digest logs (flushed record by record, so
    a killed worker's log ends at its last whole record)."""
    urls = []
    for log in sorted((data / "warc").glob(f"killed-market-{crawl_id}-*.warc.gz.digests.jsonl")):
        for line in log.read_text().splitlines():
            if line.endswith("}") and (entry := json.loads(line))["type"] == "response":
                urls.append(entry["uri"])
    return urls


def test_worker_killed_mid_crawl_loses_nothing(tmp_path, redis_url):
    world = build_world(62, vendors=6, listings=60)
    world.markets[0].faults = Faults(latency=0.25)
    write_truth(world, tmp_path / "truth.jsonl")
    truth = [json.loads(line) for line in (tmp_path / "truth.jsonl").read_text().splitlines()]
    data = tmp_path / "data"
    client = redis.Redis.from_url(redis_url)
    prefix = "onionwatch:killed-market:k1"
    with serve(world) as server:
        profile = write_profile(tmp_path, name="killed-market", base_url=server.url)
        doomed = _worker(profile, data, redis_url, "doomed")
        # kill it once it has written records and holds leases (requests taken, not yet handled)
        _wait_for(lambda: len(_fetched(data, "doomed")) >= 10 and client.hlen(f"{prefix}:held:doomed") > 0,
                  "the first worker to fetch 10 pages and hold requests", timeout=240)
        survivor = _worker(profile, data, redis_url, "survivor")
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=60)
        error = survivor.communicate(timeout=300)[1]
    assert survivor.returncode == 0, error
    rows = [json.loads(line) for crawl_id in ("doomed", "survivor")
            for line in (data / "items" / f"killed-market-{crawl_id}.jsonl").read_text().splitlines()
            if line.endswith("}")]  # the killed worker's last line may be cut short
    listings = [r for r in rows if r["kind"] == "listing"]
    vendors = [r for r in rows if r["kind"] == "vendor"]
    assert {r["listing_id"] for r in listings} == {t["listing_id"] for t in truth if t["type"] == "listing"}
    assert {r["handle"] for r in vendors} == {t["handle"] for t in truth if t["type"] == "vendor"}
    reclaimed = {picklecompat.loads(m)["url"] for m in client.lrange(f"{prefix}:reclaimed", 0, -1)}
    assert reclaimed, "the killed worker held requests, so some must have been queued again"
    assert client.zcard(f"{prefix}:requests") == 0 and client.hlen(f"{prefix}:held:doomed") == 0
    assert client.hlen(f"{prefix}:held:survivor") == 0

    fetched = _fetched(data, "doomed") + _fetched(data, "survivor")
    twice = {url for url in fetched if fetched.count(url) > 1}
    assert twice <= reclaimed, f"fetched twice without a dead worker's lease: {sorted(twice - reclaimed)}"
    assert max(fetched.count(url) for url in fetched) <= 2

    # recorded twice only where the dead worker held the page: the merge keeps one (store keys)
    for key, found in (("listing_id", listings), ("handle", vendors)):
        urls = {}
        for r in found:
            urls.setdefault(r[key], []).append(r["url"])
        repeated = {u for us in urls.values() if len(us) > 1 for u in us}
        assert repeated <= reclaimed, sorted(repeated - reclaimed)
