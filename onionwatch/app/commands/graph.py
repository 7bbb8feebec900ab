"""``onionwatch graph``: build the vendor-link graph, show an account's aliases, export the graph."""
from __future__ import annotations

import json
import os
import sys

from onionwatch.core.config import load_config
from ._util import Formatter, fail, say

__all__ = ["register"]

BUILD_HELP = """\
Build the vendor-link graph from the indexed listings and vendor profiles (or from JSON Lines
record files), resolve which accounts are one actor, and save it in DATA_DIR/graph/.

Accounts are linked by shared PGP keys, crypto addresses, contacts and e-mail addresses, and by
weak signals that must agree (similar handles, near-duplicate listing text, reused photos, writing
style). Identifiers most accounts of a market show (its escrow address) link nothing. Actor ids
are kept from the previous build."""

EXPORT_HELP = """\
Export the saved graph: gexf or graphml for Gephi, json (node-link) for notebooks, or stix for a
STIX 2.1 bundle (threat actors, user accounts, indicators, relationships with WARC evidence)."""


def register(commands, common) -> None:
    graph = commands.add_parser("graph", help="vendor-link graph: build, vendor aliases, export",
                                description="The vendor-link graph: which accounts are the same people.",
                                formatter_class=Formatter,
                                epilog="examples:\n  onionwatch graph build\n"
                                       "  onionwatch graph vendor empire-sandbox/DrWhite\n"
                                       "  onionwatch graph export --format stix --out actors.json")
    sub = graph.add_subparsers(dest="graph_command", metavar="SUBCOMMAND", required=True)

    build = sub.add_parser("build", parents=[common], formatter_class=Formatter, help="build and resolve",
                           description=BUILD_HELP,
                           epilog="examples:\n  onionwatch graph build\n"
                                  "  onionwatch graph build --records crawl-items.jsonl other.jsonl.gz")
    build.add_argument("--records", nargs="+", metavar="FILE",
                       help="read listing and vendor records from these JSON Lines files instead of the store")
    build.add_argument("--threshold", type=float, default=0.9,
                       help="link score (0-1) at which two accounts are one actor (default 0.9)")
    build.add_argument("--fresh", action="store_true", help="do not keep actor ids from the previous build")
    build.set_defaults(run=run_build)

    vendor = sub.add_parser("vendor", parents=[common], formatter_class=Formatter,
                            help="an account's aliases, identifiers and markets",
                            description="Show an account: its actor's other accounts with the score and "
                                        "evidence of each link, its identifiers, its markets.",
                            epilog="examples:\n  onionwatch graph vendor empire-sandbox/DrWhite\n"
                                   "  onionwatch graph vendor empire-sandbox/DrWhite --json")
    vendor.add_argument("account", metavar="MARKET/HANDLE")
    vendor.add_argument("--json", action="store_true", help="print the account as one JSON object")
    vendor.set_defaults(run=run_vendor)

    export = sub.add_parser("export", parents=[common], formatter_class=Formatter,
                            help="write the graph as GEXF, GraphML, JSON or STIX 2.1", description=EXPORT_HELP,
                            epilog="examples:\n  onionwatch graph export --format gexf --out vendors.gexf\n"
                                   "  onionwatch graph export --format stix --out actors.json --linked-only")
    export.add_argument("--format", required=True, choices=("gexf", "graphml", "json", "stix"))
    export.add_argument("--out", required=True, metavar="FILE", help="file to write")
    export.add_argument("--linked-only", action="store_true",
                        help="stix: only actors with more than one account")
    export.set_defaults(run=run_export)


def _graph_path(config):
    from graph.pipeline import GRAPH_FILE

    return config.data_dir / GRAPH_FILE


def _load(config):
    from graph.pipeline import load_graph

    path = _graph_path(config)
    if not path.exists():
        return None, path
    return load_graph(path), path


def run_build(args) -> int:
    from graph.params import ResolveParams
    from graph.pipeline import actor_map, build_vendor_graph, read_record_files, records_from_store, save_graph

    config = load_config(args.data_dir)
    previous = None
    if not args.fresh:
        old, _ = _load(config)
        previous = actor_map(old) if old is not None else None
    problems: list[str] = []
    store = None
    if args.records:
        missing = [p for p in args.records if not os.path.exists(p)]
        if missing:
            return fail(f"no such record file: {', '.join(missing)}")
        records = read_record_files(args.records, problems)
    else:
        if not config.store_path.exists() and not config.es_url:
            return fail(f"no search store at {config.store_path}: run `onionwatch demo` or "
                        "`onionwatch crawl` first, or pass --records FILE")
        from search_index import open_store
        store = open_store(config)
        records = records_from_store(store)
    try:
        say(f"building the vendor graph ({'records files' if args.records else config.store_path})")
        G, result = build_vendor_graph(records, previous=previous, progress=say,
                                       params=ResolveParams(threshold=args.threshold), data_dir=config.data_dir)
    finally:
        if store is not None:
            store.close()
    path = save_graph(G, _graph_path(config))
    for problem in problems[:20]:
        say(f"  skipped: {problem}")
    stats = result.stats
    multi = [c for c in result.clusters if len(c) > 1]
    print(f"vendor graph: {stats.get('accounts', 0)} accounts, {len(result.clusters)} actors "
          f"({len(multi)} with more than one account), {stats.get('links', 0)} alias links from "
          f"{stats.get('candidates', 0)} candidate pairs; saved to {path}")
    if problems:
        print(f"{len(problems)} unreadable record line(s) skipped", file=sys.stderr)
    return 0


def run_vendor(args) -> int:
    from graph.report import find_account, format_vendor, vendor_report

    config = load_config(args.data_dir)
    G, path = _load(config)
    if G is None:
        return fail(f"no vendor graph at {path}: run `onionwatch graph build` first")
    try:
        account = find_account(G, args.account)
    except KeyError as exc:
        return fail(str(exc.args[0]))
    report = vendor_report(G, account)
    print(json.dumps(report, ensure_ascii=False) if args.json else format_vendor(report))
    return 0


def run_export(args) -> int:
    from graph.export import write_graph
    from graph.stix import write_stix

    config = load_config(args.data_dir)
    G, path = _load(config)
    if G is None:
        return fail(f"no vendor graph at {path}: run `onionwatch graph build` first")
    if args.format == "stix":
        out = write_stix(G, args.out, linked_only=args.linked_only)
    else:
        out = write_graph(G, args.out, args.format)
    print(f"wrote {args.format} to {out}")
    return 0
