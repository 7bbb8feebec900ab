"""What Tor answers when an onion service is not there, and what the crawl does about it, through a
real SOCKS5 server on loopback scripted to answer as Tor does (ExtendedErrors codes, or nothing).

- transient refusals (0xF0 descriptor not found, 0xF2 introduction failed) are waited out with a
  backoff and the crawl completes with every listing;
- a SOCKS handshake that never answers costs the connect timeout, not the download timeout;
- a permanent refusal (0xF6 bad address) fails the market at once, with a message and exit 4;
- a market that stays unreachable fails with exit 4 and a message, and resuming it later gets all.
"""
from __future__ import annotations

import json
import re

import pytest

from onionwatch.sandbox import build_world, serve, truth_records

from .crawl_helpers import run_onionwatch, write_profile
from .socks_server import HANG, RecordingSocksServer

HOST = "xhozmdaxknczu6arlu6lqrnfpwjew2dx5ac3bc6qccdmzxzuim6di4qd.onion"
MARKET = "charlie-market"
QUICK = {"ONIONWATCH_RETRY_BACKOFF_MAX": 0.5, "ONIONWATCH_CONNECT_TIMEOUT": 1.0}


@pytest.fixture(scope="module")
def sandbox():
    world = build_world(11, vendors=2, listings=5)
    expected = {t["listing_id"] for t in truth_records(world) if t["type"] == "listing"}
    with serve(world, port=0) as server:
        port = int(server.url.rsplit(":", 1)[1])
        with RecordingSocksServer({HOST: port}, [f"{MARKET}:public"]) as proxy:
            yield proxy, expected


def crawl(proxy, tmp_path, settings: dict, *extra: str):
    profile = write_profile(tmp_path, name=MARKET, base_url=f"http://{HOST}", settings=settings)
    return run_onionwatch("crawl", "--profile", str(profile), "--proxy", proxy.url, "--no-index",
                          "--data-dir", str(tmp_path / "data"), "--log-level", "INFO", *extra)


def listings(data_dir) -> set[str]:
    return {r["listing_id"] for path in (data_dir / "items").glob("*.jsonl") for r in map(json.loads, path.open())
            if r["kind"] == "listing"}


def test_transient_tor_refusals_are_waited_out_and_nothing_is_lost(sandbox, tmp_path):
    proxy, expected = sandbox
    before = len(proxy.refused)
    proxy.script(HOST, 0xF0, 0xF0, 0xF2)
    done = crawl(proxy, tmp_path, QUICK)
    assert done.returncode == 0, done.stderr[-3000:]
    assert proxy.refused[before:] == [(HOST, 0xF0), (HOST, 0xF0), (HOST, 0xF2)]
    assert "onion service descriptor can not be found" in done.stderr
    assert "onion service introduction failed" in done.stderr
    assert "Malformed reply" not in done.stderr
    assert listings(tmp_path / "data") == expected


def test_a_silent_proxy_costs_the_connect_timeout_not_the_download_timeout(sandbox, tmp_path):
    proxy, expected = sandbox
    proxy.script(HOST, HANG)
    done = crawl(proxy, tmp_path, {**QUICK, "DOWNLOAD_TIMEOUT": 600})
    assert done.returncode == 0, done.stderr[-3000:]
    assert "OnionConnectTimeout" in done.stderr and "within 1s (ONIONWATCH_CONNECT_TIMEOUT)" in done.stderr
    assert listings(tmp_path / "data") == expected


def test_a_bad_onion_address_fails_the_market_at_once(sandbox, tmp_path):
    proxy, _ = sandbox
    before = len(proxy.refused)
    proxy.script(HOST, 0xF6)
    done = crawl(proxy, tmp_path, QUICK)
    assert done.returncode == 4, done.stderr[-3000:]
    assert proxy.refused[before:] == [(HOST, 0xF6)]  # not retried
    assert "0xF6 (onion service invalid address)" in done.stderr + done.stdout
    assert "Check the market's address" in done.stderr + done.stdout
    assert "finished (market_down)" in done.stderr + done.stdout


def test_a_market_that_stays_unreachable_fails_and_resumes_later(sandbox, tmp_path):
    proxy, expected = sandbox
    proxy.script(HOST, *[0xF0] * 200)
    done = crawl(proxy, tmp_path, {**QUICK, "ONIONWATCH_UNREACHABLE_AFTER": 2.0})
    left = proxy.scripted_left(HOST)
    proxy.clear_script(HOST)
    assert done.returncode == 4, done.stderr[-3000:]
    out = done.stdout + done.stderr
    assert "could not be reached through the proxy" in out and "descriptor may not be published yet" in out
    assert "finished (market_down)" in out and "finished (finished)" not in out
    assert listings(tmp_path / "data") == set()
    assert 0 < 200 - left < 200  # it retried, with a backoff, then stopped
    crawl_id = re.search(r"--resume (\S+)`", out).group(1)
    resumed = crawl(proxy, tmp_path, QUICK, "--resume", crawl_id)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert listings(tmp_path / "data") == expected


def test_a_crawl_that_fetched_nothing_never_ends_finished(sandbox, tmp_path):
    proxy, _ = sandbox
    profile = write_profile(tmp_path, name=MARKET, base_url="http://wi5gvbbzydo6kukyspt4sda6giz3qylomnchb4qnysjixtzwbg6kk4qd.onion",
                            settings={**QUICK, "ONIONWATCH_UNREACHABLE_AFTER": 1.0})
    done = run_onionwatch("crawl", "--profile", str(profile), "--proxy", proxy.url, "--no-index",
                          "--data-dir", str(tmp_path / "data"))
    assert done.returncode != 0
    out = done.stdout + done.stderr
    assert "finished (market_down)" in out and "0 pages" in out
    assert "finished (finished)" not in out
