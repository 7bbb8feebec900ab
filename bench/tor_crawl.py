"""bench/tor: pages/s over the private Tor network against the same crawl straight to the sandbox.

One run: serve the sandbox markets, form the private network (scripts/tor_testnet.py's library),
then at each concurrency (1, 8, 32 by default), for each market:

- the real crawler (``onionwatch crawl``, one process a crawl): straight to 127.0.0.1 (baseline) and
  through the client's SOCKS port by the .onion address; pages/s of each and their ratio;
- an independent client (PySocks threads) fetching the same listing pages both ways (the cost of
  Tor alone, without the crawler's own work).

It prints the time the network took to form (keys; client bootstrapped with a consensus) and each
descriptor's publication, and the connection sampler's count of non-loopback sockets (must be 0).

Run from the checkout's root with onionwatch installed (see :mod:`bench`): ``-m`` puts the root on
the path, which is how the test-only private network (``testnet/``, not installed) is found::

    .venv/bin/python -m bench.tor_crawl                     # 90 listings a market, concurrency 1 8 32
    .venv/bin/python -m bench.tor_crawl --listings 400 --concurrency 1 8 32 --json bench-tor.json
"""
from __future__ import annotations

import argparse
import http.client
import json
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from onionwatch.sandbox import build_world, serve
from testnet import ConnectionSampler, TorNetwork
from testnet.install import install_tor
from testnet.socks import http_get

PROGRESS = re.compile(r"^\[[^\]]+\]\s+([\d.]+)s\s+(\d+) pages", re.M)
FINAL = re.compile(r"crawl \S+: (\d+) pages")


def say(msg: str) -> None:
    print(f"[bench/tor] {msg}", file=sys.stderr, flush=True)


def crawl(profile: str, base_url: str, concurrency: int, proxy: str | None, sampler_pids: set[int]) -> dict:
    with tempfile.TemporaryDirectory(prefix="owbench-tor-") as data:
        args = [sys.executable, "-m", "onionwatch.app.cli", "crawl", "--profile", profile, "--base-url", base_url,
                "--data-dir", data, "--no-index", "--concurrency", str(concurrency)]
        if proxy:
            args += ["--proxy", proxy]
        t0 = time.monotonic()
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        sampler_pids.add(proc.pid)
        _, err = proc.communicate(timeout=1800)
        wall = time.monotonic() - t0
        sampler_pids.discard(proc.pid)
    if proc.returncode != 0:
        raise SystemExit(f"crawl failed ({'tor' if proxy else 'direct'}, c={concurrency}):\n{err[-2000:]}")
    pages = int(FINAL.search(err).group(1))
    progress = PROGRESS.findall(err)
    crawl_seconds = float(progress[-1][0]) if progress else wall  # the crawl itself, without start-up
    return {"pages": pages, "seconds": crawl_seconds, "wall": wall, "pages_per_s": pages / crawl_seconds}


def client_fetch(paths: list[str], concurrency: int, get) -> dict:
    t0 = time.monotonic()
    with ThreadPoolExecutor(concurrency) as pool:
        sizes = list(pool.map(get, paths))
    took = time.monotonic() - t0
    assert all(sizes), "an empty page"
    return {"pages": len(paths), "seconds": took, "pages_per_s": len(paths) / took}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--vendors", type=int, default=12)
    parser.add_argument("--listings", type=int, default=90)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args(argv)

    from crawlers.profile import bundled_profiles
    import yaml

    install_tor(say)
    world = build_world(args.seed, vendors=args.vendors, listings=args.listings)
    servers = {m.name: serve(world, market=m.name) for m in world.markets}
    profiles = {}
    for name, path in bundled_profiles().items():
        data = yaml.safe_load(Path(path).read_text())
        profiles.setdefault(data.get("name"), name)
        profiles.setdefault(("family", data.get("family")), name)
    net = TorNetwork({name: s.port for name, s in servers.items()}, progress=say)
    extra: set[int] = set()
    sampler = ConnectionSampler(lambda: set(net.pids()) | extra, interval=0.5)
    results: dict = {"markets": {}, "network": {}}
    try:
        t0 = time.monotonic()
        net.build()
        keys = time.monotonic() - t0
        sampler.start()
        net.start()
        net.wait_ready(300)
        t = net.timings
        results["network"] = {"keys_s": keys, "bootstrapped_s": t.consensus, "published_s": t.published,
                              "reachable_s": t.reachable, "relays": net.n_relays + net.n_authorities}
        say(f"network: keys {keys:.1f}s; consensus + client bootstrapped {t.consensus:.1f}s after start; "
            + ", ".join(f"{k} published {v:.1f}s" for k, v in t.published.items()))
        for market in world.markets:
            profile = profiles.get(market.name) or profiles.get(("family", market.family))
            paths = ["/"] + [market.listings[i].url_path for i in range(len(market.listings))]
            server, host = servers[market.name], net.onion(market.name)

            def get_direct(path: str) -> int:
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
                try:
                    conn.request("GET", path)
                    return len(conn.getresponse().read())
                finally:
                    conn.close()

            def get_tor(path: str) -> int:
                return len(http_get(net.socks_port, host, path, username=market.name, password="bench")[2])

            rows = results["markets"][market.name] = {}
            for c in args.concurrency:
                row = rows[c] = {}
                if profile:
                    row["crawl_direct"] = crawl(profile, server.url, c, None, extra)
                    row["crawl_tor"] = crawl(profile, f"http://{host}", c, f"socks5h://127.0.0.1:{net.socks_port}",
                                             extra)
                    row["crawl_ratio"] = row["crawl_tor"]["pages_per_s"] / row["crawl_direct"]["pages_per_s"]
                row["client_direct"] = client_fetch(paths, c, get_direct)
                row["client_tor"] = client_fetch(paths, c, get_tor)
                row["client_ratio"] = row["client_tor"]["pages_per_s"] / row["client_direct"]["pages_per_s"]
                line = f"{market.name} c={c:<3}"
                if profile:
                    line += (f" crawl: direct {row['crawl_direct']['pages_per_s']:7.1f} p/s, tor "
                             f"{row['crawl_tor']['pages_per_s']:6.1f} p/s, ratio {row['crawl_ratio']:.3f} |")
                line += (f" client: direct {row['client_direct']['pages_per_s']:7.1f} p/s, tor "
                         f"{row['client_tor']['pages_per_s']:6.1f} p/s, ratio {row['client_ratio']:.3f}")
                print(line, flush=True)
    finally:
        sampler.stop()
        net.stop()
        for s in servers.values():
            s.shutdown()
    results["sampler"] = {"summary": sampler.summary(), "non_loopback": len(sampler.leaks)}
    print(f"network formed: keys {results['network'].get('keys_s', 0):.1f}s + client bootstrapped "
          f"{results['network'].get('bootstrapped_s') or 0:.1f}s; connection sampling: {sampler.summary()}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, default=str))
    return 0 if not sampler.leaks else 3


if __name__ == "__main__":
    sys.exit(main())
