"""bench/search: selective and broad queries on a Zipf corpus, both backends, as ratios to hand-written baselines.

The corpus and the query sets come from :mod:`zipf_corpus` (selective: under 1% of the listings;
broad: over 10%; every count verified by reading the generated documents). In one run:

- Elasticsearch indexing: the project's indexer (``ElasticsearchStore.add_documents``) against
  ``helpers.bulk`` of the same documents, pre-serialised (ids and folded fields made before timing),
  in alternating blocks so both see the same load; the rest of the corpus then goes in through the project;
- search latency p50/p95 of every query, the project's ``store.search`` against a hand-written
  query run right before or after it (alternating): a raw FTS5 ``MATCH`` in SQL (hits only), and an
  Elasticsearch request with the same clauses in filter context and the same facets as
  ``terms`` aggregations. No result cache: the Elasticsearch index has its request cache switched off,
  and the SQLite store keeps none;
- every total the project reports is checked against the counted one (equal when exact; a lower
  bound when flagged approximate).

    python -m bench.search_speed --listings 100000 --es-url http://127.0.0.1:9250
    python -m bench.search_speed --listings 1000000 --es-url http://127.0.0.1:9250 --out bench/search_speed_1m.json

Uses its own index prefix (``owbench-zipf-...``) and deletes only those indices at the end.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench.zipf_corpus import Spec, candidate_specs, choose, count_matches, generate

TEXT = ["q_title", "q_description", "q_vendor", "q_drugs", "q_category", "q_market"]
LIST_FIELDS = {"drug_keys", "ships_to"}


def hand_written_es(spec: Spec) -> dict:
    """What an engineer writes by hand for a spec: words as ``multi_match``, filters in filter context."""
    must = [{"multi_match": {"query": w, "fields": TEXT, "operator": "and"}} for w in spec.words]
    if spec.phrase:
        must.append({"multi_match": {"query": " ".join(spec.phrase), "fields": TEXT, "type": "phrase"}})
    if spec.prefix:
        must.append({"bool": {"should": [{"prefix": {f: spec.prefix}} for f in TEXT]}})
    must_not = [{"multi_match": {"query": w, "fields": TEXT, "operator": "and"}} for w in spec.not_words]
    filters: list[dict] = [{"terms": {name: list(values)}} for name, values in spec.filters.items()]
    if spec.price_lt is not None:
        filters.append({"range": {"price_usd": {"lt": spec.price_lt}}})
    if spec.since:
        filters.append({"range": {"seen_at": {"gte": spec.since}}})
    boolean = {key: value for key, value in (("must", must), ("must_not", must_not), ("filter", filters)) if value}
    return {"bool": boolean}


HAND_AGGS = {"market": {"terms": {"field": "market.keyword", "size": 25}},
             "vendor": {"terms": {"field": "vendor.keyword", "size": 25}},
             "drug": {"terms": {"field": "drugs", "size": 25}},
             "ships_from": {"terms": {"field": "ships_from", "size": 25}}}


def raw_sql(spec: Spec) -> tuple[str, list]:
    """A raw FTS5 ``MATCH`` (plus the same filters) reading the 20 best hits: no total, no facets."""
    match = [f'"{w}"' for w in spec.words]
    if spec.phrase:
        match.append('"' + " ".join(spec.phrase) + '"')
    if spec.prefix:
        match.append(f'"{spec.prefix}"*')
    expression = " AND ".join(match) + "".join(f' NOT "{w}"' for w in spec.not_words)
    where, params = [], []
    for name, values in spec.filters.items():
        marks = ", ".join("?" * len(values))
        if name in LIST_FIELDS:
            where.append(f"l.id IN (SELECT listing FROM listing_terms WHERE field = ? AND value IN ({marks}))")
            params += [name, *values]
        else:
            where.append(f"l.{name} IN ({marks})")
            params += list(values)
    if spec.price_lt is not None:
        where.append("l.price_usd < ?")
        params.append(spec.price_lt)
    if spec.since:
        where.append("l.seen_at >= ?")
        params.append(f"{spec.since}T00:00:00Z")
    if not match:
        return f"SELECT l.doc FROM listings AS l WHERE {' AND '.join(where)} ORDER BY l.id LIMIT 20", params
    sql = ("SELECT l.doc FROM listings_fts JOIN listings AS l ON l.id = listings_fts.rowid WHERE listings_fts MATCH ?"
           + "".join(f" AND {w}" for w in where) + " ORDER BY bm25(listings_fts) LIMIT 20")
    return sql, [expression, *params]


def percentiles(samples: list[float]) -> list[float]:
    """[p50, p95] in milliseconds."""
    ordered = sorted(samples)
    return [round(statistics.median(ordered) * 1e3, 2), round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1e3, 2)]


def paired(project, hand, repeat: int) -> tuple[list[float], list[float], object]:
    """Run both once untimed (so neither pays alone for reading the query's index pages from disk),
    then ``repeat`` times each, alternating which goes first; return both timings and the project's
    last result. No result is cached between runs (see the module's notes)."""
    ours, theirs, result = [], [], None
    project()
    hand()
    for run in range(repeat):
        for which in ((0, 1) if run % 2 == 0 else (1, 0)):
            started = time.perf_counter()
            if which == 0:
                result = project()
                ours.append(time.perf_counter() - started)
            else:
                hand()
                theirs.append(time.perf_counter() - started)
    return ours, theirs, result


def check_total(result, count: int) -> str | None:
    """None when the project's total agrees with the counted one, else what is wrong."""
    if getattr(result, "approximate", False):
        return None if result.total <= count else f"approximate total {result.total} above the count {count}"
    return None if result.total == count else f"total {result.total}, counted {count}"


def load_corpus(work: Path, n: int) -> dict[str, list[tuple[Spec, int]]]:
    """Generate (or reuse) the corpus and its verified query sets."""
    records, chosen, marker = work / "zipf.jsonl", work / "zipf-queries.json", work / "zipf.count"
    if chosen.exists() and json.loads(chosen.read_text())["listings"] == n and records.exists():
        print(f"reusing {n:,} generated listings and their counted queries ({work})", flush=True)
        saved = json.loads(chosen.read_text())
    else:
        if records.exists() and marker.exists() and marker.read_text().strip() == str(n):
            print(f"reusing {n:,} generated listings ({records})", flush=True)
        else:
            started = time.perf_counter()
            generate(records, n)
            marker.write_text(f"{n}\n")
            print(f"generated {n:,} listings in {time.perf_counter() - started:.1f}s", flush=True)
        started = time.perf_counter()
        specs = candidate_specs()
        total, counts = count_matches(read_docs(records), specs)
        sets = choose(specs, counts, total)
        print(f"counted {len(specs)} candidate queries in {time.perf_counter() - started:.1f}s", flush=True)
        saved = {"listings": n, "sets": {name: [{"spec": spec_dict(s), "count": c} for s, c in chosen_]
                                          for name, chosen_ in sets.items()}}
        chosen.write_text(json.dumps(saved, indent=1))
    return {name: [(spec_of(item["spec"]), item["count"]) for item in items] for name, items in saved["sets"].items()}


def spec_dict(spec: Spec) -> dict:
    return {**spec.__dict__, "filters": {k: list(v) for k, v in spec.filters.items()}}


def spec_of(data: dict) -> Spec:
    return Spec(words=tuple(data["words"]), phrase=tuple(data["phrase"]), prefix=data["prefix"],
                not_words=tuple(data["not_words"]), filters={k: tuple(v) for k, v in data["filters"].items()},
                price_lt=data["price_lt"], since=data["since"])


def read_docs(path: Path):
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def index_es(es, project, baseline, records: Path, n: int, ratio_docs: int, block: int = 20_000) -> dict:
    """Index the first ``ratio_docs`` through both indexers in alternating blocks, then the rest through the project."""
    from elasticsearch import helpers

    from search_index.base import search_fields

    docs = read_docs(records)
    ours = theirs = 0.0
    done = 0
    while done < min(ratio_docs, n):
        chunk = [next(docs) for _ in range(min(block, ratio_docs - done, n - done))]
        actions = [{"_index": baseline.alias("listings"), "_id": f"{d['market']}/{d['listing_id']}",
                    "_source": json.dumps({**d, **search_fields(d)})} for d in chunk]
        for which in ((0, 1) if (done // block) % 2 == 0 else (1, 0)):
            started = time.perf_counter()
            if which == 0:
                project.add_documents(chunk)
                ours += time.perf_counter() - started
            else:
                helpers.bulk(es, actions, chunk_size=1000)
                theirs += time.perf_counter() - started
        done += len(chunk)
    started = time.perf_counter()
    project.add_documents(docs)
    assert project.flush() == 0, "the project's indexer left writes in its spool"
    rest = time.perf_counter() - started
    figures = {"ratio_docs": done, "project_docs_s": round(done / ours), "helpers_bulk_docs_s": round(done / theirs),
               "ratio_project_to_bulk": round(theirs / ours, 3), "rest_project_docs_s": round((n - done) / rest) if n > done else None}
    print(f"elasticsearch indexing of {done:,} documents: project {figures['project_docs_s']:,} docs/s, helpers.bulk "
          f"(pre-serialised) {figures['helpers_bulk_docs_s']:,} docs/s, ratio {figures['ratio_project_to_bulk']:.3f};"
          f" the other {n - done:,} through the project in {rest:.0f}s", flush=True)
    return figures


def run_set(name: str, queries, project_search, hand, repeat: int, backend: str) -> dict:
    ours_all, theirs_all, slow, wrong, each = [], [], [], [], []
    for spec, count in queries:
        ours, theirs, result = paired(lambda: project_search(spec), lambda: hand(spec), repeat)
        ours_all += ours
        theirs_all += theirs
        each.append({"query": spec.text(), "count": count, "project_ms_p50": percentiles(ours)[0],
                     "hand_ms_p50": percentiles(theirs)[0]})
        slow.append((max(ours), spec.text(), count, getattr(result, "approximate", False)))
        problem = check_total(result, count)
        if problem:
            wrong.append(f"{spec.text()!r}: {problem}")
    p, h = percentiles(ours_all), percentiles(theirs_all)
    row = {"queries": len(queries), "samples": len(ours_all), "project_ms_p50_p95": p, "hand_ms_p50_p95": h,
           "ratio_p50_p95": [round(p[0] / h[0], 2), round(p[1] / h[1], 2)],
           "slowest": [{"query": q, "count": c, "max_ms": round(t * 1e3, 1), "approximate": a}
                       for t, q, c, a in sorted(slow, reverse=True)[:5]], "wrong_totals": wrong, "each": each}
    print(f"  {backend:13} {name:9} project {p[0]:7.1f} / {p[1]:7.1f} ms  hand-written {h[0]:7.1f} / {h[1]:7.1f} ms"
          f"  ratio {row['ratio_p50_p95'][0]:.2f} / {row['ratio_p50_p95'][1]:.2f}"
          f"  (p50 / p95, {len(ours_all)} runs of {len(queries)} queries)", flush=True)
    for item in row["slowest"][:3]:
        print(f"      slowest: {item['query']!r} ({item['count']:,} match) {item['max_ms']} ms", flush=True)
    for message in wrong:
        print(f"      WRONG TOTAL {message}", flush=True)
    return row


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--es-url", default="http://127.0.0.1:9200")
    parser.add_argument("--repeat", type=int, default=4, help="runs of each query (pooled per set for p50/p95;"
                        " even, so each side goes first as often)")
    parser.add_argument("--ratio-docs", type=int, default=100_000, help="documents indexed by both ES indexers")
    parser.add_argument("--workdir", default=None, help="keep (and reuse) the generated corpus here")
    parser.add_argument("--out", default=None, help="also write the figures to this JSON file")
    parser.add_argument("--skip-es", action="store_true", help="only the SQLite figures (no Elasticsearch node)")
    parser.add_argument("--skip-sqlite", action="store_true", help="only the Elasticsearch figures")
    parser.add_argument("--reuse-sqlite", action="store_true", help="search the SQLite store a previous run with the"
                        " same --workdir and --listings built (no indexing figure); a 1M store takes long to build")
    parser.add_argument("--keep-es", metavar="TAG", default=None, help="index prefix owbench-zipf-TAG-p, kept at the"
                        " end and reused (no indexing figure) by a later run with the same TAG and --listings")
    parser.add_argument("--sets", default="selective,broad", help="query sets to run (comma-separated)")
    args = parser.parse_args(argv)

    from search_index.base import TEXT_FIELDS
    from search_index.sqlite_store import SqliteStore

    assert list(TEXT_FIELDS) == TEXT, "the hand-written queries search the project's text fields"
    work = Path(args.workdir or tempfile.mkdtemp(prefix="owbench-zipf-"))
    work.mkdir(parents=True, exist_ok=True)
    n = args.listings
    sets = load_corpus(work, n)
    records = work / "zipf.jsonl"
    figures: dict = {"listings": n, "repeat": args.repeat, "load_average_at_start": list(os.getloadavg()),
                     "queries": {name: [{"query": s.text(), "count": c} for s, c in items] for name, items in sets.items()}}
    for name, items in sets.items():
        shares = [c / n for _, c in items]
        print(f"{name}: {len(items)} queries matching {min(shares):.4%} .. {max(shares):.2%} of the listings", flush=True)
    es = project = baseline = None
    try:
        if not args.skip_es:
            from elasticsearch import Elasticsearch

            from search_index.es_store import ElasticsearchStore

            es = Elasticsearch(args.es_url, request_timeout=120, max_retries=3, retry_on_timeout=True)
            tag = args.keep_es or uuid.uuid4().hex[:6]
            project = ElasticsearchStore(es, prefix=f"owbench-zipf-{tag}-p", spool_dir=work / "spool", chunk_size=1000)
            baseline = ElasticsearchStore(es, prefix=f"owbench-zipf-{tag}-b", spool_dir=work / "spool-b")
            kept = args.keep_es and es.indices.exists_alias(name=project.alias("listings")) and \
                es.count(index=project.alias("listings"))["count"] == n
            if kept:
                print(f"elasticsearch: reusing the {n:,} listings kept under {project.alias('listings')}", flush=True)
            else:
                project.ensure_indices()
                baseline.ensure_indices()
                figures["es_indexing"] = index_es(es, project, baseline, records, n, args.ratio_docs)
            baseline.delete_indices()
            es.indices.put_settings(index=project.alias("listings"), settings={"index.requests.cache.enable": False})
            es.indices.refresh(index=project.alias("listings"))

        sqlite = None
        if not args.skip_sqlite:
            path, built = work / "zipf.sqlite3", work / "zipf.sqlite3.count"
            if args.reuse_sqlite and path.exists() and built.exists() and built.read_text().strip() == str(n):
                sqlite = SqliteStore(path)
                print(f"sqlite: reusing the store of {n:,} listings built earlier ({path})", flush=True)
            else:
                built.unlink(missing_ok=True)
                for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                    stale.unlink(missing_ok=True)
                sqlite = SqliteStore(path)
                started = time.perf_counter()
                sqlite.add_documents(read_docs(records))
                seconds = time.perf_counter() - started
                built.write_text(f"{n}\n")
                figures["sqlite_docs_s"] = round(n / seconds)
                print(f"sqlite: project indexer {n / seconds:,.0f} docs/s ({seconds:.1f}s)", flush=True)

        print("search latency (project = store.search with total and facets; hand-written SQL reads the 20 hits only;"
              " hand-written ES has the same facets):", flush=True)
        for name, queries in ((name, sets[name]) for name in args.sets.split(",")):
            if es is not None:
                index = project.alias("listings")
                figures.setdefault("es", {})[name] = run_set(
                    name, queries, lambda spec: project.search(spec.text(), limit=20),
                    lambda spec: es.search(index=index, query=hand_written_es(spec), aggs=HAND_AGGS, size=20,
                                           request_cache=False), args.repeat, "elasticsearch")
            if sqlite is not None:
                figures.setdefault("sqlite", {})[name] = run_set(
                    name, queries, lambda spec: sqlite.search(spec.text(), limit=20),
                    lambda spec: sqlite._db.execute(*raw_sql(spec)).fetchall(), args.repeat, "sqlite")
        if sqlite is not None:
            sqlite.close()
        figures["load_average_at_end"] = list(os.getloadavg())
        print(f"load average (1, 5, 15 min): {figures['load_average_at_start']} at the start,"
              f" {figures['load_average_at_end']} at the end", flush=True)
        if args.out:
            Path(args.out).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
            print(f"figures written to {args.out}")
    finally:
        if es is not None:
            if not args.keep_es:
                project.delete_indices()
            baseline.delete_indices()
            es.close()
    wrong = [m for backend in ("sqlite", "es") for row in figures.get(backend, {}).values() for m in row["wrong_totals"]]
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
