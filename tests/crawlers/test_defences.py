"""Getting in and staying in, against the sandbox's real defences over real sockets, every family.

Per family, three crawls of one market with every defence on (login with an image CAPTCHA, DDoS
queue, rate limit, per-request tokens, rotating mirrors) and 5xx bursts:

1. without the oracle, the CAPTCHA pauses the crawl (exit 3); ``onionwatch captcha list`` shows it;
   the answer (read off the oracle, as a person reads the image) given with ``captcha answer``
   resumes it, and the crawl collects every listing and vendor of the ground truth;
2. later (sandbox clock moved on): the saved session cookie is loaded but has expired, so the
   crawl logs in again (oracle allowed this time); the main address is retired, so it fails over
   to the profile's mirrors; again every listing;
3. on the market's maintenance day the crawl stops with ``market_down`` (exit 4), and the next
   attempt is refused until the wait is over.
"""
from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
import urllib.parse
import urllib.request

import traceback
from concurrent.futures import ThreadPoolExecutor

import yaml

from crawlers.profile import bundled_profiles
from onionwatch.sandbox import ALL_FAMILIES, build_world, serve_world, write_truth
from onionwatch.sandbox.clock import DAY
from onionwatch.sandbox.switches import Defences, Faults

from .crawl_helpers import replayed_equals_crawled

DEFENCES = Defences(login=True, captcha=True, queue=True, rate_limit=8, rate_window=3.0, tokens=True, mirrors=2,
                    queue_rate=0.05, queue_wait=0.3, session_ttl=100.0, mirror_period=60.0)


def onionwatch(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "onionwatch.app.cli", *args], capture_output=True, text=True,
                          timeout=300)


def stats(stderr: str) -> dict[str, int]:
    """The ``onionwatch/*`` counters of Scrapy's closing stats dump (log level INFO)."""
    return {k: int(v) for k, v in re.findall(r"'onionwatch/(\w+)': (\d+)", stderr)}


def records(items_dir, crawl_id: str) -> tuple[list[str], list[str]]:
    [path] = items_dir.glob(f"*-{crawl_id}.jsonl")
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    return (sorted(r["listing_id"] for r in rows if r["kind"] == "listing"),
            sorted(r["handle"] for r in rows if r["kind"] == "vendor"))


def test_every_defence_on_every_family(tmp_path):
    """The four families' scenarios run side by side (they mostly wait out queues and rate limits)."""
    # worlds are built here, one after the other: the sandbox's generator is not thread-safe
    worlds = {family: build_world(31, vendors=3, listings=10, families=(family,)) for family in ALL_FAMILIES}
    with ThreadPoolExecutor(len(ALL_FAMILIES)) as pool:
        runs = {family: pool.submit(scenario, family, world, tmp_path / family)
                for family, world in worlds.items()}
    failed = {family: run.exception() for family, run in runs.items() if run.exception()}
    for family, error in failed.items():
        traceback.print_exception(error)
    assert not failed, f"failed for {sorted(failed)}: {failed}"


