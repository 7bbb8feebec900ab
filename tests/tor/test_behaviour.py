"""Tor's own failure modes, seen through an independent SOCKS client and then through the crawler:
a descriptor not yet published, a circuit that fails, an onion service restarted mid-crawl.

Each case checks what Tor reports while it happens (the SOCKS error, the closed circuit, the same
address after a restart) and that a client that retries gets every page, byte for byte.
"""
from __future__ import annotations

import http.client
import logging
import re
import threading
import time

import pytest

from testnet.socks import http_get

pytestmark = pytest.mark.tor

RECOVER_TIMEOUT = 180


def direct(server, path: str) -> bytes:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        conn.request("GET", path)
        return conn.getresponse().read()
    finally:
        conn.close()


def fetch_retrying(net, host: str, path: str, *, user: str, timeout: float = RECOVER_TIMEOUT,
                   newnym_after: int = 3) -> tuple[bytes, list[str]]:
    """GET through Tor, retrying on SOCKS/connection errors (a new circuit after a few failures),
    within ``timeout``; the body and the errors seen on the way."""
    errors: list[str] = []
    deadline = time.monotonic() + timeout
    while True:
        try:
            status, _, body = http_get(net.socks_port, host, path, username=user, password="public", timeout=20)
            if status == 200:
                return body, errors
            errors.append(f"HTTP {status}")
        except OSError as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
        if time.monotonic() > deadline:
            pytest.fail(f"{host}{path} did not come back within {timeout}s: {errors[-5:]}")
        if len(errors) % newnym_after == 0:
            net.newnym()
        time.sleep(1.0)


def some_paths(world, market: str, count: int) -> list[str]:
    m = world.market(market)
    return ["/"] + [m.listings[i].url_path for i in range(min(count, len(m.listings)))]


def test_a_descriptor_not_yet_published_is_reported_then_found(tornet):
    net = tornet.net
    name, server = next(iter(tornet.markets.items()))
    host = net.add_service("late-" + name, server.port)  # a fresh key: a new address, nothing published
    try:
        with pytest.raises(OSError) as refused:
            http_get(net.socks_port, host, "/", username="late", password="public", timeout=60)
        # ExtendedErrors: 0xF0 = onion service descriptor can not be found
        assert "0xf0" in str(refused.value).lower(), refused.value
        published = net.wait_published("late-" + name, RECOVER_TIMEOUT)
        body, errors = fetch_retrying(net, host, "/", user="late")
        assert body == direct(server, "/")
        print(f"descriptor published {published:.1f}s after the service started; "
              f"{len(errors)} failed tries before the page: {errors[:3]}")
    finally:
        net.stop_service("late-" + name)


def test_a_failed_circuit_is_replaced_and_nothing_is_lost(tornet):
    net = tornet.net
    name, server = next(iter(tornet.markets.items()))
    host = net.onion(name)
    user = "circuit-test"
    body, _ = fetch_retrying(net, host, "/", user=user)
    ctl = net.controller("client")
    onion = host.removesuffix(".onion")
    rend = [c for c in ctl.get_circuits() if c.rend_query == onion and str(c.purpose) == "HS_CLIENT_REND"
            and c.socks_username == user]
    assert rend, "the fetch left no rendezvous circuit to close"
    for circ in rend:
        ctl.close_circuit(circ.id)
    left = {c.id for c in ctl.get_circuits()}
    assert not left & {c.id for c in rend}
    for path in some_paths(tornet.world, name, 5):
        body, errors = fetch_retrying(net, host, path, user=user)
        assert body == direct(server, path), path
    after = [c for c in ctl.get_circuits() if c.rend_query == onion and c.socks_username == user]
    assert after and not {c.id for c in after} & {c.id for c in rend}  # a new circuit carried them


def test_an_onion_service_restarted_mid_crawl_keeps_its_address_and_loses_nothing(tornet):
    net = tornet.net
    name, server = next(iter(tornet.markets.items()))
    host = net.onion(name)
    paths = some_paths(tornet.world, name, 24)
    got: dict[str, bytes] = {}
    failures: list[str] = []
    restarted = threading.Event()

    def crawl() -> None:
        for i, path in enumerate(paths):
            if i == len(paths) // 3:
                restarted.wait(RECOVER_TIMEOUT)  # the restart happens a third of the way in
            body, errors = fetch_retrying(net, host, path, user="restart-test")
            got[path] = body
            failures.extend(errors)

    worker = threading.Thread(target=crawl)
    worker.start()
    deadline = time.monotonic() + RECOVER_TIMEOUT
    while len(got) < len(paths) // 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert net.restart_service(name) == host  # same keys, same address
    restarted.set()
    worker.join(RECOVER_TIMEOUT * len(paths))
    assert not worker.is_alive()
    assert set(got) == set(paths)
    for path in paths:
        assert got[path] == direct(server, path), path
    net.wait_published(name, RECOVER_TIMEOUT)
    print(f"restart mid-crawl: {len(paths)} pages, {len(failures)} failed tries on the way: {failures[:3]}")


