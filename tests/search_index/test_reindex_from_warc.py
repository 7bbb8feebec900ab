"""`onionwatch reindex` from the WARC archive alone: a real crawl of the sandbox, its records files
deleted, and the rebuilt store holds the same listings with the same evidence pointers."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import yaml

from crawlers.profile import bundled_profiles
from onionwatch.app.cli import main
from onionwatch.core.config import Config
from onionwatch.sandbox import build_world, serve_world
from search_index import SqliteStore


def crawl(data, profile_path, crawl_id: str) -> None:
    done = subprocess.run([sys.executable, "-m", "onionwatch.app.cli", "crawl", "--profile", str(profile_path),
                           "--no-index", "--data-dir", str(data), "--crawl-id", crawl_id],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]


def listings_of(items_file) -> dict[tuple[str, str], dict]:
    records = [json.loads(line) for line in items_file.read_text(encoding="utf-8").splitlines()]
    return {(r["market"], r["listing_id"]): r["evidence"] for r in records if r.get("kind") == "listing"}


def stored(config) -> dict[tuple[str, str], dict]:
    with SqliteStore(config.store_path) as store:
        return {(d["market"], d["listing_id"]): d["evidence"] for d in store.iter_listings()}


def test_reindex_rebuilds_from_the_warc_archive_alone(tmp_path, capsys):
    world = build_world(7, vendors=3, listings=10)
    (market,) = world.markets
    config = Config(data_dir=tmp_path / "data")
    with serve_world(world) as running:
        data = yaml.safe_load(bundled_profiles()[f"sandbox-{market.family}"].read_text())
        data.update(name=market.name, base_url=running.servers[market.name].url)
        profile = tmp_path / f"{market.name}.yaml"
        profile.write_text(yaml.safe_dump(data, sort_keys=False))
        crawl(config.data_dir, profile, "c1")
    (items,) = config.items_dir.glob("*.jsonl")
    crawled = listings_of(items)
    assert len(crawled) >= 10
    args = ["--data-dir", str(config.data_dir)]

    assert main(["reindex", *args]) == 0  # from the records file
    assert stored(config) == crawled
    shutil.rmtree(config.items_dir)
    assert main(["reindex", *args]) == 0  # from the archive alone
    assert "1 crawl(s) re-made from" in capsys.readouterr().err
    assert stored(config) == crawled
    with SqliteStore(config.store_path) as store:
        some = next(iter(crawled))
        assert store.get_listing(*some)["title"]

    # no job record and no bundled profile of that name: a clear error, and the store is untouched
    shutil.rmtree(config.data_dir / "jobs")
    capsys.readouterr()
    assert main(["reindex", "--from-warc", *args]) == 2
    assert "--profile FILE" in capsys.readouterr().err and stored(config) == crawled
    assert main(["reindex", "--from-warc", "--profile", str(profile), *args]) == 0
    assert stored(config) == crawled
