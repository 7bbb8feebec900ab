"""Score alias resolution against ground truth: pairwise precision/recall and B-cubed F1, per
signal and combined, plus a baseline run in the same process on the same data.

Ground truth is JSON Lines with ``vendor`` records that carry ``actor_id`` (the sandbox's truth, or
the multi-market world of :mod:`bench.graph_world`); whatever markets and actors it has are read.
By default the sandbox world is generated here; ``--truth FILE`` reads a truth file and, with
``--store DIR``, scores the graph of a crawled and indexed data directory against it (the real
pipeline's output: `onionwatch demo --data-dir DIR` writes both).

Run from the checkout's root with onionwatch installed (see :mod:`bench`)::

    .venv/bin/python -m bench.graph_eval                      # sandbox world, seed 7
    .venv/bin/python -m bench.graph_eval --world multi        # 4 markets, hard negatives
    .venv/bin/python -m bench.graph_eval --truth DIR/sandbox-truth.jsonl --store DIR

The baseline links any two accounts sharing any identifier, with no down-weighting of common
identifiers and no weak signals. The last line is ``precision P recall R`` (pairwise, combined).
"""
from __future__ import annotations

import argparse
import json
import sys
import time

from graph.build import GraphBuilder
from graph.evaluate import cluster_scores, labels_from_pairs
from graph.resolve import ResolveParams, resolve_aliases
from graph.tables import SIGNAL_WEIGHTS


def truth_to_records(truth: list[dict]) -> tuple[list[dict], dict[str, str]]:
    """What a crawl would show of the truth (vendor pages and listings, as store documents),
    and the truth's ``account -> actor`` map. Nothing derived (no fingerprint, no actor) is given."""
    records, actors = [], {}
    for t in truth:
        kind = t.get("type") or t.get("kind")
        if kind == "vendor":
            actors[f"{t['market']}/{t['handle']}"] = t["actor_id"]
            records.append({
                "kind": "vendor", "market": t["market"], "handle": t["handle"],
                "pgp_key": t.get("pgp_key"), "btc_addresses": t.get("btc") or [],
                "xmr_addresses": t.get("xmr") or [],
                "contacts": [f"{c['kind'].capitalize()}: {c['value']}" if isinstance(c, dict) else c
                             for c in t.get("contacts") or []],
                "profile_text": t.get("profile") or "", "photos": t.get("photos") or [],
                "extracted": t.get("extracted") or {}, "evidence": None})
        elif kind == "listing":
            records.append({
                "kind": "listing", "market": t["market"], "listing_id": t["listing_id"],
                "vendor": t["vendor"], "title": t.get("title", ""),
                "description": t.get("description", ""),
                "drugs": [t["drug"]] if t.get("drug") else [],
                "drug_classes": [t["drug_class"]] if t.get("drug_class") else [],
                "ships_from": t.get("ships_from"), "ships_to": t.get("ships_to") or [],
                "photos": t.get("photos") or [], "evidence": None})
    return records, actors


def sandbox_truth(seed: int, vendors: int, listings: int) -> list[dict]:
    from onionwatch.sandbox import build_world, truth_records

    return list(truth_records(build_world(seed, vendors=vendors, listings=listings)))


def baseline_pairs(G):
    """Link any two accounts that share any identifier (no down-weighting, no weak signals)."""
    for node, data in G.nodes(data=True):
        if data.get("type") == "identifier" and data["kind"] != "origin":
            members = sorted(n for n in G[node] if G.nodes[n].get("type") == "account")
            yield from ((members[0], other) for other in members[1:])


def evaluate(records: list[dict], truth: dict[str, str], *, threshold: float = 0.9) -> dict:
    started = time.perf_counter()
    builder = GraphBuilder().add_all(records)
    G = builder.graph
    result = resolve_aliases(G, texts=builder.texts, params=ResolveParams(threshold=threshold))
    seconds = time.perf_counter() - started
    accounts = [a for a in truth if a in G]
    truth = {a: truth[a] for a in accounts}
    rows = {}
    for signal in SIGNAL_WEIGHTS:
        fired = [(l.a, l.b) for l in result.candidates if l.signals.get(signal, 0) >= 0.5]
        if fired:
            rows[signal] = cluster_scores(labels_from_pairs(accounts, fired), truth) | {"pairs": len(fired)}
    rows["combined"] = cluster_scores(result.actor_of, truth) | {"pairs": len(result.links)}
    started_base = time.perf_counter()
    base = list(baseline_pairs(G))
    rows["baseline"] = cluster_scores(labels_from_pairs(accounts, base), truth) | {"pairs": len(base)}
    return {"rows": rows, "seconds": seconds, "baseline_seconds": time.perf_counter() - started_base,
            "accounts": len(accounts), "actors": len(set(truth.values())),
            "markets": len({a.split("/", 1)[0] for a in accounts}), "stats": result.stats}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--world", choices=("sandbox", "multi"), default="sandbox",
                        help="generate the sandbox's world or the multi-market world with hard negatives")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--vendors", type=int, default=400)
    parser.add_argument("--listings", type=int, default=4000)
    parser.add_argument("--truth", help="read ground truth from this JSON Lines file instead")
    parser.add_argument("--store", help="with --truth: score the graph of this data directory's store")
    parser.add_argument("--threshold", type=float, default=0.9)
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args(argv)

    if args.truth:
        truth_list = [json.loads(line) for line in open(args.truth, encoding="utf-8") if line.strip()]
        source = args.truth
    elif args.world == "multi":
        from bench.graph_world import world_records

        truth_list = list(world_records(listings=args.listings, seed=args.seed, truth=True))
        source = f"multi-market world (seed {args.seed}, {args.listings} listings)"
    else:
        truth_list = sandbox_truth(args.seed, args.vendors, args.listings)
        source = f"sandbox world (seed {args.seed}, {args.vendors} vendors, {args.listings} listings)"
    records, truth = truth_to_records(truth_list)
    if args.store:
        from onionwatch.core.config import load_config
        from search_index import open_store

        from graph.pipeline import records_from_store, with_photo_hashes
        with open_store(load_config(args.store)) as store:
            records = list(with_photo_hashes(records_from_store(store)))
        source += f" scored on the indexed store in {args.store}"
    report = evaluate(records, truth, threshold=args.threshold)
    if args.json:
        print(json.dumps(report, indent=2))
    print(f"alias resolution on {source}: {report['accounts']} accounts, {report['actors']} actors, "
          f"{report['markets']} market(s); built and resolved in {report['seconds']:.2f}s")
    print(f"{'signal':10} {'pairs':>7} {'precision':>9} {'recall':>7} {'F1':>6} {'B3-P':>6} {'B3-R':>6} {'B3-F1':>6}")
    for name, s in report["rows"].items():
        print(f"{name:10} {s['pairs']:7d} {s['precision']:9.4f} {s['recall']:7.4f} {s['f1']:6.3f} "
              f"{s['bcubed_precision']:6.3f} {s['bcubed_recall']:6.3f} {s['bcubed_f1']:6.3f}")
    combined, base = report["rows"]["combined"], report["rows"]["baseline"]
    ratio = combined["bcubed_f1"] / base["bcubed_f1"] if base["bcubed_f1"] else float("inf")
    print(f"combined vs baseline: B-cubed F1 ratio {ratio:.3f} "
          f"(pairwise precision {combined['precision']:.4f} vs {base['precision']:.4f})")
    print(f"precision {combined['precision']:.4f} recall {combined['recall']:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