# --------------------------------------------------------------------- the same, through the crawler
def crawl_process(tornet, profiles, market: str, base_url: str, data_dir, *extra: str):
    import subprocess
    import sys

    profile = profiles(tornet.world.market(market))
    if profile is None:
        pytest.skip(f"no bundled crawler profile for {market} yet")
    proc = subprocess.Popen([sys.executable, "-m", "onionwatch.app.cli", "crawl", "--profile", profile,
                             "--base-url", base_url, "--proxy", tornet.proxy, "--data-dir", str(data_dir),
                             "--no-index", *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    tornet.watch(proc.pid)
    return proc


def crawled_listing_ids(data_dir) -> set[str]:
    import json

    ids = set()
    for path in (data_dir / "items").glob("*.jsonl"):
        for line in path.read_text().splitlines():
            record = json.loads(line)
            if record.get("type", record.get("kind")) in ("listing", None) and record.get("listing_id"):
                ids.add(record["listing_id"])
    return ids


def truth_listing_ids(world, market: str) -> set[str]:
    from onionwatch.sandbox import truth_records

    return {t["listing_id"] for t in truth_records(world) if t["type"] == "listing" and t["market"] == market}


def client_descriptor_events(net, host: str):
    """HS_DESC events of the client for ``host``: (action, reason) in order."""
    from stem.control import EventType

    onion = host.removesuffix(".onion")
    seen: list[tuple[str, str]] = []

    def listener(event) -> None:
        if event.address == onion:
            seen.append((str(event.action), str(event.reason)))
    ctl = net.controller("client")
    ctl.add_event_listener(listener, EventType.HS_DESC)
    return ctl, listener, seen


class count_sandbox_requests(logging.Handler):
    """Count the requests the sandbox serves (its server logs each at DEBUG)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.count = 0
        self.logger = logging.getLogger("onionwatch.sandbox.server")
        self.level_before = self.logger.level
        self.logger.setLevel(logging.DEBUG)
        self.logger.addHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("GET "):
            self.count += 1

    def close(self) -> None:
        self.logger.removeHandler(self)
        self.logger.setLevel(self.level_before)
        super().close()


def test_the_crawler_recovers_from_an_onion_service_restarted_mid_crawl(tornet, crawler_profiles, tmp_path):
    net = tornet.net
    name = next(iter(tornet.markets))
    host = net.onion(name)
    served = count_sandbox_requests()
    try:
        proc = crawl_process(tornet, crawler_profiles, name, net.onion_url(name), tmp_path, "--concurrency", "1")
        deadline = time.monotonic() + 300
        while served.count < 10 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)  # ten pages in: mid-crawl
    finally:
        served.close()
    assert served.count >= 10 and proc.poll() is None, "the restart did not land mid-crawl"
    assert net.restart_service(name, downtime=2.0) == host
    out, err = proc.communicate(timeout=900)
    assert proc.returncode == 0, err[-3000:]
    assert crawled_listing_ids(tmp_path) == truth_listing_ids(tornet.world, name), err[-3000:]


def test_the_crawler_waits_for_a_descriptor_not_yet_published(tornet, crawler_profiles, tmp_path):
    net = tornet.net
    name, server = next(iter(tornet.markets.items()))
    fresh = "fresh-" + name
    host = net.add_service(fresh, server.port)  # a new key, so a new address ...
    net.stop_service(fresh)  # ... stopped before it could publish anything
    ctl, listener, events = client_descriptor_events(net, host)
    try:
        proc = crawl_process(tornet, crawler_profiles, name, f"http://{host}", tmp_path)
        deadline = time.monotonic() + 120
        while not any(action == "FAILED" for action, _ in events) and time.monotonic() < deadline:
            time.sleep(0.1)  # the crawl asked and tor found no descriptor
        assert any(action == "FAILED" for action, _ in events), events
        net.start_service(fresh)  # now it publishes, a few seconds later
        out, err = proc.communicate(timeout=900)
        assert proc.returncode == 0, err[-3000:]
        assert crawled_listing_ids(tmp_path) == truth_listing_ids(tornet.world, name), err[-3000:]
    finally:
        ctl.remove_event_listener(listener)
        net.stop_service(fresh)
    actions = [action for action, _ in events]
    assert actions.index("FAILED") < actions.index("RECEIVED"), events
    assert "onion service descriptor can not be found" in err, err[-3000:]  # read as Tor's 0xF0
    assert "Malformed reply" not in err


def test_the_crawler_recovers_from_a_service_restarted_before_its_first_page(tornet, crawler_profiles, tmp_path):
    """The descriptor is published, then the service goes away before the crawl's first page: Tor
    finds the old descriptor and tries its dead introduction points. Each try is bounded by the
    connect timeout (not the 60 s download timeout), and once the service is back the crawl gets
    everything."""
    net = tornet.net
    name, server = next(iter(tornet.markets.items()))
    again = "again-" + name
    host = net.add_service(again, server.port)
    try:
        net.wait_published(again, RECOVER_TIMEOUT)
        net.stop_service(again)
        proc = crawl_process(tornet, crawler_profiles, name, f"http://{host}", tmp_path, "--log-level", "INFO")
        time.sleep(20)  # the crawl meets the dead service for a while
        assert proc.poll() is None, proc.communicate()[1][-3000:]
        net.start_service(again)
        back = time.monotonic()
        out, err = proc.communicate(timeout=900)
        done = time.monotonic() - back
    finally:
        net.stop_service(again)
    recovered = re.findall(r"reachable again after [\d.]+s", err)
    print(f"restart before the first page: crawl done {done:.0f}s after the service came back; {recovered}; "
          f"{err.count('OnionConnectTimeout')} connect timeouts, {err.count('SOCKS reply 0x')} SOCKS refusals")
    assert proc.returncode == 0, err[-3000:]
    assert crawled_listing_ids(tmp_path) == truth_listing_ids(tornet.world, name), err[-3000:]
    assert "took longer than 60" not in err  # no request sat out the download timeout
    assert "retrying" in err, err[-3000:]
