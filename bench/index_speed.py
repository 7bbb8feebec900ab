"""bench/index: indexing throughput and search latency on both backends, as ratios to baselines.

Listing documents (as :func:`search_index.listing_document` makes them from extracted records; the
extraction stage has its own benchmark) are generated straight to a JSON Lines file (``--listings``,
1,000,000 for the issue's figure; not part of ``make test``; reused from ``--workdir`` when there), then:

- documents/s into Elasticsearch through the project's indexer (``ElasticsearchStore.add_documents``:
  streaming_bulk, spool, versions) against ``helpers.bulk`` of the same pre-serialised documents
  in the same run (ratio), and into SQLite (``SqliteStore.add_documents``);
- search latency p50/p95 of the project's compiled queries against the equivalent hand-written
  Elasticsearch query and a hand-written raw FTS5 ``MATCH`` (same filters, hits only) on the same
  data (ratios), on both backends.

Run from the checkout's root with onionwatch installed (see :mod:`bench`)::

    python scripts/es_node.py start --port 9260 --heap 2g --home /tmp/owbench/es
    .venv/bin/python -m bench.index_speed --listings 1000000 --es-url http://127.0.0.1:9260 --out bench/index_speed_1m.json
    .venv/bin/python -m bench.index_speed --listings 1000000 --skip-es --workdir /tmp/owbench/run1m   # SQLite only

Uses its own index prefix (``owbench-...``) and deletes only those indices at the end.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

DRUGS = [("fentanyl", "opioid"), ("heroin", "opioid"), ("oxycodone", "opioid"), ("cocaine", "stimulant"),
         ("mdma", "empathogen"), ("ketamine", "dissociative"), ("alprazolam", "benzodiazepine"), ("lsd", "psychedelic")]
WORDS = "pure uncut pressed blues stealth tracked bulk sample premium fishscale crystal shards tabs bars".split()
COUNTRIES = ["US", "NL", "DE", "GB", "CN", "CA", "FR", "ES", "AU", "PL"]
QUERIES = ["fentanyl", "pressed blues", "fentanyl to:US price<200", "drug:cocaine from:NL",
           "heroin since:2026-02-01", "vendor:v17 market:m3"]


def generate(path: Path, n: int, seed: int = 1) -> None:
    """Write ``n`` listing documents (as :func:`search_index.listing_document` makes them)."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            drug, cls = rng.choice(DRUGS)
            market = f"m{rng.randrange(8)}"
            title = f"{drug.title()} {rng.choice(WORDS)} {rng.choice(WORDS)} {rng.randrange(1, 100)}g"
            usd = round(rng.uniform(5, 2000), 2)
            day = 1 + rng.randrange(59)
            seen = f"2026-{1 + (day - 1) // 31:02d}-{1 + (day - 1) % 28:02d}T00:00:00Z"
            doc = {"market": market, "listing_id": str(i), "url": f"http://{market}/l/{i}", "title": title,
                   "vendor": f"v{rng.randrange(500)}", "description": f"{title}. {' '.join(rng.sample(WORDS, 6))}",
                   "category": None, "drugs": [drug], "drug_classes": [cls], "drug_keys": [drug], "class_keys": [cls],
                   "price_amount": usd, "price_currency": "USD", "price_usd": usd,
                   "ships_from": rng.choice(COUNTRIES), "ships_to": rng.sample(COUNTRIES + ["WW", "EU"], 2),
                   "entities": [{"type": "drug", "name": drug, "class": cls, "text": drug}],
                   "market_key": market, "vendor_key": None, "category_key": None, "seen_at": seen, "fields": {},
                   "evidence": {"warc_file": "bench.warc.gz", "record_id": f"<urn:uuid:{i}>", "digest": "sha256:X",
                                "fetched_at": seen, "url": f"http://{market}/l/{i}", "offset": i}}
            doc["vendor_key"] = doc["vendor"]
            fh.write(json.dumps(doc) + "\n")


