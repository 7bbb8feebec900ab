"""``onionwatch reindex``: rebuild the search backend from the evidence archive."""
from __future__ import annotations

from pathlib import Path

from ..config import load_config
from ._util import Formatter, fail, say


def register(commands, common) -> None:
    reindex = commands.add_parser(
        "reindex", parents=[common], formatter_class=Formatter,
        help="rebuild the search store (SQLite or Elasticsearch) from the evidence",
        description="Rebuild the search backend from scratch: every crawl record in the data directory is\n"
                    "re-extracted from its archived WARC record and indexed into a new store, which replaces\n"
                    "the old one only when complete (searches keep working meanwhile). Use it after an\n"
                    "upgrade that changes the store, or to move to Elasticsearch (set ONIONWATCH_ES_URL).",
        epilog="examples:\n  onionwatch reindex\n  ONIONWATCH_ES_URL=http://127.0.0.1:9200 onionwatch reindex")
    reindex.add_argument("paths", nargs="*", metavar="RECORDS.jsonl",
                         help="crawl record files (default: all in the data directory's items/)")
    reindex.set_defaults(run=run)


def run(args) -> int:
    from search_index.rebuild import rebuild

    config = load_config(args.data_dir)
    paths = [Path(p) for p in args.paths] or sorted(config.items_dir.glob("*.jsonl"))
    if not paths:
        return fail(f"no crawl records in {config.items_dir}: nothing to rebuild from (run `onionwatch crawl`)")
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        return fail(f"no such records file(s): {', '.join(missing)}")
    target = f"Elasticsearch {config.es_url} (prefix {config.es_prefix})" if config.es_url else str(config.store_path)
    say(f"rebuilding {target} from {len(paths)} records file(s) and their WARC evidence ...")
    try:
        report = rebuild(config, paths)
    except RuntimeError as exc:
        return fail(str(exc))
    say(f"reindexed {report.listings} listings and {report.vendors} vendor accounts in {report.seconds:.1f}s")
    for problem in report.problems[:20]:
        say(f"  problem: {problem}")
    return 0
