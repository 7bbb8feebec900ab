"""The command line of the node runner: ``python -m onionwatch.app.es start|stop|status|fetch``."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from onionwatch.app.es.base import (DEFAULT_CLUSTER_HEAP, DEFAULT_CLUSTER_PORT, DEFAULT_HEAP, DEFAULT_PORT,
                                    DEFAULT_START_TIMEOUT, DEFAULT_STOP_TIMEOUT, DEFAULT_USER, ES_VERSION, HOST,
                                    NodeError, PROG, TRANSPORT_OFFSET)
from onionwatch.app.es.cluster import cluster_layouts, cmd_start_cluster, cmd_status_cluster, cmd_stop_cluster
from onionwatch.app.es.layout import Layout, default_cache, default_home
from onionwatch.app.es.node import cmd_fetch, cmd_start, cmd_status, cmd_stop

__all__ = ["build_parser", "main"]

CLUSTER_START_TIMEOUT = 300.0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m onionwatch.app.es",
                                description=f"Elasticsearch {ES_VERSION} on {HOST} for onionwatch: one node, or a local "
                                            "cluster with --nodes N.")
    sub = p.add_subparsers(dest="command", required=True)

    def common(sp, timeout: float):
        env_port = os.environ.get("ONIONWATCH_ES_PORT")
        sp.add_argument("--port", type=int, default=int(env_port) if env_port else None,
                        help=f"HTTP port on {HOST}, the first node's for a cluster (default {DEFAULT_PORT}, "
                             f"{DEFAULT_CLUSTER_PORT} with --nodes > 1; env ONIONWATCH_ES_PORT)")
        sp.add_argument("--nodes", type=int, default=1,
                        help="nodes of a local cluster: node i listens on port+i (default 1: a single node); "
                             "give the same --nodes to status and stop")
        sp.add_argument("--transport-port", type=int,
                        help=f"a cluster's first transport port (default the first HTTP port + {TRANSPORT_OFFSET})")
        sp.add_argument("--home", help="node home (default <checkout>/.onionwatch/es, installed ~/.local/share/onionwatch/es; env ONIONWATCH_ES_HOME)")
        sp.add_argument("--cache", help="where the zip is cached (default ~/.cache/onionwatch/es; env ONIONWATCH_ES_CACHE)")
        sp.add_argument("--user", default=os.environ.get("ONIONWATCH_ES_USER", DEFAULT_USER),
                        help=f"unprivileged user to run as when started by root (default {DEFAULT_USER})")
        sp.add_argument("--timeout", type=float, default=timeout,
                        help=f"seconds (default {timeout:.0f}" + (f"; {CLUSTER_START_TIMEOUT:.0f} for a cluster)"
                                                                  if timeout == DEFAULT_START_TIMEOUT else ")"))

    s = sub.add_parser("start", help="fetch, configure and start the node (or the cluster's missing nodes); wait for health")
    common(s, DEFAULT_START_TIMEOUT)
    s.add_argument("--heap", default=os.environ.get("ONIONWATCH_ES_HEAP"),
                   help=f"JVM heap of each node (default {DEFAULT_HEAP}, {DEFAULT_CLUSTER_HEAP} with --nodes > 1; env ONIONWATCH_ES_HEAP)")
    s.add_argument("--java-home", help="JDK 21+ (default: env ONIONWATCH_ES_JAVA_HOME / ES_JAVA_HOME, else newest in /usr/lib/jvm)")
    s.add_argument("--fresh", action="store_true", help="wipe this node's data before starting")
    common(sub.add_parser("stop", help="stop the node or every node of the cluster (SIGTERM, SIGKILL after --timeout)"),
           DEFAULT_STOP_TIMEOUT)
    common(sub.add_parser("status", help="report the node's or the cluster's health and nodes "
                                         "(exit 0 healthy, 1 unhealthy or nodes missing, 3 stopped)"), 10)
    common(sub.add_parser("fetch", help="only download (via Maven) and unzip the pinned distribution"), 0)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    cluster = args.nodes > 1
    if args.port is None:
        args.port = DEFAULT_CLUSTER_PORT if cluster else DEFAULT_PORT
    if args.command == "start" and args.heap is None:
        args.heap = DEFAULT_CLUSTER_HEAP if cluster else DEFAULT_HEAP
    if args.command == "start" and cluster and args.timeout == DEFAULT_START_TIMEOUT:
        args.timeout = CLUSTER_START_TIMEOUT  # several JVMs starting at once on a shared machine
    transport = args.transport_port or args.port + TRANSPORT_OFFSET
    if not 1 <= args.nodes <= 9:
        print(f"{PROG}: error: bad --nodes {args.nodes} (1 to 9)", file=sys.stderr)
        return 2
    for what, first in (("--port", args.port), ("--transport-port", transport)):
        if not 1 <= first <= 65536 - args.nodes:
            print(f"{PROG}: error: bad {what} {first}", file=sys.stderr)
            return 2
    as_other = os.geteuid() == 0
    home = Path(args.home).expanduser() if args.home else default_home(as_other)
    cache = Path(args.cache).expanduser() if args.cache else default_cache()
    if cluster and args.command != "fetch":
        layouts = cluster_layouts(home, cache, args.port, args.nodes, transport)
        handler = {"start": cmd_start_cluster, "stop": cmd_stop_cluster, "status": cmd_status_cluster}[args.command]
        target = layouts
    else:
        handler = {"start": cmd_start, "stop": cmd_stop, "status": cmd_status, "fetch": cmd_fetch}[args.command]
        target = Layout(home, cache, args.port)
    try:
        return handler(args, target)
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
