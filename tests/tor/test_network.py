"""The private network itself: safe processes, every market by its .onion address, circuit isolation."""
from __future__ import annotations

import http.client
import shutil
import subprocess
import threading
import time
from pathlib import Path

import psutil
import pytest

from testnet import check_torrc
from testnet.socks import http_get


def direct(server, path: str = "/") -> bytes:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        assert resp.status == 200, (path, resp.status)
        return resp.read()
    finally:
        conn.close()


def with_retries(fetch, tries: int = 3):
    """A Tor client retries a stream whose fresh circuit failed; so do these checks, a few times."""
    errors = []
    for _ in range(tries):
        try:
            return fetch()
        except (OSError, AssertionError) as exc:
            errors.append(repr(exc))
            time.sleep(2)
    pytest.fail(f"failed {tries} times: {errors}")


def test_every_tor_runs_its_own_checked_torrc_and_no_default_config(tornet):
    net = tornet.net
    roles = {p.role for p in net.processes.values()}
    assert roles == {"authority", "relay", "onion", "client"}
    assert sum(p.role == "authority" for p in net.processes.values()) == 3
    assert sum(p.role == "relay" for p in net.processes.values()) >= 2
    empty = net.root / "empty-defaults-torrc"
    assert empty.read_text() == ""
    for proc in net.processes.values():
        if proc.stopped:  # an onion service a behaviour test stopped on purpose
            continue
        assert proc.alive, proc.node.nickname
        argv = psutil.Process(proc.pid).cmdline()
        assert argv[1:] == ["-f", str(proc.torrc), "--defaults-torrc", str(empty)], argv
        check_torrc(proc.torrc.read_text())
        log = proc.log.read_text()
        assert f'Read configuration file "{proc.torrc}"' in log
        assert "/etc/tor/torrc" not in log and "tor-service-defaults-torrc" not in log


def test_every_market_answers_by_onion_address_through_the_client(tornet):
    assert tornet.markets, "the sandbox world has no market"
    for name, server in tornet.markets.items():
        host = tornet.net.onion(name)
        assert host.endswith(".onion") and len(host) == 56 + len(".onion")  # v3: 56 base32 characters
        status, headers, body = with_retries(
            lambda: http_get(tornet.socks_port, host, "/", username=name, password="test"))
        assert status == 200
        assert body == direct(server), name


@pytest.mark.skipif(not shutil.which("curl"), reason="curl is not installed")
def test_curl_fetches_every_market_with_remote_dns(tornet):
    """An independent SOCKS client: curl, resolving the .onion name at the proxy (socks5h)."""
    for name, server in tornet.markets.items():
        url = f"{tornet.onion_url(name)}/"
        def curl():
            done = subprocess.run(["curl", "--silent", "--show-error", "--max-time", "60", "--noproxy", "",
                                   "--proxy", f"socks5h://{name}:curl@127.0.0.1:{tornet.socks_port}", url],
                                  capture_output=True, timeout=90)
            assert done.returncode == 0, done.stderr.decode()
            return done
        done = with_retries(curl)
        assert done.stdout == direct(server), name


def stream_circuits(net):
    """Collect (target host, circuit id) of each stream the client attaches, via STREAM events."""
    from stem.control import EventType

    seen: list[tuple[str, str]] = []
    lock = threading.Lock()

    def listener(event) -> None:
        if str(event.status) == "SUCCEEDED" and event.target_address.endswith(".onion"):
            with lock:
                seen.append((event.target_address, event.circ_id))
    ctl = net.controller("client")
    ctl.add_event_listener(listener, EventType.STREAM)
    return ctl, listener, seen


def test_streams_with_different_socks_credentials_never_share_a_circuit(tornet):
    net = tornet.net
    name = next(iter(tornet.markets))
    host = net.onion(name)
    ctl, listener, seen = stream_circuits(net)
    try:
        for user in ("market-a", "market-a", "market-b", "market-b", "market-c"):
            status, _, _ = http_get(tornet.socks_port, host, "/", username=user, password="public")
            assert status == 200
    finally:
        ctl.remove_event_listener(listener)
    assert len(seen) == 5, seen
    circuits = [circ for _, circ in seen]
    assert circuits[0] == circuits[1] and circuits[2] == circuits[3]  # same credentials: circuit reused
    assert len({circuits[0], circuits[2], circuits[4]}) == 3  # different credentials: never shared


def test_the_network_reports_how_long_it_took(tornet):
    t = tornet.net.timings
    assert t.consensus is not None and t.consensus > 0
    assert set(t.published) >= set(tornet.markets) and set(t.reachable) >= set(tornet.markets)
    print(f"keys {tornet.build_seconds:.1f}s; client bootstrapped {t.consensus:.1f}s after start; "
          + "; ".join(f"{m}: published {t.published[m]:.1f}s, answered {t.reachable[m]:.1f}s" for m in tornet.markets))


def test_every_node_logs_in_its_own_folder(tornet):
    root = Path(tornet.net.root)
    for proc in tornet.net.processes.values():
        assert Path(proc.node.data_dir).parent == root