def read_docs(path: Path):
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def timed(function, repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return percentiles(samples)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--es-url", default="http://127.0.0.1:9200")
    parser.add_argument("--repeat", type=int, default=30, help="runs of each query for p50/p95")
    parser.add_argument("--workdir", default=None)
    parser.add_argument("--out", default=None, help="also write the figures to this JSON file")
    parser.add_argument("--skip-es", action="store_true", help="only the SQLite figures (no Elasticsearch node)")
    args = parser.parse_args(argv)

    from elasticsearch import Elasticsearch, helpers

    from search_index.base import search_fields
    from search_index.es_query import facet_aggs
    from search_index.es_store import ElasticsearchStore
    from search_index.query import parse
    from search_index.sqlite_store import SqliteStore

    work = Path(args.workdir or tempfile.mkdtemp(prefix="owbench-"))
    work.mkdir(parents=True, exist_ok=True)
    records = work / "listings.jsonl"
    n = args.listings
    marker = work / "listings.count"
    if records.exists() and marker.exists() and marker.read_text().strip() == str(n):
        print(f"reusing {n:,} generated listings ({records})", flush=True)
    else:
        started = time.perf_counter()
        generate(records, n)
        marker.write_text(f"{n}\n")
        print(f"generated {n:,} listings in {time.perf_counter() - started:.1f}s ({records})", flush=True)
    figures: dict = {"listings": n, "repeat": args.repeat, "search": {}}
    ms = lambda pair: [round(pair[0] * 1e3, 2), round(pair[1] * 1e3, 2)]  # noqa: E731
    es = project = baseline = None
    try:
        if not args.skip_es:
            es = Elasticsearch(args.es_url, request_timeout=120, max_retries=3, retry_on_timeout=True)
            tag = uuid.uuid4().hex[:6]
            project = ElasticsearchStore(es, prefix=f"owbench-{tag}-p", spool_dir=work / "spool", chunk_size=1000)
            baseline = ElasticsearchStore(es, prefix=f"owbench-{tag}-b", spool_dir=work / "spool-b")
            project.ensure_indices()
            baseline.ensure_indices()
            # baseline: helpers.bulk of the same documents, pre-serialised (ids and folded fields made before timing)
            actions = [{"_index": baseline.alias("listings"), "_id": f"{d['market']}/{d['listing_id']}",
                        "_source": json.dumps({**d, **search_fields(d)})} for d in read_docs(records)]
            started = time.perf_counter()
            helpers.bulk(es.options(request_timeout=120), actions, chunk_size=1000)
            base_s = time.perf_counter() - started
            del actions
            started = time.perf_counter()
            project.add_documents(read_docs(records))
            assert project.flush() == 0
            proj_s = time.perf_counter() - started
            es.indices.refresh(index=baseline.alias("listings"))
            figures.update(es_url=args.es_url, es_project_docs_s=round(n / proj_s),
                           es_helpers_bulk_docs_s=round(n / base_s), es_ratio_project_to_bulk=round(base_s / proj_s, 3))
            print(f"elasticsearch: project indexer {n / proj_s:,.0f} docs/s, helpers.bulk (pre-serialised) "
                  f"{n / base_s:,.0f} docs/s, ratio {base_s / proj_s:.2f} (project / baseline throughput)", flush=True)

        path = work / "bench.sqlite3"
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)
        sqlite = SqliteStore(path)
        started = time.perf_counter()
        sqlite.add_documents(read_docs(records))
        sql_s = time.perf_counter() - started
        figures["sqlite_docs_s"] = round(n / sql_s)
        print(f"sqlite: project indexer {n / sql_s:,.0f} docs/s ({sql_s:.1f}s)", flush=True)

        print(f"search latency over {args.repeat} runs (p50 / p95 ms; ratio = project / hand-written;"
              " the hand-written SQL reads hits only, no total or facets):")
        for text in QUERIES:
            parsed = parse(text)
            line, row = f"  {text!r:34}", figures["search"].setdefault(text, {})
            if es is not None:
                hand = hand_written_es(text)
                p = timed(lambda: project.search(parsed, limit=20), args.repeat)
                b = timed(lambda: es.search(index=project.alias("listings"), query=hand, size=20,
                                            aggs=facet_aggs(), track_total_hits=True), args.repeat)
                line += (f" es {p[0]*1e3:7.1f}/{p[1]*1e3:7.1f} vs hand {b[0]*1e3:7.1f}/{b[1]*1e3:7.1f}"
                         f" ratio {p[0]/b[0]:.2f}/{p[1]/b[1]:.2f} |")
                row.update(es_project_ms_p50_p95=ms(p), es_hand_ms_p50_p95=ms(b),
                           es_ratio_p50_p95=[round(p[0] / b[0], 2), round(p[1] / b[1], 2)])
            s = timed(lambda: sqlite.search(parsed, limit=20), args.repeat)
            sql, params = raw_sql(text)
            r = timed(lambda: sqlite._db.execute(sql, params).fetchall(), args.repeat)
            line += (f" sqlite {s[0]*1e3:7.1f}/{s[1]*1e3:7.1f} vs raw SQL {r[0]*1e3:7.1f}/{r[1]*1e3:7.1f}"
                     f" ratio {s[0]/r[0]:.2f}/{s[1]/r[1]:.2f}")
            row.update(sqlite_project_ms_p50_p95=ms(s), sqlite_raw_ms_p50_p95=ms(r),
                       sqlite_ratio_p50_p95=[round(s[0] / r[0], 2), round(s[1] / r[1], 2)])
            print(line, flush=True)
        sqlite.close()
        if args.out:
            Path(args.out).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
            print(f"figures written to {args.out}")
    finally:
        if es is not None:
            project.delete_indices()
            baseline.delete_indices()
            es.close()
    return 0


