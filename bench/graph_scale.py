"""Time and peak memory to build the vendor graph and resolve aliases at 10k, 100k and 1M listings.

Records are generated straight to JSON Lines files by :mod:`bench.graph_world` (4 markets, ~25
listings an account, aliases and hard negatives), then each size is built and resolved in its own
child process so peak memory (max RSS) is that size's alone. The baseline, run in the same
process on the same file, is reading and parsing the records (build+resolve streams from the file
and includes that parse); the report gives build+resolve time as a ratio of it, the growth ratio of time and memory between sizes (near 10x per 10x
listings means near-linear), and the blocked comparisons against all pairs of accounts.

Run from the checkout's root with onionwatch installed (see :mod:`bench`)::

    .venv/bin/python -m bench.graph_scale                   # 10k, 100k, 1M (several minutes)
    .venv/bin/python -m bench.graph_scale --sizes 10000 100000

Not part of `make test`. Goal: 1,000,000 listings in under 5 minutes and 8 GB on 2 cores.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def child(path: str) -> None:
    """Run in a child process: the baseline (read and parse every record, keeping none), then
    build + resolve streaming from the same file; print one JSON line."""
    from graph.pipeline import build_vendor_graph, read_record_files

    started = time.perf_counter()
    listings = sum(1 for record in read_record_files([path]) if record.get("kind") == "listing")
    read_seconds = time.perf_counter() - started
    phases = {}
    mark = time.perf_counter()

    def progress(message: str) -> None:
        nonlocal mark
        if message.strip().startswith("graph:"):
            phases["build"] = time.perf_counter() - mark
            mark = time.perf_counter()

    started = time.perf_counter()
    G, result = build_vendor_graph(read_record_files([path]), progress=progress)
    seconds = time.perf_counter() - started
    phases["resolve"] = time.perf_counter() - mark
    accounts = result.stats.get("accounts", 0)
    print(json.dumps({
        "listings": listings, "accounts": accounts,
        "nodes": G.number_of_nodes(), "edges": G.number_of_edges(), "read_seconds": read_seconds,
        "seconds": seconds, "phases": phases, "links": result.stats.get("links", 0),
        "comparisons": result.stats.get("comparisons", 0) + result.stats.get("style_comparisons", 0),
        "all_pairs": accounts * (accounts - 1) // 2,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", help="keep the generated files here (default: a temporary folder)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child)
        return 0
    from bench.graph_world import write_world

    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="graph-scale-"))
    workdir.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in args.sizes:
        path = workdir / f"world-{size}.jsonl"
        started = time.perf_counter()
        if not path.exists():
            write_world(str(path), listings=size, seed=args.seed)
        print(f"{size:>9,} listings: records written in {time.perf_counter() - started:.1f}s; building",
              file=sys.stderr, flush=True)
        out = subprocess.run([sys.executable, "-m", "bench.graph_scale", "--child", str(path.resolve())],
                             capture_output=True, text=True, check=True, cwd=HERE.parent)
        row = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append(row)
        print(f"{size:>9,} listings: {row['seconds']:.1f}s (build {row['phases'].get('build', 0):.1f}s, "
              f"resolve {row['phases'].get('resolve', 0):.1f}s), peak {row['peak_rss_mb']:.0f} MB",
              file=sys.stderr, flush=True)
    print(f"{'listings':>10} {'accounts':>9} {'seconds':>8} {'vs read':>8} {'peak MB':>8} "
          f"{'time x':>7} {'mem x':>6} {'comparisons':>12} {'of all pairs':>12}")
    previous = None
    for row in rows:
        growth_t = f"{row['seconds'] / previous['seconds']:.2f}" if previous else "-"
        growth_m = f"{row['peak_rss_mb'] / previous['peak_rss_mb']:.2f}" if previous else "-"
        share = row["comparisons"] / row["all_pairs"] if row["all_pairs"] else 0
        print(f"{row['listings']:>10,} {row['accounts']:>9,} {row['seconds']:>8.1f} "
              f"{row['seconds'] / row['read_seconds']:>7.1f}x {row['peak_rss_mb']:>8.0f} "
              f"{growth_t:>7} {growth_m:>6} {row['comparisons']:>12,} {share:>12.2e}")
        previous = row
    for a, b in zip(rows, rows[1:]):
        size_ratio = b["listings"] / a["listings"]
        print(f"growth {a['listings']:,} -> {b['listings']:,} listings ({size_ratio:.0f}x): time "
              f"{b['seconds'] / a['seconds']:.2f}x, per-listing time ratio "
              f"{(b['seconds'] / b['listings']) / (a['seconds'] / a['listings']):.2f}")
    last = rows[-1]
    print(f"largest: {last['listings']:,} listings in {last['seconds']:.1f}s "
          f"({last['seconds'] / last['read_seconds']:.1f}x the baseline read), peak {last['peak_rss_mb'] / 1024:.2f} GB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
