"""bench/fts_prefix: the full-text step of short prefix queries (``ke*``) with the store's FTS5 prefix
index against the same table without one, on the same Zipf listings, in one process.

The embedded store keeps FTS5 prefix indexes of 2 and 3 characters
(:data:`search_index.sqlite_store.FTS_PREFIXES`): a two-letter prefix otherwise makes FTS5 merge
the doclists of every word starting so (hundreds of words), the slowest broad query at 1M listings.
This bench builds the project's store (:class:`~search_index.sqlite_store.SqliteStore`) and a
copy of it whose full-text table is rebuilt with the same columns, tokenizer and rows but no
``prefix`` option (the baseline). For the two- and three-letter prefixes shared by the most words
of the corpus, and one four-letter prefix (which neither table indexes: a control), it times,
alternating which goes first:

- ``count``: every match counted;
- ``newest``: the ``10,001`` newest matches, the rows a broad search of the project reads;
- ``bm25``: the 20 best by ``bm25()``, what a hand-written ranked query reads;

and prints the medians and the ratio project / baseline (below 1: the prefix index is faster). It
also prints both files' sizes (the index's cost on disk) and the project's whole ``store.search`` of
each prefix (with its total and facets), for scale.

    python -m bench.fts_prefix --listings 100000
    python -m bench.fts_prefix --listings 100000 --workdir /tmp/zipf   # reuse bench.search_speed's corpus
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.zipf_corpus import generate

QUERIES = {"count": "SELECT count(*) FROM {t} WHERE {t} MATCH ?",
           "newest": "SELECT rowid FROM {t} WHERE {t} MATCH ? ORDER BY rowid DESC LIMIT 10001",
           "bm25": "SELECT rowid FROM {t} WHERE {t} MATCH ? ORDER BY bm25({t}) LIMIT 20"}


def corpus(work: Path, n: int) -> Path:
    records, marker = work / "zipf.jsonl", work / "zipf.count"
    if not (records.exists() and marker.exists() and marker.read_text().strip() == str(n)):
        generate(records, n)
        marker.write_text(f"{n}\n")
    return records


def build(work: Path, records: Path) -> tuple[Path, Path, float]:
    """The project's store, and a copy of it whose full-text table is rebuilt without the prefix
    option (same rows, same file layout otherwise, vacuumed); the project's build time."""
    import shutil

    from search_index.base import TEXT_FIELDS
    from search_index.sqlite_store import SqliteStore

    project, baseline = work / "project.sqlite3", work / "baseline.sqlite3"
    for path in (project, baseline):
        path.unlink(missing_ok=True)
    started = time.perf_counter()
    with SqliteStore(project) as store:
        store.add_documents(json.loads(line) for line in records.open(encoding="utf-8"))
        store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    project_s = time.perf_counter() - started
    shutil.copyfile(project, baseline)
    columns = ", ".join(TEXT_FIELDS)
    with sqlite3.connect(baseline) as db:
        db.execute(f"CREATE VIRTUAL TABLE plain_fts USING fts5 ({columns}, tokenize = 'unicode61 remove_diacritics 2')")
        db.execute(f"INSERT INTO plain_fts (rowid, {columns}) SELECT rowid, {columns} FROM listings_fts")
        db.execute("DROP TABLE listings_fts")
        db.execute("ALTER TABLE plain_fts RENAME TO listings_fts")
    with sqlite3.connect(baseline) as db:
        db.execute("VACUUM")
    with sqlite3.connect(project) as db:
        db.execute("VACUUM")
    return project, baseline, project_s


def prefixes(db: sqlite3.Connection) -> list[str]:
    """The two 2-letter and two 3-letter word beginnings shared by the most words of the corpus (the
    most doclists to merge without a prefix index), and the 4-letter one, which neither table indexes."""
    db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, listings_fts, row)")
    by_length: dict[int, Counter] = {2: Counter(), 3: Counter(), 4: Counter()}
    for (term,) in db.execute("SELECT term FROM temp.vocab"):
        for length, counts in by_length.items():
            if len(term) > length:
                counts[term[:length]] += 1
    return [p for length in (2, 3) for p, _ in by_length[length].most_common(2)] + [by_length[4].most_common(1)[0][0]]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=9, help="timed runs of each query on each table")
    parser.add_argument("--workdir", default=None, help="where the corpus is (or is generated) and the stores are built")
    args = parser.parse_args(argv)
    from search_index.sqlite_store import FTS_PREFIXES, SqliteStore

    work = Path(args.workdir or tempfile.mkdtemp(prefix="owbench-prefix-"))
    work.mkdir(parents=True, exist_ok=True)
    records = corpus(work, args.listings)
    project, baseline, project_s = build(work, records)
    print(f"{args.listings:,} listings: project store (prefix='{FTS_PREFIXES}') built in {project_s:.1f}s,"
          f" {project.stat().st_size / 1e6:.1f} MB vacuumed; the same store without the prefix index"
          f" {baseline.stat().st_size / 1e6:.1f} MB")
    dbs = [sqlite3.connect(f"file:{path}?mode=ro", uri=True) for path in (project, baseline)]
    for db in dbs:
        db.execute("PRAGMA mmap_size = 2147418112")
    chosen = prefixes(dbs[1])
    ratios = []
    for prefix in chosen:
        match = f'"{prefix}"*'
        counted = dbs[1].execute(QUERIES["count"].format(t="listings_fts"), (match,)).fetchone()[0]
        for name, template in QUERIES.items():
            sql = template.format(t="listings_fts")
            answers = [db.execute(sql, (match,)).fetchall() for db in dbs]  # untimed: pages read for both
            assert name == "bm25" or answers[0] == answers[1], (prefix, name)
            times: list[list[float]] = [[], []]
            for run in range(args.repeat):
                for which in ((0, 1) if run % 2 == 0 else (1, 0)):
                    started = time.perf_counter()
                    dbs[which].execute(sql, (match,)).fetchall()
                    times[which].append(time.perf_counter() - started)
            ours, theirs = (statistics.median(t) * 1e3 for t in times)
            if len(prefix) <= 3:
                ratios.append(ours / theirs)
            print(f"  {prefix + '*':7} ({counted:,} match) {name:6} project {ours:7.2f} ms  baseline {theirs:7.2f} ms"
                  f"  ratio {ours / theirs:.2f}  (median of {args.repeat} each)", flush=True)
    with SqliteStore(project) as store:
        for prefix in chosen:
            started = time.perf_counter()
            result = store.search(f"{prefix}*", limit=20)
            print(f"  project store.search({prefix + '*'!r}): {(time.perf_counter() - started) * 1e3:.1f} ms,"
                  f" {result.total_text()} match (with facets)")
    print(f"geometric mean ratio over the 2- and 3-letter prefixes: {statistics.geometric_mean(ratios):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
