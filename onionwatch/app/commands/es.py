"""``onionwatch es``: start, stop or check the project's local Elasticsearch node (development)."""
from __future__ import annotations

from ._util import Formatter


def register(commands, common) -> None:
    es = commands.add_parser(
        "es", formatter_class=Formatter,
        help="start/stop a local single-node Elasticsearch on 127.0.0.1",
        description="Run the pinned Elasticsearch (fetched from Maven Central) as a single node on\n"
                    "127.0.0.1:9200 with a modest heap; the same as `make es` / `make es-stop`.\n"
                    "Then use it with ONIONWATCH_ES_URL=http://127.0.0.1:9200.",
        epilog="examples:\n  onionwatch es start\n  onionwatch es status\n  onionwatch es stop")
    es.add_argument("action", choices=("start", "stop", "status"))
    es.add_argument("--port", type=int, default=9200, help="HTTP port (default 9200)")
    es.set_defaults(run=run)


def run(args) -> int:
    from onionwatch.app.es import main

    return main([args.action, "--port", str(args.port)])
