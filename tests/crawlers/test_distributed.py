"""Two crawler processes share one frontier in a real Redis server (Debian's redis-server, started
here on a free loopback port): together they collect every listing and vendor once, and both work."""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time

import pytest

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
