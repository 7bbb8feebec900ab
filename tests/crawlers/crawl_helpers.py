"""Shared by the crawler tests: run ``onionwatch`` in its own process (Scrapy's reactor runs once a
process), under the network audit of :mod:`crawlers.netaudit`, and write profiles for a served sandbox."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

from crawlers.pipelines.jsonl import record_dict, record_key
from crawlers.profile import bundled_profiles, load_profile
from crawlers.replay import crawl_warcs, replay_records


def run_onionwatch(*args: str, audit: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    head = [sys.executable, "-m", "onionwatch.app.cli"] + (["netaudit", str(audit), "--"] if audit else [])
    return subprocess.run([*head, *args], capture_output=True, text=True, timeout=timeout)


def write_profile(folder: Path, *, name: str, base_url: str, bundled: str = "sandbox-table", **extra) -> Path:
    """A copy of a bundled sandbox profile under another market name and address."""
    data = yaml.safe_load(bundled_profiles()[bundled].read_text())
    data.update({"name": name, "base_url": base_url, **extra})
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def replayed_equals_crawled(data, profile_path, market: str, crawl_id: str) -> int:
    """Assert replay == crawl for one crawl; return how many records were compared."""
    [items] = (data / "items").glob(f"*-{crawl_id}.jsonl")
    crawled = {record_key(r): r for r in map(json.loads, items.read_text().splitlines())}
    profile = load_profile(str(profile_path))
    replayed = {}
    for record in replay_records(crawl_warcs(data / "warc", market, crawl_id), profile):
        data_ = record_dict(record)
        replayed[record_key(data_)] = json.loads(json.dumps(data_))
    assert replayed.keys() == crawled.keys()
    for key, record in crawled.items():
        assert replayed[key] == record, key
    return len(crawled)
