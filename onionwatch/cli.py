"""The ``onionwatch`` command: each subcommand is a thin wrapper over a library function.

Run ``onionwatch --help`` for the commands and ``onionwatch COMMAND --help`` for each one's options
and examples.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Sequence

from . import __version__
from .config import load_config

__all__ = ["main", "build_parser"]

DESCRIPTION = """\
onionwatch monitors dark-web drug marketplaces: it crawls public listings (keeping every page as
WARC evidence), extracts drugs, quantities, prices and shipping, and indexes them for search.

Start with `onionwatch demo`: it serves a simulated market on 127.0.0.1, crawls it, indexes it
and shows what to search next. Real markets are crawled with `onionwatch crawl --profile FILE`."""


class _Formatter(argparse.RawDescriptionHelpFormatter):
    pass


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar="DIR",
                        help="folder of evidence, records and the search store "
                             "(default: $ONIONWATCH_DATA_DIR or ./onionwatch-data)")
    return common


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="onionwatch", description=DESCRIPTION, formatter_class=_Formatter)
    parser.add_argument("--version", action="version", version=f"onionwatch {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    common = _common()

    demo = commands.add_parser(
        "demo", parents=[common], formatter_class=_Formatter,
        help="serve the sandbox market, crawl it, index it and print a summary",
        description="Run the whole pipeline against the simulated market on 127.0.0.1 and print a summary.",
        epilog="example:\n  onionwatch demo --seed 7\n  onionwatch search fentanyl")
    demo.add_argument("--seed", type=int, default=7, help="sandbox seed (default 7)")
    demo.add_argument("--vendors", type=int, default=40, help="vendor accounts in the sandbox (default 40)")
    demo.add_argument("--listings", type=int, default=400, help="listings in the sandbox (default 400)")
    demo.set_defaults(run=_cmd_demo)

    sandbox = commands.add_parser("sandbox", help="simulated marketplaces on loopback (the test bed)")
    sandbox_commands = sandbox.add_subparsers(dest="sandbox_command", metavar="SUBCOMMAND", required=True)
    serve = sandbox_commands.add_parser(
        "serve", formatter_class=_Formatter, help="serve a simulated market on 127.0.0.1 until stopped",
        description="Serve a simulated market generated from a seed, on 127.0.0.1 only.",
        epilog="example:\n  onionwatch sandbox serve --seed 7 --port 8800 --truth truth.jsonl")
    serve.add_argument("--seed", type=int, default=7, help="generator seed (default 7)")
    serve.add_argument("--port", type=int, default=8800, help="port on 127.0.0.1 (default 8800; 0 = any free)")
    serve.add_argument("--vendors", type=int, default=40, help="vendor accounts (default 40)")
    serve.add_argument("--listings", type=int, default=400, help="listings (default 400)")
    serve.add_argument("--truth", metavar="FILE", help="write the ground truth (JSON Lines) here")
    serve.set_defaults(run=_cmd_sandbox_serve)

    crawl = commands.add_parser(
        "crawl", parents=[common], formatter_class=_Formatter,
        help="crawl a market by its profile, keep WARC evidence, then index",
        description="Crawl one market as its profile describes. Every response is kept in a WARC file;\n"
                    "listing and vendor records are written as JSON Lines, then indexed (unless --no-index).",
        epilog="examples:\n  onionwatch crawl --profile sandbox-table --base-url http://127.0.0.1:8800\n"
               "  onionwatch crawl --profile ./mymarket.yaml --no-index")
    crawl.add_argument("--profile", required=True, metavar="NAME|FILE",
                       help="a bundled profile name or a profile YAML file")
    crawl.add_argument("--base-url", metavar="URL", help="override the profile's base URL (e.g. the sandbox's port)")
    crawl.add_argument("--no-index", action="store_true", help="only crawl; index later with `onionwatch index`")
    crawl.add_argument("--log-level", default="WARNING", help="Scrapy log level (default WARNING)")
    crawl.set_defaults(run=_cmd_crawl)

    extract = commands.add_parser(
        "extract", formatter_class=_Formatter,
        help="extract drugs, quantities, prices and shipping from pages or text",
        description="Run the extraction pipeline on .html/.htm pages, .txt files or .jsonl records\n"
                    "(with id, title, description and/or html) and print one JSON object per record.",
        epilog="example:\n  onionwatch extract saved_page.html listings.jsonl > facts.jsonl")
    extract.add_argument("paths", nargs="+", metavar="PATH", help="files to read")
    extract.add_argument("--format", choices=["jsonl"], default="jsonl", help="output format (jsonl)")
    extract.set_defaults(run=_cmd_extract)

    index = commands.add_parser(
        "index", parents=[common], formatter_class=_Formatter,
        help="extract and index crawled records into the search store",
        description="Index crawl records (default: every records file in the data directory).",
        epilog="example:\n  onionwatch index onionwatch-data/items/empire-20260101T000000Z-abc123.jsonl")
    index.add_argument("paths", nargs="*", metavar="RECORDS.jsonl", help="crawl record files")
    index.set_defaults(run=_cmd_index)

    search = commands.add_parser(
        "search", parents=[common], formatter_class=_Formatter,
        help="search indexed listings",
        description="Search indexed listings. Every word must match; `*` matches everything.",
        epilog="examples:\n  onionwatch search fentanyl\n  onionwatch search 'm30 pressed' --json")
    search.add_argument("query", help="the search words (quote several)")
    search.add_argument("--limit", type=int, default=10, help="hits to show (default 10)")
    search.add_argument("--json", action="store_true", help="print hits and facets as one JSON object")
    search.set_defaults(run=_cmd_search)
    return parser


def _fail(message: str) -> int:
    print(f"onionwatch: error: {message}", file=sys.stderr)
    return 2


def _cmd_sandbox_serve(args) -> int:
    from .sandbox import build_world, serve, write_truth

    world = build_world(args.seed, vendors=args.vendors, listings=args.listings)
    if args.truth:
        written = write_truth(world, args.truth)
        print(f"ground truth: {written} records in {args.truth}", file=sys.stderr)
    try:
        server = serve(world, port=args.port)
    except OSError as exc:
        return _fail(f"cannot listen on 127.0.0.1:{args.port} ({exc}); choose another --port")
    print(f"sandbox market serving at {server.url}  (Ctrl-C to stop)", flush=True)
    try:
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
    return 0


def _cmd_crawl(args) -> int:
    from crawlers.profile import ProfileError, load_profile
    from crawlers.run import run_crawl

    config = load_config(args.data_dir)
    try:
        profile = load_profile(args.profile)
    except ProfileError as exc:
        return _fail(str(exc))
    if args.base_url:
        profile = profile.with_base_url(args.base_url)
    print(f"crawling {profile.name} at {profile.base_url} ...", file=sys.stderr, flush=True)
    report = run_crawl(profile, warc_dir=config.warc_dir, items_dir=config.items_dir, log_level=args.log_level)
    print(f"crawl {report.crawl_id}: {report.pages} pages, finished ({report.finish_reason});"
          f" evidence {report.warc_path}; records {report.items_path}", file=sys.stderr)
    if report.parse_errors:
        print(f"  {report.parse_errors} page(s) failed to parse: see the parse_error records", file=sys.stderr)
    if args.no_index:
        return 0
    return _index(config, [report.items_path])


def _index(config, paths: Sequence[Path]) -> int:
    from extract import load_pipeline
    from search_index import open_store

    from .indexing import index_paths

    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        return _fail(f"no such records file(s): {', '.join(missing)}")
    nlp = load_pipeline()
    with open_store(config) as store:
        report = index_paths(paths, store, nlp)
    print(f"indexed {report.listings} listings and {report.vendors} vendor accounts in {report.seconds:.1f}s"
          f" into {config.store_path}", file=sys.stderr)
    for problem in report.problems[:20]:
        print(f"  problem: {problem}", file=sys.stderr)
    if len(report.problems) > 20:
        print(f"  ... and {len(report.problems) - 20} more problems", file=sys.stderr)
    return 0


def _cmd_index(args) -> int:
    config = load_config(args.data_dir)
    paths = [Path(p) for p in args.paths] or sorted(config.items_dir.glob("*.jsonl"))
    if not paths:
        return _fail(f"no crawl records in {config.items_dir}: run `onionwatch crawl` first")
    return _index(config, paths)


def _cmd_extract(args) -> int:
    from extract import extract_path, load_pipeline

    nlp = load_pipeline()
    out = sys.stdout
    for record in extract_path(nlp, [Path(p) for p in args.paths]):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0


def _cmd_search(args) -> int:
    from search_index import open_store

    config = load_config(args.data_dir)
    if not config.store_path.exists():
        return _fail(f"no search store at {config.store_path}: run `onionwatch demo` or `onionwatch crawl` first")
    with open_store(config) as store:
        result = store.search(args.query, limit=args.limit)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=None))
        return 0
    print(format_hits(args.query, result))
    return 0


def format_hits(query: str, result) -> str:
    """The terminal view of a search: one block a hit, with its evidence pointer."""
    lines = [f"{result.total} listing(s) match {query!r}" + (":" if result.hits else ".")]
    for number, hit in enumerate(result.hits, 1):
        price = f"${hit['price_usd']:,.2f}" if hit.get("price_usd") is not None else "price ?"
        ships_to = ",".join(hit.get("ships_to") or []) or "?"
        lines.append(f"{number:3}. [{hit['market']}] {hit['title']}")
        lines.append(f"     vendor {hit.get('vendor') or '?'} | {price} | ships from {hit.get('ships_from') or '?'}"
                     f" to {ships_to} | {', '.join(hit.get('drugs') or []) or 'no drug recognised'}")
        evidence = hit.get("evidence") or {}
        if evidence:
            lines.append(f"     evidence {evidence.get('warc_file')} {evidence.get('record_id')}"
                         f" {evidence.get('digest')} fetched {evidence.get('fetched_at')}")
    return "\n".join(lines)


def _cmd_demo(args) -> int:
    from .demo import run_demo

    return run_demo(load_config(args.data_dir), seed=args.seed, vendors=args.vendors, listings=args.listings)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
