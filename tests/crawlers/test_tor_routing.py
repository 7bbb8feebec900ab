"""Through the proxy, never around it: crawls of sandbox markets under ``.onion`` names that only a
real SOCKS5 server (pproxy, on loopback) can resolve, with the process's own look-ups and
connections audited. The controls show the same checks fire when the proxy is bypassed."""
from __future__ import annotations

import ipaddress
import json

import pytest

from crawlers.netaudit import find_leaks, read_events
from onionwatch.sandbox import build_world, serve, write_truth

from .crawl_helpers import run_onionwatch, write_profile
from .socks_server import RecordingSocksServer

ALPHA = "r3j7nllilokz5llqejiy4gxxntmbn6hi5r6m3wq62qay5dzcep4oonyd.onion"
BRAVO = "6fckned5yque2h4742t5top7kpacyhihxjupetkbhv77p52xu6bf6aqd.onion"


@pytest.fixture(scope="module")
def onion_crawls(tmp_path_factory):
    """Crawl two markets and one account through the recording proxy; keep everything to check."""
    root = tmp_path_factory.mktemp("tor")
    world = build_world(5, vendors=5, listings=24)
    write_truth(world, root / "truth.jsonl")
    truth = [json.loads(line) for line in (root / "truth.jsonl").read_text().splitlines()]
    users = ["alpha-market:public", "bravo-market:public", "alpha-market:buyer7"]
    runs = {}
    with serve(world, port=0) as server:
        port = int(server.url.rsplit(":", 1)[1])
        with RecordingSocksServer({ALPHA: port, BRAVO: port}, users) as proxy:
            for market, host, account in (("alpha-market", ALPHA, None), ("bravo-market", BRAVO, None),
                                          ("alpha-market", ALPHA, "buyer7")):
                label = f"{market}-{account or 'public'}"
                profile = write_profile(root, name=market, base_url=f"http://{host}")
                audit = root / f"{label}.audit.jsonl"
                args = ["crawl", "--profile", str(profile), "--proxy", proxy.url, "--no-index",
                        "--data-dir", str(root / label)]
                if account:
                    args += ["--account", account]
                before = len(proxy.connects)
                done = run_onionwatch(*args, audit=audit)
                assert done.returncode == 0, done.stderr[-3000:]
                runs[label] = {"audit": read_events(audit), "connects": proxy.connects[before:],
                               "data": root / label, "stderr": done.stderr}
            proxy_port = proxy.port
    return {"runs": runs, "proxy": ("127.0.0.1", proxy_port), "truth": truth, "root": root, "port": port}


def _listings(data_dir):
    records = [json.loads(line) for path in (data_dir / "items").glob("*.jsonl") for line in path.open()]
    return {r["listing_id"] for r in records if r["kind"] == "listing"}


def test_every_listing_came_through_the_proxy(onion_crawls):
    expected = {t["listing_id"] for t in onion_crawls["truth"] if t["type"] == "listing"}
    for label, run in onion_crawls["runs"].items():
        assert _listings(run["data"]) == expected, label


def test_no_lookup_and_no_connection_around_the_proxy(onion_crawls):
    for label, run in onion_crawls["runs"].items():
        events = run["audit"]
        assert any(e["event"] == "connect" for e in events), f"{label}: the audit saw nothing"
        assert find_leaks(events, onion_crawls["proxy"]) == [], label
        assert not [e for e in events if e["event"] == "lookup" and e["host"].endswith(".onion")]


def test_proxy_was_asked_for_names_with_each_markets_credentials(onion_crawls):
    expected = {"alpha-market-public": ("alpha-market:public", ALPHA),
                "bravo-market-public": ("bravo-market:public", BRAVO),
                "alpha-market-buyer7": ("alpha-market:buyer7", ALPHA)}
    for label, run in onion_crawls["runs"].items():
        assert run["connects"], label
        for connect in run["connects"]:
            with pytest.raises(ValueError):  # a host name, never an address
                ipaddress.ip_address(connect.host)
            assert (connect.credentials, connect.host) == expected[label]


def test_control_a_direct_crawl_is_caught_by_the_same_check(onion_crawls):
    root = onion_crawls["root"]
    audit = root / "direct.audit.jsonl"
    world = build_world(6, vendors=2, listings=3)
    with serve(world, port=0) as server:
        profile = write_profile(root, name="direct-market", base_url=server.url)
        done = run_onionwatch("crawl", "--profile", str(profile), "--no-index", "--data-dir", str(root / "direct"),
                              audit=audit)
    assert done.returncode == 0, done.stderr[-2000:]
    leaks = find_leaks(read_events(audit), onion_crawls["proxy"])
    assert leaks and all("without the proxy" in leak for leak in leaks)
    # and a local look-up of a name is caught too
    lookups = find_leaks([{"event": "lookup", "host": ALPHA, "port": 80}], onion_crawls["proxy"])
    assert lookups == [f"looked up {ALPHA}:80 locally"]


def test_fails_closed_when_the_proxy_is_down(tmp_path):
    profile = write_profile(tmp_path, name="alpha-market", base_url=f"http://{ALPHA}")
    audit = tmp_path / "down.audit.jsonl"
    dead = "socks5h://127.0.0.1:9"  # discard port: nothing listens
    done = run_onionwatch("crawl", "--profile", str(profile), "--proxy", dead, "--no-index",
                          "--data-dir", str(tmp_path / "d"), audit=audit)
    assert done.returncode == 2
    assert "no SOCKS5 proxy answers at socks5h://127.0.0.1:9" in done.stderr
    assert "never falls back to a direct connection" in done.stderr
    assert find_leaks(read_events(audit), ("127.0.0.1", 9)) == []
    assert not list((tmp_path / "d").glob("warc/*.warc.gz"))
