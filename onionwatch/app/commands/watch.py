"""``onionwatch watch``: saved searches that report what is new after each crawl or index run."""
from __future__ import annotations

import json

from onionwatch.core.config import load_config
from ._util import Formatter, fail, say


def register(commands, common) -> None:
    watch = commands.add_parser(
        "watch", formatter_class=Formatter,
        help="saved searches: add, list, remove, and run them to see what is new",
        description="Saved searches (watches). `add` saves a query and remembers what it matches now;\n"
                    "`run` reports the listings that match and were not reported before: to the terminal, a JSON\n"
                    "Lines file or a webhook. Indexing runs (`onionwatch index`, `crawl`, `reindex`) run every\n"
                    "watch too and append news to <data dir>/watches/alerts.jsonl.",
        epilog="examples:\n  onionwatch watch add fent-us 'fentanyl to:US price<200'\n"
               "  onionwatch watch add carfent 'carfent*' --webhook http://127.0.0.1:8080/hook\n  onionwatch watch list\n"
               "  onionwatch watch run --jsonl alerts.jsonl\n  onionwatch watch run --webhook http://127.0.0.1:8080/hook\n"
               "  onionwatch watch remove fent-us")
    actions = watch.add_subparsers(dest="watch_action", metavar="ACTION", required=True)
    add = actions.add_parser("add", parents=[common], help="save a search", formatter_class=Formatter)
    add.add_argument("name", help="a short name (letters, digits, _ - .)")
    add.add_argument("query", help="the query, as `onionwatch search` takes it")
    add.add_argument("--jsonl", metavar="FILE", help="every run appends this watch's news to FILE")
    add.add_argument("--webhook", metavar="URL", help="every run POSTs this watch's news to URL")
    add.set_defaults(run=run_add)
    remove = actions.add_parser("remove", parents=[common], help="forget a saved search")
    remove.add_argument("name")
    remove.set_defaults(run=run_remove)
    listing = actions.add_parser("list", parents=[common], help="list saved searches")
    listing.set_defaults(run=run_list)
    run_ = actions.add_parser("run", parents=[common], help="run saved searches and report what is new")
    run_.add_argument("names", nargs="*", help="watches to run (default: all)")
    run_.add_argument("--jsonl", metavar="FILE", help="also append one JSON object a watch with news to FILE")
    run_.add_argument("--webhook", metavar="URL", help="also POST one JSON object a watch with news to URL")
    run_.add_argument("--json", action="store_true", help="print the report as JSON instead of text")
    run_.set_defaults(run=run_run)


def _book(args):
    from search_index.alerts import Watches

    config = load_config(args.data_dir)
    return config, Watches(config.watches_dir)


def run_add(args) -> int:
    from search_index import QueryError, open_store, store_exists
    from search_index.alerts import WatchError

    config, book = _book(args)
    if not store_exists(config):
        return fail(f"no search store at {config.store_path}: index something first (`onionwatch demo`)")
    try:
        with open_store(config) as store:
            now = book.add(args.name, args.query, store, jsonl=args.jsonl, webhook=args.webhook)
    except (QueryError, WatchError) as exc:
        return fail(str(exc))
    say(f"watch {args.name!r} saved: {now} listing(s) match now; `onionwatch watch run` reports new ones")
    return 0


def run_remove(args) -> int:
    from search_index.alerts import WatchError

    _config, book = _book(args)
    try:
        book.remove(args.name)
    except WatchError as exc:
        return fail(str(exc))
    say(f"watch {args.name!r} removed")
    return 0


def run_list(args) -> int:
    _config, book = _book(args)
    watches = book.load()
    if not watches:
        say("no saved searches: add one with `onionwatch watch add NAME 'query'`")
    for name, watch in watches.items():
        print(f"{name}\t{watch['query']}\tlast run {watch.get('last_run') or 'never'}")
    return 0


def run_run(args) -> int:
    from search_index import QueryError, open_store, store_exists
    from search_index.alerts import WatchError, to_jsonl, to_webhook

    from .search import format_hits

    config, book = _book(args)
    if not store_exists(config):
        return fail(f"no search store at {config.store_path}: index something first (`onionwatch demo`)")
    deliverers = []
    try:
        if args.jsonl:
            deliverers.append(to_jsonl(args.jsonl))
        if args.webhook:
            deliverers.append(to_webhook(args.webhook))
        with open_store(config) as store:
            alerts = book.run(store, names=args.names or None,
                              deliver=(lambda alert: [d(alert) for d in deliverers]) if deliverers else None)
    except (QueryError, WatchError) as exc:
        return fail(str(exc))
    if args.json:
        print(json.dumps([a.to_dict() for a in alerts], ensure_ascii=False))
        return 0
    for alert in alerts:
        if not alert.new:
            print(f"watch {alert.watch}: nothing new ({alert.total} match {alert.query!r})")
            continue

        class _Result:
            total, hits = len(alert.new), alert.new

        print(f"watch {alert.watch}: {len(alert.new)} new")
        print(format_hits(alert.query, _Result()))
    return 0