def scenario(family: str, world, tmp_path) -> None:
    tmp_path.mkdir()
    market = world.markets[0]
    write_truth(world, tmp_path / "truth.jsonl")
    truth = [json.loads(line) for line in (tmp_path / "truth.jsonl").read_text().splitlines()]
    want_listings = sorted(t["listing_id"] for t in truth if t["type"] == "listing")
    want_vendors = sorted(t["handle"] for t in truth if t["type"] == "vendor")
    data = tmp_path / "data"
    # mirrors are opened when the market is served; registration is open while logins are required
    market.defences = Defences(login=True, mirrors=2, mirror_period=60.0)
    with serve_world(world) as running:
        server = running.servers[market.name]
        form = urllib.parse.urlencode({"username": "analyst7", "password": "s3cret-pw"}).encode()
        urllib.request.urlopen(urllib.request.Request(server.url + "/register", data=form)).close()
        market.defences = DEFENCES
        market.faults = Faults(error_rate=0.03, burst=2)
        profile = yaml.safe_load(bundled_profiles()[f"sandbox-{family}"].read_text())
        profile.update(name=market.name, base_url=server.urls[0], mirrors=server.urls[1:])
        (tmp_path / "p.yaml").write_text(yaml.safe_dump(profile))
        (tmp_path / "credentials.yaml").write_text(yaml.safe_dump(
            {market.name: {"a7": {"username": "analyst7", "password": "s3cret-pw"}}}))
        crawl = ["crawl", "--profile", str(tmp_path / "p.yaml"), "--no-index", "--data-dir", str(data),
                 "--credentials", str(tmp_path / "credentials.yaml"), "--account", "a7", "--log-level", "INFO",
                 "--concurrency", "4"]

        # 1. the CAPTCHA pauses the crawl; a person answers; the crawl resumes and completes
        paused = onionwatch(*crawl, "--crawl-id", "first")
        assert paused.returncode == 3, paused.stderr[-3000:]
        assert "onionwatch captcha answer first" in paused.stderr
        assert "s3cret-pw" not in paused.stderr
        listed = onionwatch("captcha", "list", "--data-dir", str(data))
        assert listed.returncode == 0 and "first" in listed.stdout and "waiting" in listed.stdout
        challenge = json.loads(next((data / "jobs").glob("*-first/captcha.json")).read_text())
        assert next((data / "jobs").glob("*-first/captcha-*.png")).read_bytes()[:4] == b"\x89PNG"
        answer = json.load(urllib.request.urlopen(
            f"{running.oracle.url}/captcha?market={market.name}&id={challenge['challenge_id']}"))["answer"]
        resumed = onionwatch("captcha", "answer", "first", answer, "--data-dir", str(data), "--log-level", "INFO")
        assert resumed.returncode == 0, resumed.stderr[-3000:]
        counted = stats(resumed.stderr)
        assert counted["logins"] == 1 and counted.get("captcha_wrong", 0) == 0
        assert counted["queue_pages"] >= 1 and counted["rate_limited"] >= 1, counted
        assert records(data / "items", "first") == (want_listings, want_vendors)

        # 2. the session has expired by the clock and the main address is retired: log in again
        #    (through the oracle) and fail over to the mirrors
        world.clock.advance(180)  # past session_ttl; rotation period 3 retires address 0
        assert server.runtime.ports[0] not in server.runtime.live_ports()
        second = onionwatch(*crawl, "--crawl-id", "second", "--captcha-oracle", running.oracle.url)
        assert second.returncode == 0, second.stderr[-3000:]
        counted = stats(second.stderr)
        assert counted["session_cookies_loaded"] >= 1 and counted["logins"] == 1, counted
        assert counted["mirror_failovers"] >= 1, counted
        assert records(data / "items", "second") == (want_listings, want_vendors)
        # the login is archived, its password is not
        warcs = b"".join(gzip.decompress(p.read_bytes()) for p in (data / "warc").glob("*.warc.gz"))
        assert b"password=REDACTED" in warcs and b"s3cret-pw" not in warcs
        # the archive holds login forms, CAPTCHAs, queue and 429 pages: the replay skips them as the spider did
        assert replayed_equals_crawled(data, tmp_path / "p.yaml", market.name, "first") >= 13
        assert replayed_equals_crawled(data, tmp_path / "p.yaml", market.name, "second") >= 13

        # 3. maintenance day: the market is marked down, and not crawled again until the wait is over
        world.clock.set(market.down_days[0] * DAY)
        down = onionwatch(*crawl, "--crawl-id", "third", "--captcha-oracle", running.oracle.url)
        assert down.returncode == 4, down.stderr[-3000:]
        assert json.loads((data / "sessions" / f"{market.name}.state.json").read_text())["down_until"] > 0
        again = onionwatch(*crawl, "--crawl-id", "fourth")
        assert again.returncode == 4 and "marked down until" in again.stderr


def test_oracle_refused_off_loopback(tmp_path):
    done = onionwatch("crawl", "--profile", "sandbox-table", "--no-index", "--data-dir", str(tmp_path),
                      "--captcha-oracle", "http://oracle.example.org/")
    assert done.returncode == 2 and "not on loopback" in done.stderr
