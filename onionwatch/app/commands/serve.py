"""``onionwatch serve``: the search page on 127.0.0.1, behind a token."""
from __future__ import annotations

import os
import time

from onionwatch.core.config import load_config
from ._util import Formatter, fail, say


def register(commands, common) -> None:
    serve = commands.add_parser(
        "serve", parents=[common], formatter_class=Formatter,
        help="serve the investigator's desk (search, listings, vendors, aliases, evidence) on 127.0.0.1",
        description="Serve a small read-only search page on 127.0.0.1 (never on other interfaces).\n"
                    "Every request needs the token: open the printed address once (it carries the token and\n"
                    "sets a cookie). The token is $ONIONWATCH_SERVE_TOKEN if set, else a new random one.\n\n"
                    "From a hit to its listing (every fact marked in the archived page), its vendor (the actor,\n"
                    "all its accounts, each alias with its score and evidence, the ego graph, prices over time,\n"
                    "the actor's STIX 2.1 bundle) and the evidence of each alias link; /watches shows the saved\n"
                    "searches and what they have not reported yet. The page takes no writes.",
        epilog="examples:\n  onionwatch serve\n  onionwatch serve --port 8601")
    serve.add_argument("--port", type=int, default=8600, help="port on 127.0.0.1 (default 8600; 0 picks a free one)")
    serve.set_defaults(run=run)


def run(args) -> int:
    from search_index import SchemaError, open_store, store_exists

    from onionwatch.app.web import serve

    config = load_config(args.data_dir)
    if not store_exists(config):
        return fail(f"no search store at {config.store_path}: run `onionwatch demo` or `onionwatch crawl` first")
    token = os.environ.get("ONIONWATCH_SERVE_TOKEN") or None
    try:
        with open_store(config) as store, serve(store, port=args.port, token=token, config=config) as (url, token):
            say(f"serving {store.description} at {url}/ (Ctrl-C stops)")
            say(f"open: {url}/?token={token}")
            while True:
                time.sleep(3600)
    except SchemaError as exc:
        return fail(str(exc))
    except (OSError, ValueError) as exc:
        return fail(f"cannot serve on 127.0.0.1:{args.port}: {exc}")
    except KeyboardInterrupt:
        say("stopped")
    return 0
