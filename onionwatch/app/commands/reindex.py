"""``onionwatch reindex``: rebuild the search backend from the evidence archive."""
from __future__ import annotations

from pathlib import Path

from onionwatch.core.config import load_config
from ._util import Formatter, fail, say


def register(commands, common) -> None:
    reindex = commands.add_parser(
        "reindex", parents=[common], formatter_class=Formatter,
        help="rebuild the search store (SQLite or Elasticsearch) from the evidence",
        description="Rebuild the search backend from scratch: every crawl record is re-extracted from its\n"
                    "archived WARC record and indexed into a new store, which replaces the old one only when\n"
                    "complete (searches keep working meanwhile). It never replaces a store with a poorer one:\n"
                    "when any page's evidence cannot be read, or the new store holds fewer listings, vendors or\n"
                    "values of any field than the old, it prints why (a per-field table), keeps the old store and\n"
                    "exits 1; --force takes the new store anyway. A crawl whose records file is missing is\n"
                    "re-made from its WARC files alone with its market profile (all crawls with --from-warc).\n"
                    "Use it after an upgrade that changes the store, or to move to Elasticsearch (set\n"
                    "ONIONWATCH_ES_URL). Saved searches (`onionwatch watch`) run afterwards.",
        epilog="examples:\n  onionwatch reindex\n  onionwatch reindex --from-warc\n"
               "  onionwatch reindex --from-warc --profile ./mymarket.yaml\n"
               "  ONIONWATCH_ES_URL=http://127.0.0.1:9200 onionwatch reindex\n\n"
               "A crawl's profile is the one given with --profile (matched by market name), else the profile\n"
               "file its crawl job recorded, else the bundled profile of the market's name.")
    reindex.add_argument("paths", nargs="*", metavar="RECORDS.jsonl",
                         help="only these crawl record files (default: the data directory's items/ and warc/)")
    reindex.add_argument("--from-warc", action="store_true",
                         help="re-make every crawl's records from its WARC files, ignoring records files")
    reindex.add_argument("--profile", action="append", default=[], metavar="NAME|FILE",
                         help="a market profile for re-made records (repeat for several markets)")
    reindex.add_argument("--force", action="store_true",
                         help="take the new store even when it holds fewer values than the old or some evidence"
                              " could not be read (counts can rightly drop after an extraction fix)")
    reindex.set_defaults(run=run)


def run(args) -> int:
    from crawlers.profile import ProfileError, load_profile
    from search_index import open_store
    from search_index.alerts import run_watches
    from onionwatch.pipeline.rebuild import RebuildRefused, rebuild
    from onionwatch.pipeline.warc_source import SourceError, SourcePlan, plan_sources

    config = load_config(args.data_dir)
    if args.paths and args.from_warc:
        return fail("give record files or --from-warc, not both")
    try:
        if args.paths:
            missing = [p for p in args.paths if not Path(p).exists()]
            if missing:
                return fail(f"no such records file(s): {', '.join(missing)}")
            plan = SourcePlan(records_files=[Path(p) for p in args.paths])
        else:
            profiles = [load_profile(p) for p in args.profile]
            plan = plan_sources(config, from_warc=args.from_warc, profiles=profiles)
        target = f"Elasticsearch {config.es_url} (prefix {config.es_prefix})" if config.es_url else str(config.store_path)
        say(f"rebuilding {target} from {plan.describe()} and their WARC evidence ...")
        report = rebuild(config, plan, force=args.force)
    except RebuildRefused as exc:
        for problem in exc.report.problems[:10]:
            say(f"  problem: {problem}")
        if len(exc.report.problems) > 10:
            say(f"  ... and {len(exc.report.problems) - 10} more problems")
        if exc.diff:
            say(exc.diff)
        say(f"onionwatch: reindex refused: {exc}")
        return 1
    except (ProfileError, SourceError, RuntimeError) as exc:
        return fail(str(exc))
    say(f"reindexed {report.listings} listings and {report.vendors} vendor accounts in {report.seconds:.1f}s")
    for problem in report.problems[:20]:
        say(f"  problem: {problem}")
    with open_store(config) as store:
        say(run_watches(config, store).summary())
    return 0
