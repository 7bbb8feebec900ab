"""A crawl killed with SIGKILL at random moments resumes with nothing lost and nothing written twice."""
from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from collections import Counter

from .crawl_helpers import write_profile

from onionwatch.evidence import verify_archive
from onionwatch.sandbox import build_world, serve, write_truth


def test_kill_nine_at_random_points_then_resume(tmp_path):
    world = build_world(21, vendors=8, listings=120)
    write_truth(world, tmp_path / "truth.jsonl")
    truth = [json.loads(line) for line in (tmp_path / "truth.jsonl").read_text().splitlines()]
    data = tmp_path / "data"
    crawl_id = "killtest"
    rng = random.Random(4)
    # kill when the records file reaches these sizes (random points, mid-crawl for sure)
    kill_at = sorted(rng.sample(range(5, 110), 4))
    items = data / "items" / f"kill-market-{crawl_id}.jsonl"
    kills = 0
    with serve(world, port=0) as server:
        profile = write_profile(tmp_path, name="kill-market", base_url=server.url)
        base = [sys.executable, "-m", "onionwatch.app.cli", "crawl", "--profile", str(profile), "--no-index",
                "--data-dir", str(data), "--concurrency", "2", "--delay", "0.01"]
        for attempt in range(12):
            job = data / "jobs" / f"kill-market-{crawl_id}" / "job.json"
            args = base + (["--resume", crawl_id] if job.exists() else ["--crawl-id", crawl_id])
            process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            if kills < len(kill_at) and _wait_for_lines(items, kill_at[kills], process):
                time.sleep(rng.uniform(0, 0.05))
                process.send_signal(signal.SIGKILL)
                process.wait()
                kills += 1
                continue
            process.wait(timeout=300)
            assert process.returncode == 0, process.stderr.read()[-3000:]
            if json.loads(job.read_text())["state"] == "finished":
                break
    assert kills == len(kill_at), "the crawl finished before it could be killed: make the world bigger"
    records = [json.loads(line) for line in (data / "items" / f"kill-market-{crawl_id}.jsonl").open()]
    listings = Counter(r["listing_id"] for r in records if r["kind"] == "listing")
    vendors = Counter(r["handle"] for r in records if r["kind"] == "vendor")
    assert set(listings) == {t["listing_id"] for t in truth if t["type"] == "listing"}
    assert set(vendors) == {t["handle"] for t in truth if t["type"] == "vendor"}
    assert max(listings.values()) == 1 and max(vendors.values()) == 1
    # every WARC file, cut off or not, verifies up to its last complete record
    warcs = sorted((data / "warc").glob("*.warc.gz"))
    assert len(warcs) >= kills + 1
    for path in warcs:
        report = verify_archive(path)
        assert report.ok, (path, report.problems)


def _wait_for_lines(path, count: int, process, timeout: float = 120) -> bool:
    """Wait until ``path`` has ``count`` lines; False if the process ended first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_bytes().count(b"\n") >= count:
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.01)
    return False
