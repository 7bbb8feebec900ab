"""A local cluster: several nodes on 127.0.0.1 from the same distribution, started, checked and
stopped together (``onionwatch es start|status|stop --nodes 3``).

Node *i* listens on HTTP port ``port + i`` and transport port ``transport_port + i`` and finds the
others through ``discovery.seed_hosts``. ``cluster.initial_master_nodes`` is written only when no
node has data yet (a fresh cluster); a node restarted later joins the cluster its data belongs to.
``start`` is idempotent and starts only the nodes that are not running, so it also brings back a
node that died. Every pid is checked to be this node's JVM before it is signalled.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time

from onionwatch.app.es.base import HOST, NOT_RUNNING, NodeError, say
from onionwatch.app.es.config import validate_heap
from onionwatch.app.es.layout import Layout, Ports, locked
from onionwatch.app.es.node import configure, launch, prepare, stop_started
from onionwatch.app.es.process import (http_json, logs_tail, pid_alive, pid_is_our_node, port_in_use, read_pid,
                                       rss_mb, running_pid, terminate)

__all__ = ["cluster_layouts", "cluster_health", "cluster_nodes", "cmd_start_cluster", "cmd_stop_cluster",
           "cmd_status_cluster"]


def cluster_layouts(home, cache, port: int, nodes: int, transport_port: int) -> list[Layout]:
    """The layouts of a cluster's nodes, one folder (``node-<port>``) each under one home."""
    ports = Ports.of(port, nodes, transport_port)
    return [Layout(home, cache, http, ports) for http in ports.http]


def cluster_health(layouts: list[Layout], *, nodes: int | None = None, status: str = "yellow",
                   wait_s: int = 1) -> dict | None:
    """The cluster's health from the first running node that answers, once it reaches ``status``
    with ``nodes`` nodes (None when no node answers so)."""
    want = f"&wait_for_nodes={nodes}" if nodes else ""
    for layout in layouts:
        if not running_pid(layout):
            continue
        code, body = http_json(f"{layout.url}/_cluster/health?wait_for_status={status}{want}&timeout={wait_s}s",
                               timeout=wait_s + 5)
        if code == 200 and isinstance(body, dict) and not body.get("timed_out"):
            return body
    return None


def cluster_nodes(layouts: list[Layout]) -> list[dict]:
    """The nodes the cluster knows (``_cat/nodes``), from the first running node that answers."""
    for layout in layouts:
        if running_pid(layout):
            code, body = http_json(f"{layout.url}/_cat/nodes?format=json&h=name,http_address,heap.percent,"
                                   "heap.max,node.role,master&s=name", timeout=10)
            if code == 200 and isinstance(body, list):
                return body
    return []


def cmd_start_cluster(args, layouts: list[Layout]) -> int:
    heap = validate_heap(args.heap)
    with contextlib.ExitStack() as stack:
        for layout in layouts:
            stack.enter_context(locked(layout))
        missing = [layout for layout in layouts if not running_pid(layout)]
        if args.fresh and len(missing) < len(layouts):
            raise NodeError("--fresh needs the whole cluster stopped.",
                            hint=f"run `onionwatch es stop --nodes {len(layouts)} --port {layouts[0].port}` first.")
        for layout in missing:
            with contextlib.suppress(FileNotFoundError):
                layout.pidfile.unlink()  # stale
            for port in (layout.port, layout.transport_port):
                if port_in_use(port):
                    raise NodeError(f"port {port} on {HOST} is already in use by another process.",
                                    hint="stop that process or choose other ports with --port / --transport-port.")
        java_home = dist = user = None
        if missing:
            java_home, dist, user = prepare(args, layouts[0])
            if args.fresh:
                for layout in layouts:
                    if layout.data.exists():
                        say(f"--fresh: removing {layout.data}")
                        shutil.rmtree(layout.data)
            bootstrap = not any(layout.bootstrapped() for layout in layouts)
            for layout in missing:
                configure(layout, dist, heap, java_home, user, bootstrap=bootstrap)
        t0 = time.monotonic()
        launched: list[tuple[Layout, subprocess.Popen]] = []
        try:
            for layout in missing:
                launched.append((layout, launch(layout, dist, java_home, user, heap)))
            return wait_cluster(args, layouts, launched, t0)
        except BaseException:
            for layout, launcher in launched:
                stop_started(layout, launcher)
            raise


