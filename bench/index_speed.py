"""bench/index: indexing throughput and search latency on both backends, as ratios to baselines.

Listings are generated straight to a JSON Lines file (``--listings``, 1,000,000 for the issue's
figure; this is not part of ``make test``), then:

- documents/s into Elasticsearch through the project's indexer (``ElasticsearchStore.add_documents``:
  streaming_bulk, spool, versions) against ``helpers.bulk`` of the same pre-serialised documents
  in the same run (ratio), and into SQLite (``SqliteStore.add_documents``);
- search latency p50/p95 of the project's compiled queries against the equivalent hand-written
  Elasticsearch query and a raw FTS5 ``MATCH`` on the same data (ratios), on both backends.

    python bench/index_speed.py --listings 1000000 --es-url http://127.0.0.1:9200

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
    args = parser.parse_args(argv)

    from elasticsearch import Elasticsearch, helpers

    from search_index.base import search_fields
    from search_index.es_query import facet_aggs
    from search_index.es_store import ElasticsearchStore
    from search_index.query import parse
    from search_index.sqlite_store import SqliteStore

    work = Path(args.workdir or tempfile.mkdtemp(prefix="owbench-"))
    records = work / "listings.jsonl"
    started = time.perf_counter()
    generate(records, args.listings)
    print(f"generated {args.listings:,} listings in {time.perf_counter() - started:.1f}s ({records})", flush=True)

    es = Elasticsearch(args.es_url, request_timeout=120, max_retries=3, retry_on_timeout=True)
    tag = uuid.uuid4().hex[:6]
    project = ElasticsearchStore(es, prefix=f"owbench-{tag}-p", spool_dir=work / "spool", chunk_size=1000)
    baseline = ElasticsearchStore(es, prefix=f"owbench-{tag}-b", spool_dir=work / "spool-b")
    try:
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
        n = args.listings
        print(f"elasticsearch: project indexer {n / proj_s:,.0f} docs/s, helpers.bulk (pre-serialised) "
              f"{n / base_s:,.0f} docs/s, ratio {base_s / proj_s:.2f} (project / baseline throughput)")

        sqlite = SqliteStore(work / "bench.sqlite3")
        started = time.perf_counter()
        sqlite.add_documents(read_docs(records))
        sql_s = time.perf_counter() - started
        print(f"sqlite: project indexer {n / sql_s:,.0f} docs/s ({sql_s:.1f}s), "
              f"ratio to elasticsearch project indexer {proj_s / sql_s:.2f}")

        print(f"search latency over {args.repeat} runs (p50 / p95 ms; ratio = project / hand-written):")
        for text in QUERIES:
            parsed = parse(text)
            hand = hand_written_es(text)
            p = timed(lambda: project.search(parsed, limit=20), args.repeat)
            b = timed(lambda: es.search(index=project.alias("listings"), query=hand, size=20,
                                        aggs=facet_aggs(), track_total_hits=True), args.repeat)
            s = timed(lambda: sqlite.search(parsed, limit=20), args.repeat)
            raw = raw_fts(text)
            r = timed(lambda: sqlite._db.execute(raw[0], raw[1]).fetchall(), args.repeat) if raw else None
            line = (f"  {text!r:34} es {p[0]*1e3:7.1f}/{p[1]*1e3:7.1f} vs hand {b[0]*1e3:7.1f}/{b[1]*1e3:7.1f}"
                    f" ratio {p[0]/b[0]:.2f}/{p[1]/b[1]:.2f} | sqlite {s[0]*1e3:7.1f}/{s[1]*1e3:7.1f}")
            if r:
                line += f" vs raw MATCH {r[0]*1e3:6.1f}/{r[1]*1e3:6.1f} ratio {s[0]/r[0]:.2f}/{s[1]/r[1]:.2f}"
            print(line, flush=True)
        sqlite.close()
    finally:
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


def raw_fts(text: str):
    """Raw FTS5 MATCH (hits only, no facets) for the free-text benchmark queries."""
    match = {"fentanyl": '"fentanyl"', "pressed blues": '"pressed" AND "blues"', "fentanyl to:US price<200": None,
             "heroin since:2026-02-01": None}.get(text)
    if not match:
        return None
    return ("SELECT l.doc FROM listings_fts JOIN listings AS l ON l.id = listings_fts.rowid "
            "WHERE listings_fts MATCH ? ORDER BY bm25(listings_fts) LIMIT 20", [match])


if __name__ == "__main__":
    sys.exit(main())
