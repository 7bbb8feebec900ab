"""One private Tor network a test session, publishing every sandbox market as a v3 onion service.

The network forms once (session fixture) and is stopped by pid at the end; a connection sampler
watches this process, its children and every tor it started from before the first tor runs until
the last one is stopped. After each tor test the sampler is checked: a non-loopback socket fails
the test it happened in, and the session teardown fails if one appeared after the last test.

Tests here are marked ``tor``: run them with ``pytest -m tor tests/tor``. Without ``tor`` installed
they install it through ``scripts/tor_testnet.py``'s library (root on Debian), or, outside CI, skip
with the command to run.
"""
from __future__ import annotations

import logging
import os
import shutil
import time

import pytest

from onionwatch.sandbox import build_world, serve
from testnet import ConnectionSampler, TorNetwork, TorNetworkError

#: The world every Tor test serves: small enough for a crawl a market over Tor in CI.
SEED, VENDORS, LISTINGS = 11, 12, 90
READY_TIMEOUT = 300


import stem.util.log  # noqa: E402,F401 (sets the stem logger's level on import: set ours after it)

logging.getLogger("stem").setLevel(logging.WARNING)  # stem logs every closed control socket at INFO


def pytest_configure(config):
    config.addinivalue_line("markers", "tor: end-to-end tests over a private Tor network on 127.0.0.1")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tornet" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.tor)


def _ensure_tor() -> None:
    from testnet.install import install_tor

    if shutil.which("tor") and shutil.which("tor-gencert"):
        return
    try:
        install_tor(lambda msg: print(f"[tor] {msg}"))
    except TorNetworkError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"tor is not installed and could not be: {exc}")


def watched_pids(net: TorNetwork, started: set[int]) -> set[int]:
    """Every tor of the network and every process a tor test started (crawls), with descendants.

    Not this pytest process as a whole: other test modules of the session open sockets of their
    own (the sampler's own tests make a deliberate non-loopback UDP socket)."""
    import psutil

    pids = set(net.pids())
    for pid in list(started):
        try:
            proc = psutil.Process(pid)
            pids.add(pid)
            pids.update(child.pid for child in proc.children(recursive=True))
        except psutil.Error:
            continue
    return pids


@pytest.fixture(scope="session")
def world():
    return build_world(SEED, vendors=VENDORS, listings=LISTINGS)


@pytest.fixture(scope="session")
def markets(world):
    servers = {m.name: serve(world, market=m.name) for m in world.markets}
    yield servers
    for server in servers.values():
        server.shutdown()


class Tornet:
    """The running network with what the tests need to know about it."""

    def __init__(self, net: TorNetwork, sampler: ConnectionSampler, world, markets: dict, build_seconds: float,
                 started: set[int]):
        self.net, self.sampler, self.markets, self.build_seconds = net, sampler, markets, build_seconds
        self.world = world
        self.started = started

    def watch(self, pid: int) -> None:
        """Have the sampler watch a process a test started (and its children)."""
        self.started.add(pid)

    @property
    def socks_port(self) -> int:
        return self.net.socks_port

    @property
    def proxy(self) -> str:
        return f"socks5h://127.0.0.1:{self.net.socks_port}"

    def onion_url(self, market: str) -> str:
        return self.net.onion_url(market)


@pytest.fixture(scope="session")
def tornet(world, markets, tmp_path_factory):
    _ensure_tor()
    net = TorNetwork({name: s.port for name, s in markets.items()}, root=tmp_path_factory.mktemp("tornet"),
                     progress=lambda msg: print(f"[tornet] {msg}"))
    test_pids: set[int] = set()
    sampler = ConnectionSampler(lambda: watched_pids(net, test_pids), interval=0.5)
    started_pids: set[int] = set()
    try:
        t0 = time.monotonic()
        net.build()
        build_seconds = time.monotonic() - t0
        sampler.start()
        net.start()
        started_pids.update(net.pids())
        net.wait_ready(READY_TIMEOUT)
        yield Tornet(net, sampler, world, markets, build_seconds, test_pids)
    finally:
        started_pids.update(net.pids())
        try:
            net.stop()
        finally:
            time.sleep(0.6)  # one more sample while tor processes wind down
            sampler.stop()
            print(f"[tornet] connection sampling: {sampler.summary()}")
    import psutil

    alive = [pid for pid in started_pids if psutil.pid_exists(pid)
             and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE]
    assert not alive, f"tor processes left running: {alive}"
    sampler.check()


@pytest.fixture(autouse=True)
def _no_leak_during(request):
    """Fail the test during which a watched process had a non-loopback socket."""
    yield
    if "tornet" in request.fixturenames:
        tornet = request.getfixturevalue("tornet")
        tornet.sampler.sample()
        tornet.sampler.check()


def _crawler_has_proxy_support() -> bool:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "onionwatch.app.cli", "crawl", "--help"], capture_output=True,
                          text=True, timeout=120)
    return "--proxy" in done.stdout


@pytest.fixture(scope="session")
def crawler_profiles():
    """``profiles(market) -> bundled profile name or None``; skips until the crawler speaks SOCKS."""
    from pathlib import Path

    import yaml
    from crawlers.profile import bundled_profiles

    if not _crawler_has_proxy_support():
        pytest.skip("waiting for the crawler's SOCKS support (`onionwatch crawl --proxy`)")
    loaded = {name: yaml.safe_load(Path(path).read_text()) for name, path in bundled_profiles().items()}

    def profile_for(market):
        """By market name, else the first profile of the market's family."""
        for name, data in loaded.items():
            if data.get("name") == market.name:
                return name
        return next((name for name, data in loaded.items() if data.get("family") == market.family), None)
    return profile_for
