"""The demo: serve the sandbox market on loopback, crawl it, index it, and summarise.

This is the main job end to end on the embedded store; it touches nothing but 127.0.0.1.
"""
from __future__ import annotations

import sys
import time

from .config import Config

__all__ = ["run_demo", "DEMO_PROFILE", "EXAMPLE_SEARCHES"]

DEMO_PROFILE = "sandbox-table"
EXAMPLE_SEARCHES = ("fentanyl", "'m30 pressed'", "heroin", "'*' --json")


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_demo(config: Config, *, seed: int = 7, vendors: int = 40, listings: int = 400) -> int:
    from crawlers.profile import load_profile
    from crawlers.run import run_crawl
    from extract import load_pipeline
    from search_index import open_store

    from .indexing import index_paths
    from .sandbox import build_world, serve, write_truth

    started = time.monotonic()
    config.data_dir.mkdir(parents=True, exist_ok=True)
    _say(f"1/4 generating the sandbox market (seed {seed}, {vendors} vendors, {listings} listings)")
    world = build_world(seed, vendors=vendors, listings=listings)
    truth_path = config.data_dir / "sandbox-truth.jsonl"
    write_truth(world, truth_path)
    with serve(world, port=0) as server:
        _say(f"2/4 crawling it at {server.url} (evidence in {config.warc_dir})")
        profile = load_profile(DEMO_PROFILE).with_base_url(server.url)
        crawl = run_crawl(profile, warc_dir=config.warc_dir, items_dir=config.items_dir, progress_interval=2.0)
    _say(f"3/4 extracting and indexing into {config.store_path}")
    nlp = load_pipeline()
    with open_store(config) as store:
        report = index_paths([crawl.items_path], store, nlp, quiet=True)
        everything = store.search("*", limit=0)
        counts = store.counts()
    elapsed = time.monotonic() - started
    _say("4/4 done")
    top_drugs = list(everything.facets.get("drug", {}).items())[:8]
    lines = [
        "",
        "onionwatch demo summary",
        f"  markets:   {counts['markets']} ({profile.name}, crawl {crawl.crawl_id})",
        f"  pages:     {crawl.pages} fetched, all kept as WARC evidence in {crawl.warc_path}",
        f"  listings:  {report.listings} indexed ({counts['listings']} in the store)",
        f"  vendors:   {report.vendors} accounts",
        f"  top drugs: " + (", ".join(f"{name} ({n})" for name, n in top_drugs) or "none recognised"),
        f"  problems:  {crawl.parse_errors} unparsed pages, {report.extraction_errors} extraction errors,"
        f" {report.evidence_errors} unreadable evidence records",
        f"  time:      {elapsed:.1f}s",
        f"  data:      {config.data_dir} (ground truth of the sandbox: {truth_path})",
        "",
        "Try next (with the virtual environment's onionwatch, e.g. .venv/bin/onionwatch):",
    ]
    data_flag = "" if str(config.data_dir) == "onionwatch-data" else f" --data-dir {config.data_dir}"
    lines += [f"  onionwatch search {query}{data_flag}" for query in EXAMPLE_SEARCHES]
    print("\n".join(lines))
    return 0
