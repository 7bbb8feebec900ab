#!/usr/bin/env python3
"""Run the sandbox markets as v3 onion services on a private Tor network on 127.0.0.1.

    python scripts/tor_testnet.py install              # Debian's tor, its system service never started
    python scripts/tor_testnet.py run                  # serve, publish, print addresses; Ctrl-C stops
    python scripts/tor_testnet.py run --check          # the same, fetch every market through Tor, exit
    python scripts/tor_testnet.py run --seed 7 --listings 200 --relays 3 --root /tmp/tornet

The network: 3 directory authorities (keys from tor-gencert), relays that are never exits, one
onion service a sandbox market, and a client whose SOCKS port isolates circuits by SOCKS
credentials. Every torrc sets TestingTorNetwork, its own DirAuthority lines and
UseDefaultFallbackDirs 0, and binds 127.0.0.1 only; tor is always started as
``tor -f TORRC --defaults-torrc EMPTY``, never with a system configuration. While it runs, the
machine's sockets are sampled and any non-loopback socket of a process it started is reported
(exit code 3). Every tor it started is stopped by pid on exit, on Ctrl-C, SIGTERM and failure.

Exit codes: 0 ok; 1 failure (the message says what to do); 2 usage; 3 non-loopback socket seen.
Crawl through it (another terminal), with the address and port it prints:

    onionwatch crawl --profile sandbox-table --base-url http://ADDRESS.onion --proxy socks5h://127.0.0.1:PORT
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import time

from pathlib import Path

# The private Tor network (testnet/) is a test helper of the checkout, not part of the installed
# package: put the checkout's root first on the path.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from onionwatch.sandbox import build_world, serve  # noqa: E402
from testnet import ConnectionSampler, TorNetwork, TorNetworkError  # noqa: E402
from testnet.install import install_tor  # noqa: E402
from testnet.socks import http_get  # noqa: E402

PROG = "tor_testnet"


def say(msg: str) -> None:
    print(f"[{PROG}] {msg}", file=sys.stderr, flush=True)


def _sigterm(signum, frame):  # noqa: ARG001
    raise KeyboardInterrupt


def watched_pids(net: TorNetwork) -> set[int]:
    """This process, its children (the tor processes among them) and the network's tor pids."""
    import psutil

    me = psutil.Process()
    pids = {me.pid, *net.pids()}
    try:
        pids.update(child.pid for child in me.children(recursive=True))
    except psutil.Error:
        pass
    return pids


def check_pages(net: TorNetwork, servers: dict) -> None:
    """Fetch every market's front page through Tor and compare it byte for byte with the direct one."""
    import http.client

    for name, server in servers.items():
        direct = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        direct.request("GET", "/")
        expected = direct.getresponse().read()
        direct.close()
        status, _, body = http_get(net.socks_port, net.onion(name), "/", username=name, password="check")
        if status != 200 or body != expected:
            raise TorNetworkError(f"{name}: {net.onion(name)}/ answered {status}, {len(body)} bytes through Tor "
                                  f"(direct: {len(expected)} bytes)")
        say(f"{name}: {net.onion(name)} served {len(body)} bytes through Tor, identical to the direct page")


def run(args) -> int:
    install_tor(say)
    world = build_world(args.seed, vendors=args.vendors, listings=args.listings)
    servers = {m.name: serve(world, market=m.name) for m in world.markets}
    net = TorNetwork({name: s.port for name, s in servers.items()}, root=args.root, relays=args.relays,
                     progress=say)
    sampler = ConnectionSampler(lambda: watched_pids(net), interval=0.5)
    code = 0
    try:
        built = time.monotonic()
        net.build()
        say(f"keys and torrc files made in {time.monotonic() - built:.1f}s")
        sampler.start()
        net.start()
        net.wait_ready(args.timeout)
        check_pages(net, servers)
        say(f"client SOCKS port: socks5h://127.0.0.1:{net.socks_port} (IsolateSOCKSAuth)")
        for name in servers:
            print(f"{name}\thttp://{net.onion(name)}\tsandbox 127.0.0.1:{servers[name].port}", flush=True)
        t = net.timings
        say(f"network formed (client bootstrapped) in {t.consensus:.1f}s; descriptors published in "
            + ", ".join(f"{k} {v:.1f}s" for k, v in t.published.items()))
        if not args.check:
            say("running; Ctrl-C stops every tor process")
            while True:
                time.sleep(1)
                if sampler.leaks:
                    break
    except KeyboardInterrupt:
        say("interrupted")
    except TorNetworkError as exc:
        say(f"error: {exc}")
        code = 1
    finally:
        sampler.stop()
        try:
            net.stop()
            say(f"stopped every tor process ({len(net.processes)}) by pid")
        except TorNetworkError as exc:
            say(f"error: {exc}")
            code = 1
        for server in servers.values():
            server.shutdown()
        say(f"connection sampling: {sampler.summary()}")
        if sampler.leaks or sampler.error:
            for leak in sampler.leaks:
                say(f"NON-LOOPBACK: {leak}")
            code = 3
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tor_testnet.py", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("install", help="install Debian's tor package if missing (no system service)")
    r = sub.add_parser("run", help="serve the sandbox markets as onion services on a private network")
    r.add_argument("--seed", type=int, default=1, help="sandbox world seed (default 1)")
    r.add_argument("--vendors", type=int, default=12, help="vendors a market (default 12)")
    r.add_argument("--listings", type=int, default=90, help="listings a market (default 90)")
    r.add_argument("--relays", type=int, default=3, help="relays besides the 3 authorities (default 3)")
    r.add_argument("--root", help="folder for torrc files, keys and logs (default: a temporary one, removed)")
    r.add_argument("--timeout", type=float, default=240, help="seconds to wait for the network (default 240)")
    r.add_argument("--check", action="store_true", help="exit once every market answered through Tor")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _sigterm)
    try:
        if args.command == "install":
            tor, gencert = install_tor(say)
            say(f"tor at {tor}, tor-gencert at {gencert}")
            return 0
        return run(args)
    except TorNetworkError as exc:
        say(f"error: {exc}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
