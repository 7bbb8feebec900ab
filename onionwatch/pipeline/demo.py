"""The demo: serve the sandbox's markets on loopback, crawl them, index them, report and summarise.

This is the main job end to end on the embedded store; it touches nothing but 127.0.0.1. Each
market is crawled by its own ``onionwatch crawl`` process (as a scheduler would run them), all at
once, against the sandbox served from this process.
"""
from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from onionwatch.core import exits
from onionwatch.core.config import Config
from onionwatch.core.datadir import remember_data_dir

__all__ = ["run_demo", "crawl_markets", "DEMO_FAMILIES", "EXAMPLE_SEARCHES"]

#: The sandbox's market families the demo crawls, and the bundled profile of each.
DEMO_FAMILIES = {"table": "sandbox-table", "grid": "sandbox-grid", "forum": "sandbox-forum",
                 "markt": "sandbox-markt"}
EXAMPLE_SEARCHES = ("fentanyl", "'m30 to:US'", "'class:opioid to:DE price<100'", "'*' --json")


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class MarketCrawl:
    market: str
    profile: str
    items_path: Path
    returncode: int


def crawl_markets(urls: dict[str, str], profiles: dict[str, str], config: Config, crawl_id: str,
                  *, timeout: float = 600) -> list[MarketCrawl]:
    """Crawl each market (name -> base URL) with its profile, one ``onionwatch crawl`` process each,
    all at once; their progress lines go to stderr. Returns each crawl's records file and status."""
    running = []
    for market, url in urls.items():
        command = [sys.executable, "-m", "onionwatch.app.cli", "crawl", "--profile", profiles[market],
                   "--base-url", url, "--no-index", "--crawl-id", crawl_id, "--data-dir", str(config.data_dir)]
        running.append((market, profiles[market], subprocess.Popen(command, stdin=subprocess.DEVNULL)))
    crawls = []
    deadline = time.monotonic() + timeout
    for market, profile, process in running:
        try:
            returncode = process.wait(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            returncode = process.wait()
        crawls.append(MarketCrawl(market, profile, config.records_path(market, crawl_id), returncode))
    return crawls


def run_demo(config: Config, *, write_report: Callable[[Config], Path], seed: int = 7, vendors: int = 30,
             listings: int = 250, families: tuple[str, ...] = tuple(DEMO_FAMILIES)) -> int:
    """Serve, crawl, index and link the sandbox markets, print a summary; 0 unless every crawl failed.

    ``write_report(config)`` writes the report and returns its path: the app passes its report
    writer, so this layer does not import the app's insights and report.
    """
    from crawlers.run import new_crawl_id
    from extract import load_pipeline
    from search_index import open_store

    from onionwatch.pipeline.indexing import index_paths
    from onionwatch.sandbox import FAMILY_MARKETS, build_world, serve_world, write_truth

    started = time.monotonic()
    config.data_dir.mkdir(parents=True, exist_ok=True)
    _say(f"1/5 generating the sandbox: {len(families)} markets ({', '.join(families)}), seed {seed},"
         f" {vendors} vendor accounts and {listings} listings each")
    world = build_world(seed, vendors=vendors, listings=listings, families=families)
    truth_path = config.data_dir / "sandbox-truth.jsonl"
    write_truth(world, truth_path)
    profiles = {FAMILY_MARKETS[f]: DEMO_FAMILIES[f] for f in families}
    crawl_id = new_crawl_id()
    with serve_world(world) as served:
        _say(f"2/5 crawling them at {', '.join(served.urls.values())} (evidence in {config.warc_dir})")
        crawls = crawl_markets(served.urls, profiles, config, crawl_id)
    failed = [c for c in crawls if c.returncode != exits.OK or not c.items_path.exists()]
    for crawl in failed:
        _say(f"  the crawl of {crawl.market} failed (exit {crawl.returncode}); its records are skipped")
    _say(f"3/5 extracting and indexing into {config.store_path}")
    nlp = load_pipeline()
    with open_store(config) as store:
        report = index_paths([c.items_path for c in crawls if c not in failed], store, nlp, data_dir=config.data_dir)
        everything = store.search("*", limit=0)
        counts = store.counts()
    _say("4/5 linking vendor accounts across markets")
    graph_line, example_account = _graph_summary(config)
    _say("5/5 writing the report")
    report_path = write_report(config)
    pointer = remember_data_dir(config.data_dir) if len(failed) < len(crawls) else None
    elapsed = time.monotonic() - started
    top_drugs = list(everything.facets.get("drug", {}).items())[:8]
    lines = [
        "",
        "onionwatch demo summary",
        f"  markets:   {counts['markets']} ({', '.join(profiles)}), crawl {crawl_id}",
        f"  listings:  {report.listings} indexed ({counts['listings']} in the store), every page kept as"
        f" WARC evidence in {config.warc_dir}",
        f"  vendors:   {report.vendors} accounts; {graph_line}",
        "  top drugs: " + (", ".join(f"{name} ({n})" for name, n in top_drugs) or "none recognised"),
        f"  problems:  {len(failed)} failed crawls, {report.parse_errors} unparsed pages,"
        f" {report.extraction_errors} extraction errors, {report.evidence_errors} unreadable evidence records",
        f"  time:      {elapsed:.1f}s",
        f"  data:      {config.data_dir} (the sandbox's ground truth: {truth_path})",
        f"  report:    {report_path}",
        "",
        "Try next (with the virtual environment's onionwatch, e.g. .venv/bin/onionwatch):",
    ]
    data_flag = "" if str(config.data_dir) == "onionwatch-data" else f" --data-dir {config.data_dir}"
    lines += [f"  onionwatch search {query}{data_flag}" for query in EXAMPLE_SEARCHES]
    lines += [f"  onionwatch graph vendor {example_account or '<market>/<handle>'}{data_flag}",
              f"  onionwatch serve{data_flag}          # the search page in your browser",
              "  make notebooks                   # JupyterLab with the investigator notebooks, on this data"
              + (f" (remembered in {pointer})" if pointer else "")]
    print("\n".join(lines))
    return exits.FAILED if len(failed) == len(crawls) else exits.OK


def _graph_summary(config: Config) -> tuple[str, str | None]:
    """Build (or rebuild, keeping actor ids) the vendor-link graph; say what it resolved, and name
    an account of the actor with the most accounts (an example to look at)."""
    from graph.pipeline import GRAPH_FILE, actor_map, build_vendor_graph, load_graph, records_from_store, save_graph
    from search_index import open_store

    path = config.data_dir / GRAPH_FILE
    previous = actor_map(load_graph(path)) if path.exists() else None
    with open_store(config) as store:
        G, result = build_vendor_graph(records_from_store(store), previous=previous, data_dir=config.data_dir)
    save_graph(G, path)
    linked = sorted((sorted(cluster) for cluster in result.clusters if len(cluster) > 1), key=lambda c: (-len(c), c))
    line = (f"{len(result.clusters)} actors behind them, {len(linked)} with several accounts"
            f" ({result.stats.get('links', 0)} alias links, each with its evidence)")
    return line, (linked[0][0] if linked else None)

