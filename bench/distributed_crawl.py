"""Distributed crawl speed: 1, 2 and 4 crawler processes sharing one scrapy-redis frontier.

In one run, on one sandbox market served by this process with added latency (as over Tor, so the
crawl waits on the network, not on the CPU), the same market is crawled three times from scratch,
each time by ``N`` ordinary ``onionwatch crawl --distributed`` processes (N = 1, 2, 4) that share
a fresh frontier in a private ``redis-server`` (Debian's, started here on a free loopback port).

Pages/s is every worker's pages divided by the span from the first response to the last one, read
from the WARC evidence (``WARC-Date`` has microseconds), so process start-up and the idle wait
for peers at the end (``ONIONWATCH_DISTRIBUTED_IDLE``) are not counted; the wall time from
launch to the last exit is printed beside it. The baseline is the 1-process crawl of the same run;
the ideal is ``N * concurrency / latency`` pages/s. Every run also checks that no URL was fetched
twice across workers.

Run from the checkout's root with onionwatch installed (see :mod:`bench`)::

    .venv/bin/python -m bench.distributed_crawl                   # 200 listings, 0.5 s, concurrency 4
    .venv/bin/python -m bench.distributed_crawl --listings 400 --latency 1.0
"""
from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

import yaml
from warcio.archiveiterator import ArchiveIterator

BENCH = Path(__file__).resolve().parent


def start_redis(folder: Path) -> tuple[subprocess.Popen, str]:
    """A private redis-server on a free loopback port, keeping nothing on disk."""
    server = shutil.which("redis-server")
    if server is None:
        sys.exit("redis-server is not installed (Debian: apt-get install redis-server)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(folder)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process, f"redis://127.0.0.1:{port}/0"
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                sys.exit("redis-server did not start within 30 s")
            time.sleep(0.1)


def responses(warc_dir: Path) -> list[tuple[str, datetime]]:
    """(URL, fetch time) of every response record in a folder's WARC files."""
    found = []
    for path in sorted(warc_dir.rglob("*.warc.gz")):
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "response":
                    date = record.rec_headers.get_header("WARC-Date")
                    found.append((record.rec_headers.get_header("WARC-Target-URI"),
                                  datetime.fromisoformat(date.replace("Z", "+00:00"))))
    return found


def crawl(workers: int, profile: Path, folder: Path, redis_url: str, concurrency: int) -> dict:
    """``workers`` processes crawl one market through one fresh frontier; pages, span, wall time."""
    data = folder / f"data{workers}"
    started = time.monotonic()
    processes = [subprocess.Popen([sys.executable, "-m", "onionwatch.app.cli", "crawl", "--profile", str(profile),
                                   "--no-index", "--data-dir", str(data), "--crawl-id", f"w{workers}-{k}",
                                   "--distributed", redis_url, "--frontier", f"bench{workers}",
                                   "--concurrency", str(concurrency)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=BENCH.parent)
                 for k in range(workers)]
    errors = [p.communicate()[1] for p in processes]
    wall = time.monotonic() - started
    if any(p.returncode for p in processes):
        sys.exit("a worker failed:\n" + "\n".join(e[-2000:] for e in errors))
    fetched = responses(data)
    twice = [url for url, n in Counter(url for url, _ in fetched).items() if n > 1]
    if twice:
        sys.exit(f"{len(twice)} URLs were fetched more than once with {workers} workers, e.g. {twice[:3]}")
    times = [t for _, t in fetched]
    span = (max(times) - min(times)).total_seconds()
    return {"pages": len(fetched), "span": span, "wall": wall}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--listings", type=int, default=200)
    parser.add_argument("--vendors", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=4, help="parallel requests per worker (default 4)")
    parser.add_argument("--latency", type=float, default=0.5, help="sandbox latency in seconds (default 0.5)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    args = parser.parse_args()

    from crawlers.profile import bundled_profiles
    from onionwatch.sandbox import build_world, serve
    from onionwatch.sandbox.switches import Faults

    world = build_world(7, vendors=args.vendors, listings=args.listings)
    market = world.markets[0]
    market.faults = Faults(latency=args.latency)
    rows = []
    with tempfile.TemporaryDirectory() as tmp, serve(world) as server:
        folder = Path(tmp)
        redis, redis_url = start_redis(folder)
        try:
            profile = yaml.safe_load(bundled_profiles()["sandbox-table"].read_text())
            profile.update(name=market.name, base_url=server.url)
            (folder / "p.yaml").write_text(yaml.safe_dump(profile))
            for n in args.workers:
                print(f"crawling with {n} worker(s) ...", file=sys.stderr, flush=True)
                rows.append((n, crawl(n, folder / "p.yaml", folder, redis_url, args.concurrency)))
        finally:
            redis.terminate()
            redis.wait(timeout=30)
    print(f"sandbox market: {args.listings} listings, {args.vendors} vendors; latency {args.latency * 1000:.0f} ms;"
          f" concurrency {args.concurrency} per worker; one shared scrapy-redis frontier")
    base = rows[0][1]["pages"] / rows[0][1]["span"]
    for n, row in rows:
        rate = row["pages"] / row["span"]
        ideal = n * args.concurrency / args.latency
        print(f"{n} worker(s): {row['pages']} pages in {row['span']:5.1f} s (wall {row['wall']:5.1f} s);"
              f" {rate:6.1f} pages/s, ratio to {rows[0][0]} worker(s) {rate / base:.2f};"
              f" ideal {ideal:.0f} pages/s, rate/ideal {rate / ideal:.2f}")


if __name__ == "__main__":
    main()
