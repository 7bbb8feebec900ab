"""The command line of the node runner: ``python -m onionwatch.app.es start|stop|status|fetch``."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from onionwatch.app.es.base import (DEFAULT_HEAP, DEFAULT_PORT, DEFAULT_START_TIMEOUT, DEFAULT_STOP_TIMEOUT,
                                    DEFAULT_USER, ES_VERSION, HOST, NodeError, PROG)
from onionwatch.app.es.layout import Layout, default_cache, default_home
from onionwatch.app.es.node import cmd_fetch, cmd_start, cmd_status, cmd_stop

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m onionwatch.app.es", description=f"Single-node Elasticsearch {ES_VERSION} for onionwatch tests.")
    sub = p.add_subparsers(dest="command", required=True)

    def common(sp, timeout: float):
        sp.add_argument("--port", type=int, default=int(os.environ.get("ONIONWATCH_ES_PORT", DEFAULT_PORT)),
                        help=f"HTTP port on {HOST} (default {DEFAULT_PORT}; env ONIONWATCH_ES_PORT)")
        sp.add_argument("--home", help="node home (default <checkout>/.onionwatch/es, installed ~/.local/share/onionwatch/es; env ONIONWATCH_ES_HOME)")
        sp.add_argument("--cache", help="where the zip is cached (default ~/.cache/onionwatch/es; env ONIONWATCH_ES_CACHE)")
        sp.add_argument("--user", default=os.environ.get("ONIONWATCH_ES_USER", DEFAULT_USER),
                        help=f"unprivileged user to run as when started by root (default {DEFAULT_USER})")
        sp.add_argument("--timeout", type=float, default=timeout, help=f"seconds (default {timeout:.0f})")

    s = sub.add_parser("start", help="fetch, configure and start the node; wait for cluster health")
    common(s, DEFAULT_START_TIMEOUT)
    s.add_argument("--heap", default=os.environ.get("ONIONWATCH_ES_HEAP", DEFAULT_HEAP), help=f"JVM heap (default {DEFAULT_HEAP})")
    s.add_argument("--java-home", help="JDK 21+ (default: env ONIONWATCH_ES_JAVA_HOME / ES_JAVA_HOME, else newest in /usr/lib/jvm)")
    s.add_argument("--fresh", action="store_true", help="wipe this node's data before starting")
    common(sub.add_parser("stop", help="stop the node (SIGTERM, SIGKILL after --timeout)"), DEFAULT_STOP_TIMEOUT)
    common(sub.add_parser("status", help="report whether the node runs (exit 0 healthy, 1 unhealthy, 3 stopped)"), 10)
    common(sub.add_parser("fetch", help="only download (via Maven) and unzip the pinned distribution"), 0)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not 1 <= args.port <= 65535:
        print(f"{PROG}: error: bad --port {args.port}", file=sys.stderr)
        return 2
    as_other = os.geteuid() == 0
    home = Path(args.home).expanduser() if args.home else default_home(as_other)
    cache = Path(args.cache).expanduser() if args.cache else default_cache()
    layout = Layout(home, cache, args.port)
    handler = {"start": cmd_start, "stop": cmd_stop, "status": cmd_status, "fetch": cmd_fetch}[args.command]
    try:
        return handler(args, layout)
    except NodeError as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        if e.hint:
            print(f"{PROG}: what to do: {e.hint}", file=sys.stderr)
        if e.detail:
            print(e.detail, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