def wait_cluster(args, layouts: list[Layout], launched: list[tuple[Layout, subprocess.Popen]], t0: float) -> int:
    deadline = t0 + args.timeout
    next_report = t0 + 5
    while True:
        for layout, launcher in launched:
            rc = launcher.poll()
            if rc not in (None, 0):
                raise NodeError(f"node {layout.node_name} exited during startup (launcher exit code {rc}).",
                                hint=f"read the log tail below; full logs in {layout.logs}.", detail=logs_tail(layout))
        h = cluster_health(layouts, nodes=len(layouts))
        if h:
            for _layout, launcher in launched:  # with -d each launcher exits once its server is up
                with contextlib.suppress(subprocess.TimeoutExpired):
                    launcher.wait(timeout=30)
            say(f"{'started' if launched else 'already running'}: {len(layouts)} nodes in "
                f"{time.monotonic() - t0:.1f}s, cluster {layouts[0].cluster_name} health {h['status']}")
            report_cluster(layouts, h)
            print("ES_URL=" + ",".join(layouts[0].cluster.urls()), flush=True)
            return 0
        now = time.monotonic()
        if now >= deadline:
            detail = "\n".join(logs_tail(layout) for layout, _ in launched)
            raise NodeError(f"the cluster did not reach health yellow with {len(layouts)} nodes within {args.timeout:.0f}s.",
                            hint="the nodes started now were stopped; raise --timeout or read the log tails below.",
                            detail=detail)
        if now >= next_report:
            up = sum(1 for layout in layouts if read_pid(layout))
            say(f"  ... {now - t0:.0f}s: {up} of {len(layouts)} nodes have a pid; waiting for the cluster to form")
            next_report = now + 5
        time.sleep(0.5)


def report_cluster(layouts: list[Layout], h: dict | None) -> None:
    for layout in layouts:
        pid = running_pid(layout)
        rss = rss_mb(pid) if pid else None
        state = f"pid {pid}, RSS {rss:.0f} MB" if pid and rss else "not running"
        say(f"  {layout.node_name}: {layout.url} (transport {layout.transport_port}), {state}")
    if h:
        say(f"cluster {h['cluster_name']}: health {h['status']}, {h['number_of_nodes']} nodes, "
            f"{h['active_shards']} active shards ({h['active_primary_shards']} primaries), "
            f"{h['relocating_shards']} relocating, {h['initializing_shards']} initializing, "
            f"{h['unassigned_shards']} unassigned")
    for node in cluster_nodes(layouts):
        master = " (elected master)" if node.get("master") == "*" else ""
        say(f"  member {node.get('name')} at {node.get('http_address')}: heap {node.get('heap.percent')}% of "
            f"{node.get('heap.max')}, roles {node.get('node.role')}{master}")


def cmd_status_cluster(args, layouts: list[Layout]) -> int:
    if not any(running_pid(layout) for layout in layouts):
        say(f"cluster not running (ports {layouts[0].port}-{layouts[-1].port}, home {layouts[0].home})")
        report_cluster(layouts, None)
        return NOT_RUNNING
    h = cluster_health(layouts, wait_s=2)
    report_cluster(layouts, h)
    if not h:
        say("no node answers with health green or yellow")
        return 1
    return 0 if h["number_of_nodes"] == len(layouts) else 1


def cmd_stop_cluster(args, layouts: list[Layout]) -> int:
    with contextlib.ExitStack() as stack:
        for layout in layouts:
            stack.enter_context(locked(layout))
        ours: list[tuple[Layout, int]] = []
        for layout in layouts:
            pid = read_pid(layout)
            if pid and pid_alive(pid) and pid_is_our_node(pid, layout):
                ours.append((layout, pid))
            else:  # not running, or a recycled pid that is not this node: never signalled
                with contextlib.suppress(FileNotFoundError):
                    layout.pidfile.unlink()
        if not ours:
            say(f"cluster not running (ports {layouts[0].port}-{layouts[-1].port}, home {layouts[0].home})")
            return 0
        for layout, pid in ours:
            say(f"stopping {layout.node_name} (pid {pid}) ...")
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)  # all at once: they shut down in parallel
        for layout, pid in ours:
            how = terminate(pid, args.timeout)
            if pid_alive(pid):
                raise NodeError(f"pid {pid} ({layout.node_name}) is still alive after SIGKILL.", hint="check `ps` for it.")
            with contextlib.suppress(FileNotFoundError):
                layout.pidfile.unlink()
            say(f"stopped {layout.node_name} ({how})")
        return 0
