"""Crawl speed: the full crawler against a bare Scrapy spider over the same sandbox URLs.

In one run, on one sandbox market served by this process:

1. the **full crawler** (``onionwatch crawl``: profile-driven parsing, session/defence middleware,
   WARC evidence with digest log, SQLite frontier, JSON Lines records) crawls the market;
2. a **bare Scrapy spider** (default Scrapy settings, no middleware of ours, no parsing, nothing
   written) fetches exactly the URLs the full crawl fetched, at the same concurrency;

then both again with 500 ms latency injected by the sandbox, where the ideal is
``concurrency / latency`` pages/s. Pages/s is Scrapy's own elapsed time (spider open to close),
so process start-up is not counted. Printed beside the sandbox's own ceiling
(``bench/sandbox_serve.json``, measured with wrk).

Both crawlers meet the same warm server: the sandbox makes each page and photo on its first
request and keeps it, so an untimed full crawl goes first (without it the first timed crawl, the
full one, paid for the server's work and the bare one did not). With no added latency the crawl
is CPU-bound and a shared machine's other work moves one run by 10% or more, so the two crawlers
then run ``--repeat`` times, taking turns, and the best rate of each is compared (every run's rate
is printed); under latency the crawl waits on the network and one run of each is enough.

Run from the checkout's root with onionwatch installed (see :mod:`bench`)::

    .venv/bin/python -m bench.crawl                      # 400 listings, concurrency 16
    .venv/bin/python -m bench.crawl --listings 2000 --concurrency 32

Each crawl runs in its own process (Scrapy's reactor starts once a process).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def bare(urls_file: str, concurrency: int, out: str) -> None:
    """The baseline: a plain Scrapy spider fetching a list of URLs (run in a child process)."""
    import scrapy
    from scrapy.crawler import CrawlerProcess

    urls = Path(urls_file).read_text().split()

    class Bare(scrapy.Spider):
        name = "bare"

        async def start(self):
            for url in urls:
                yield scrapy.Request(url, dont_filter=True)

        def parse(self, response):
            return None

    process = CrawlerProcess({"LOG_LEVEL": "ERROR", "CONCURRENT_REQUESTS": concurrency,
                              "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency, "ROBOTSTXT_OBEY": False,
                              "TELNETCONSOLE_ENABLED": False})
    crawler = process.create_crawler(Bare)
    process.crawl(crawler)
    process.start()
    stats = crawler.stats.get_stats()
    Path(out).write_text(json.dumps({"pages": stats.get("response_received_count", 0),
                                     "seconds": stats.get("elapsed_time_seconds", 0)}))


def full(profile: Path, data: Path, concurrency: int, crawl_id: str) -> dict:
    report = data / f"{crawl_id}.json"
    done = subprocess.run([sys.executable, "-m", "onionwatch.app.cli", "crawl", "--profile", str(profile), "--no-index",
                           "--data-dir", str(data), "--crawl-id", crawl_id, "--concurrency", str(concurrency),
                           "--report", str(report)], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"full crawl failed:\n{done.stderr[-3000:]}")
    return json.loads(report.read_text())


def fetched_urls(warc_files: list[str]) -> list[str]:
    from warcio.archiveiterator import ArchiveIterator

    urls = []
    for path in warc_files:
        with open(path, "rb") as fh:
            urls += [r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(fh)
                     if r.rec_type == "response"]
    return urls


def run_bare(urls: list[str], concurrency: int, folder: Path, tag: str) -> dict:
    (folder / f"{tag}.urls").write_text("\n".join(urls))
    out = folder / f"{tag}.json"
    subprocess.run([sys.executable, "-m", "bench.crawl", "--bare", str(folder / f"{tag}.urls"), "--concurrency",
                    str(concurrency), "--out", str(out)], check=True, cwd=BENCH.parent)
    return json.loads(out.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--listings", type=int, default=400)
    parser.add_argument("--vendors", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each crawler with no added latency (best taken)")
    parser.add_argument("--bare", metavar="URLS", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare:
        return bare(args.bare, args.concurrency, args.out)

    import yaml

    from crawlers.profile import bundled_profiles
    from onionwatch.sandbox import build_world, serve
    from onionwatch.sandbox.switches import Faults

    world = build_world(7, vendors=args.vendors, listings=args.listings)
    market = world.markets[0]
    ceiling = json.loads((BENCH / "sandbox_serve.json").read_text())
    rows = []
    with tempfile.TemporaryDirectory() as tmp, serve(world) as server:
        folder = Path(tmp)
        profile = yaml.safe_load(bundled_profiles()["sandbox-table"].read_text())
        profile.update(name=market.name, base_url=server.url)
        (folder / "p.yaml").write_text(yaml.safe_dump(profile))
        market.faults = Faults(latency=0.0)
        full(folder / "p.yaml", folder / "data", args.concurrency, "warmup")  # fills the sandbox's caches
        for label, latency, repeat in (("no added latency", 0.0, max(1, args.repeat)),
                                       (f"{args.latency * 1000:.0f} ms latency", args.latency, 1)):
            market.faults = Faults(latency=latency)
            full_rates, bare_rates = [], []
            for run in range(repeat):
                report = full(folder / "p.yaml", folder / "data", args.concurrency, f"bench{int(latency * 1000)}-{run}")
                urls = fetched_urls(report["warc_files"])
                baseline = run_bare(urls, args.concurrency, folder, f"bare{int(latency * 1000)}-{run}")
                full_rates.append(report["pages"] / report["seconds"])
                bare_rates.append(baseline["pages"] / baseline["seconds"])
            ideal = args.concurrency / latency if latency else None
            rows.append((label, report["pages"], full_rates, bare_rates, ideal))
    print(f"sandbox market: {args.listings} listings, {args.vendors} vendors; concurrency {args.concurrency}")
    print(f"sandbox ceiling (bench/sandbox_serve.json, wrk): {ceiling['sandbox_pages_per_s']:.0f} pages/s")
    for label, pages, full_rates, bare_rates, ideal in rows:
        full_rate, bare_rate = max(full_rates), max(bare_rates)
        best = f"best of {len(full_rates)}: " if len(full_rates) > 1 else ""
        line = (f"{label:>18}: {pages} pages; {best}full crawler {full_rate:7.1f} pages/s, bare Scrapy "
                f"{bare_rate:7.1f} pages/s, ratio full/bare {full_rate / bare_rate:.2f}")
        if ideal:
            line += f"; ideal {ideal:.0f} pages/s, full/ideal {full_rate / ideal:.2f}"
        print(line)
        if len(full_rates) > 1:
            print(" " * 20 + "every run, in turn: full " + ", ".join(f"{r:.0f}" for r in full_rates)
                  + "; bare " + ", ".join(f"{r:.0f}" for r in bare_rates) + " pages/s")

if __name__ == "__main__":
    main()
