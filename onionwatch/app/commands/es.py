"""``onionwatch es``: start, stop or check the project's local Elasticsearch node (development)."""
from __future__ import annotations

from ._util import Formatter


def register(commands, common) -> None:
    es = commands.add_parser(
        "es", formatter_class=Formatter,
        help="start/stop a local Elasticsearch node or cluster on 127.0.0.1",
        description="Run the pinned Elasticsearch (fetched from Maven Central) on 127.0.0.1 with a modest\n"
                    "heap: a single node on 127.0.0.1:9200 (`make es` / `make es-stop`), or with --nodes 3 a\n"
                    "cluster on 9210-9212 whose indices keep one replica (`make es-cluster`).\n"
                    "Then use it with ONIONWATCH_ES_URL=http://127.0.0.1:9200 (for a cluster, every node:\n"
                    "ONIONWATCH_ES_URL=http://127.0.0.1:9210,http://127.0.0.1:9211,http://127.0.0.1:9212).\n"
                    "More options: python -m onionwatch.app.es --help; see docs/elasticsearch.md.",
        epilog="examples:\n  onionwatch es start\n  onionwatch es status\n  onionwatch es stop\n"
               "  onionwatch es start --nodes 3\n  onionwatch es status --nodes 3\n  onionwatch es stop --nodes 3")
    es.add_argument("action", choices=("start", "stop", "status"))
    es.add_argument("--port", type=int, help="HTTP port, a cluster's first (default 9200; 9210 with --nodes > 1)")
    es.add_argument("--nodes", type=int, default=1, help="nodes of a local cluster (default 1); the same for status and stop")
    es.add_argument("--heap", help="JVM heap of each node (default 512m; 384m with --nodes > 1)")
    es.set_defaults(run=run)


def run(args) -> int:
    from onionwatch.app.es import main

    argv = [args.action, "--nodes", str(args.nodes)]
    if args.port:
        argv += ["--port", str(args.port)]
    if args.heap and args.action == "start":
        argv += ["--heap", args.heap]
    return main(argv)
