"""``onionwatch sandbox``: simulated marketplaces on loopback, and records made without a crawl."""
from __future__ import annotations

from ._util import Formatter, fail, say

FAMILY_HELP = "table (empire-sandbox), grid (vitrine-sandbox), forum (backroom-sandbox), markt " \
              "(schattenmarkt-sandbox, German)"


def _families(text: str) -> tuple[str, ...]:
    from onionwatch.sandbox import ALL_FAMILIES

    if text == "all":
        return ALL_FAMILIES
    chosen = tuple(f.strip() for f in text.split(",") if f.strip())
    unknown = [f for f in chosen if f not in ALL_FAMILIES]
    if unknown or not chosen:
        raise ValueError(f"unknown families {unknown}; choose from {', '.join(ALL_FAMILIES)} or all")
    return chosen


def register(commands, common) -> None:
    sandbox = commands.add_parser("sandbox", help="simulated marketplaces on loopback (the test bed)")
    sub = sandbox.add_subparsers(dest="sandbox_command", metavar="SUBCOMMAND", required=True)
    serve = sub.add_parser(
        "serve", formatter_class=Formatter, help="serve simulated markets on 127.0.0.1 until stopped",
        description="Serve simulated markets generated from a seed, on 127.0.0.1 only: one port per\n"
                    f"market family ({FAMILY_HELP}),\n"
                    "and the oracle (CAPTCHA answers, mirrors, clock) on its own port.\n"
                    "Defences and faults are off; switch them in Python (market.defences, market.faults).",
        epilog="examples:\n  onionwatch sandbox serve --seed 7 --port 8800 --truth truth.jsonl\n"
               "  onionwatch sandbox serve --families table   # only the table market, on 8800\n"
               "  onionwatch crawl --profile sandbox-grid --base-url http://127.0.0.1:8801")
    serve.add_argument("--seed", type=int, default=7, help="generator seed (default 7)")
    serve.add_argument("--port", type=int, default=8800,
                       help="first port: markets take PORT, PORT+1, ... in family order, the oracle "
                            "the next one (default 8800; 0 = any free ports)")
    serve.add_argument("--families", default="all", help=f"comma-separated families or 'all': {FAMILY_HELP}")
    serve.add_argument("--vendors", type=int, default=40, help="vendor accounts per market (default 40)")
    serve.add_argument("--listings", type=int, default=400, help="listings per market (default 400)")
    serve.add_argument("--truth", metavar="FILE", help="write the ground truth (JSON Lines) here")
    serve.set_defaults(run=run_serve)

    records = sub.add_parser(
        "records", formatter_class=Formatter,
        help="write crawl-shaped listing and vendor records straight from the generator (no crawl)",
        description="Stream a sandbox world's listings and vendor accounts to JSON Lines in the shape\n"
                    "`onionwatch crawl` writes (evidence is null: nothing was fetched). For index and\n"
                    "graph benchmarks at any size; nothing is held in memory.",
        epilog="example (the benchmark size):\n"
               "  onionwatch sandbox records --listings 1000000 --vendors 100000 --out bench-data/")
    records.add_argument("--seed", type=int, default=7, help="generator seed (default 7)")
    records.add_argument("--families", default="table", help="comma-separated families or 'all' (default table)")
    records.add_argument("--vendors", type=int, default=40, help="vendor accounts per market (default 40)")
    records.add_argument("--listings", type=int, default=400, help="listings per market (default 400)")
    records.add_argument("--out", metavar="DIR", default=".", help="folder for listings.jsonl, vendors.jsonl "
                         "and truth.jsonl (default .)")
    records.add_argument("--no-truth", action="store_true", help="skip the ground truth file")
    records.set_defaults(run=run_records)


def run_serve(args) -> int:
    from onionwatch.sandbox import build_world, serve_world, write_truth

    try:
        families = _families(args.families)
        world = build_world(args.seed, vendors=args.vendors, listings=args.listings, families=families)
    except ValueError as exc:
        return fail(str(exc))
    if args.truth:
        written = write_truth(world, args.truth)
        say(f"ground truth: {written} records in {args.truth}")
    ports = {m.name: (args.port + k if args.port else 0) for k, m in enumerate(world.markets)}
    oracle_port = args.port + len(world.markets) if args.port else 0
    try:
        running = serve_world(world, ports=ports, oracle_port=oracle_port)
    except OSError as exc:
        return fail(f"cannot listen on 127.0.0.1 from port {args.port} ({exc}); choose another --port")
    for market in world.markets:
        print(f"{market.name:24} ({market.family:5}) serving at {running.urls[market.name]}", flush=True)
    print(f"{'oracle':32} serving at {running.oracle.url}  (Ctrl-C to stop)", flush=True)
    try:
        running.wait()
    except KeyboardInterrupt:
        pass
    finally:
        running.shutdown()
    return 0


def run_records(args) -> int:
    from pathlib import Path

    from onionwatch.sandbox import build_world, write_records, write_truth

    try:
        families = _families(args.families)
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        say(f"generating the world (seed {args.seed}, {len(families)} market(s), {args.vendors} vendors "
            f"and {args.listings} listings each)")
        world = build_world(args.seed, vendors=args.vendors, listings=args.listings, families=families)
    except (ValueError, OSError) as exc:
        return fail(str(exc))
    listings, vendors = write_records(world, out / "listings.jsonl", out / "vendors.jsonl",
                                      progress=lambda kind, n: say(f"  {n} {kind} written"))
    say(f"wrote {listings} listings to {out / 'listings.jsonl'} and {vendors} vendor accounts to "
        f"{out / 'vendors.jsonl'}")
    if not args.no_truth:
        say(f"ground truth: {write_truth(world, out / 'truth.jsonl')} records in {out / 'truth.jsonl'}")
    return 0