def hand_written_es(text: str) -> dict:
    """What an engineer would write by hand for each benchmark query (same fields and semantics)."""
    fields = ["q_title", "q_description", "q_vendor", "q_drugs", "q_category", "q_market"]
    word = lambda w: {"multi_match": {"query": w, "fields": fields, "operator": "and"}}  # noqa: E731
    return {
        "fentanyl": word("fentanyl"),
        "pressed blues": {"bool": {"must": [word("pressed"), word("blues")]}},
        "fentanyl to:US price<200": {"bool": {"must": [word("fentanyl")], "filter": [
            {"terms": {"ships_to": ["US", "WW"]}}, {"range": {"price_usd": {"lt": 200}}}]}},
        "drug:cocaine from:NL": {"bool": {"filter": [{"terms": {"drug_keys": ["cocaine"]}},
                                                     {"terms": {"ships_from": ["NL"]}}]}},
        "heroin since:2026-02-01": {"bool": {"must": [word("heroin")],
                                             "filter": [{"range": {"seen_at": {"gte": "2026-02-01"}}}]}},
        "vendor:v17 market:m3": {"bool": {"filter": [{"terms": {"vendor_key": ["v17"]}},
                                                     {"terms": {"market_key": ["m3"]}}]}},
    }[text]


def raw_sql(text: str) -> tuple[str, list]:
    """Hand-written SQL for each benchmark query: a raw FTS5 ``MATCH`` (plus the same filters), hits only."""
    hits = "SELECT l.doc FROM listings_fts JOIN listings AS l ON l.id = listings_fts.rowid WHERE listings_fts MATCH ?"
    order = " ORDER BY bm25(listings_fts) LIMIT 20"
    terms = "l.id IN (SELECT listing FROM listing_terms WHERE field = ? AND value IN ({}))"
    return {
        "fentanyl": (hits + order, ['"fentanyl"']),
        "pressed blues": (hits + order, ['"pressed" AND "blues"']),
        "fentanyl to:US price<200": (hits + " AND l.price_usd < ? AND " + terms.format("?, ?") + order,
                                     ['"fentanyl"', 200, "ships_to", "US", "WW"]),
        "drug:cocaine from:NL": ("SELECT l.doc FROM listings AS l WHERE l.ships_from = ? AND " + terms.format("?")
                                 + " ORDER BY l.id LIMIT 20", ["NL", "drug_keys", "cocaine"]),
        "heroin since:2026-02-01": (hits + " AND l.seen_at >= ?" + order, ['"heroin"', "2026-02-01T00:00:00Z"]),
        "vendor:v17 market:m3": ("SELECT l.doc FROM listings AS l WHERE l.vendor_key = ? AND l.market_key = ?"
                                 " ORDER BY l.id LIMIT 20", ["v17", "m3"]),
    }[text]


if __name__ == "__main__":
    sys.exit(main())
