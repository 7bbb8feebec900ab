"""Records rebuilt from the WARC archive alone equal the records the crawl wrote, every family.

The markets serve broken markup, wrong charsets and unescaped script in listings, and stamp every
page with a token: the replay reads the archived bytes and headers exactly as the spider did.
"""
from __future__ import annotations

import traceback
from concurrent.futures import ThreadPoolExecutor

from onionwatch.sandbox import ALL_FAMILIES, build_world, serve_world
from onionwatch.sandbox.switches import Defences, Faults

from .crawl_helpers import replayed_equals_crawled, run_onionwatch, write_profile


def test_replay_equals_crawl_every_family(tmp_path):
    world = build_world(51, vendors=4, listings=24, families=ALL_FAMILIES)
    for market in world.markets:
        market.defences = Defences(tokens=True)
        market.faults = Faults(malformed_rate=0.3, charset_rate=0.3, injection_rate=0.3)
    with serve_world(world) as running:
        def one(market) -> int:
            folder = tmp_path / market.name
            folder.mkdir()
            profile = write_profile(folder, name=market.name, base_url=running.servers[market.name].url,
                                    bundled=f"sandbox-{market.family}")
            done = run_onionwatch("crawl", "--profile", str(profile), "--no-index", "--data-dir",
                                  str(folder / "data"), "--crawl-id", "c1")
            assert done.returncode == 0, done.stderr[-2000:]
            return replayed_equals_crawled(folder / "data", profile, market.name, "c1")

        with ThreadPoolExecutor(len(world.markets)) as pool:
            runs = {m.family: pool.submit(one, m) for m in world.markets}
    failed = {family: run.exception() for family, run in runs.items() if run.exception()}
    for error in failed.values():
        traceback.print_exception(error)
    assert not failed, failed
    assert all(run.result() >= 24 for run in runs.values())
