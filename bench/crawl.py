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
        for label, latency in (("no added latency", 0.0), (f"{args.latency * 1000:.0f} ms latency", args.latency)):
            market.faults = Faults(latency=latency)
            report = full(folder / "p.yaml", folder / "data", args.concurrency, f"bench{int(latency * 1000)}")
            urls = fetched_urls(report["warc_files"])
            baseline = run_bare(urls, args.concurrency, folder, f"bare{int(latency * 1000)}")
            full_rate = report["pages"] / report["seconds"]
            bare_rate = baseline["pages"] / baseline["seconds"]
            ideal = args.concurrency / latency if latency else None
            rows.append((label, report["pages"], full_rate, bare_rate, ideal))
    print(f"sandbox market: {args.listings} listings, {args.vendors} vendors; concurrency {args.concurrency}")
    print(f"sandbox ceiling (bench/sandbox_serve.json, wrk): {ceiling['sandbox_pages_per_s']:.0f} pages/s")
    for label, pages, full_rate, bare_rate, ideal in rows:
        line = (f"{label:>18}: {pages} pages; full crawler {full_rate:7.1f} pages/s, bare Scrapy "
                f"{bare_rate:7.1f} pages/s, ratio full/bare {full_rate / bare_rate:.2f}")
        if ideal:
            line += f"; ideal {ideal:.0f} pages/s, full/ideal {full_rate / ideal:.2f}"
        print(line)


if __name__ == "__main__":
    main()
