"""The actions: fetch, start (idempotent; waits for cluster health), stop, status."""
from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from onionwatch.app.es.base import DEFAULT_STOP_TIMEOUT, ES_VERSION, HOST, NOT_RUNNING, NodeError, say
from onionwatch.app.es.config import validate_heap, write_config
from onionwatch.app.es.dist import ensure_dist
from onionwatch.app.es.java import find_java
from onionwatch.app.es.layout import Layout, locked
from onionwatch.app.es.process import (health, logs_tail, node_version, pid_alive, pid_is_our_node,
                                       port_in_use, raise_nofile_limit, read_pid, rss_mb, running_pid,
                                       terminate)
from onionwatch.app.es.users import can_reach, chown_tree, resolve_user

__all__ = ["cmd_fetch", "report_running", "cmd_start", "prepare", "configure", "launch", "wait_ready", "stop_started",
           "cmd_stop", "cmd_status"]


def cmd_fetch(args, layout: Layout) -> int:
    t0 = time.monotonic()
    ensure_dist(layout)
    say(f"distribution ready at {layout.dist} ({time.monotonic() - t0:.1f}s)")
    return 0


def report_running(layout: Layout, pid: int, h: dict | None) -> None:
    rss = rss_mb(pid)
    status = h["status"] if h else "not answering"
    version = node_version(layout) if h else None
    rss_text = f"{rss:.0f} MB" if rss else "?"
    say(f"running: pid {pid}, {layout.url}, health {status}, Elasticsearch {version or '?'}, RSS {rss_text}")


def cmd_start(args, layout: Layout) -> int:
    heap = validate_heap(args.heap)
    with locked(layout):
        pid = running_pid(layout)
        if pid:
            if args.fresh:
                raise NodeError(f"node already running on port {layout.port} (pid {pid}); --fresh needs a stopped node.",
                                hint=f"run `{sys.argv[0]} stop --port {layout.port}` first.")
            h = health(layout, wait_s=min(int(args.timeout), 60))
            if not h:
                raise NodeError(f"node pid {pid} is running but cluster health is not green/yellow.",
                                hint=f"see the logs in {layout.logs}; `stop` and `start` again.", detail=logs_tail(layout))
            say("already running")
            report_running(layout, pid, h)
            return 0
        if layout.pidfile.exists():
            layout.pidfile.unlink()  # stale
        if port_in_use(layout.port):
            raise NodeError(f"port {layout.port} on {HOST} is already in use by another process (not this node).",
                            hint=f"stop that process (see `ss -ltnp 'sport = :{layout.port}'`) or use --port.")
        java_home, dist, user = prepare(args, layout)
        configure(layout, dist, heap, java_home, user, fresh=args.fresh)
        t0 = time.monotonic()
        launcher = launch(layout, dist, java_home, user, heap)
        try:
            return wait_ready(args, layout, launcher, t0)
        except BaseException:
            stop_started(layout, launcher)
            raise


def prepare(args, layout: Layout) -> tuple[Path, Path, tuple[int, int, str] | None]:
    """What every node needs before it starts: a JDK, the unzipped distribution, the user to run as."""
    java_home, major = find_java(args.java_home)
    say(f"Java {major} at {java_home}")
    return java_home, ensure_dist(layout), resolve_user(args.user)


def configure(layout: Layout, dist: Path, heap: str, java_home: Path, user: tuple[int, int, str] | None, *,
              fresh: bool = False, bootstrap: bool = False, extra: dict[str, str] | None = None) -> None:
    """Write one node's config (wiping its data first when ``fresh``) and hand its folder to ``user``."""
    if fresh and layout.data.exists():
        say(f"--fresh: removing {layout.data}")
        shutil.rmtree(layout.data)
    write_config(layout, dist, heap, bootstrap=bootstrap, extra=extra)
    if user:
        uid, gid, name = user
        chown_tree(layout.node, uid, gid)
        for path, need, what in ((dist / "bin" / "elasticsearch", os.R_OK | os.X_OK, "read/execute"),
                                 (java_home / "bin" / "java", os.X_OK, "execute")):
            if not can_reach(path, uid, gid, need):
                raise NodeError(f"user {name!r} cannot {what} {path} (a parent directory lacks o+x?).",
                                hint="use --home under a directory all users can enter (e.g. /var/tmp/onionwatch-es) "
                                     "or --java-home with a readable JDK.")


def launch(layout: Layout, dist: Path, java_home: Path, user: tuple[int, int, str] | None, heap: str) -> subprocess.Popen:
    """Start one configured node in the background (``-d``); the server writes its pid file."""
    raise_nofile_limit()
    env = {
        "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
        "HOME": str(layout.node),
        "LANG": os.environ.get("LANG", "C.UTF-8"),
        "ES_JAVA_HOME": str(java_home),
        "ES_PATH_CONF": str(layout.config),
        "ES_TMPDIR": str(layout.tmp),
    }
    if os.environ.get("ES_JAVA_OPTS"):
        env["ES_JAVA_OPTS"] = os.environ["ES_JAVA_OPTS"]
    cmd = [str(dist / "bin" / "elasticsearch"), "-d", "-p", str(layout.pidfile)]
    popen_kw = {}
    if user:
        popen_kw = {"user": user[0], "group": user[1], "extra_groups": []}
    say(f"starting Elasticsearch {ES_VERSION} on {layout.url} (heap {heap}, "
        f"user {user[2] if user else pwd.getpwuid(os.geteuid()).pw_name}, data {layout.data})")
    with open(layout.launcher_log, "ab") as out:
        out.write(f"\n=== {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(cmd)}\n".encode())
        out.flush()
        return subprocess.Popen(cmd, cwd=layout.node, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True, **popen_kw)


def wait_ready(args, layout: Layout, launcher: subprocess.Popen, t0: float) -> int:
    deadline = t0 + args.timeout
    next_report = t0 + 5
    while True:
        now = time.monotonic()
        rc = launcher.poll()
        if rc not in (None, 0):
            raise NodeError(f"Elasticsearch exited during startup (launcher exit code {rc}).",
                            hint=f"read the log tail below; full logs in {layout.logs} and {layout.launcher_log}.",
                            detail=logs_tail(layout))
        h = health(layout, wait_s=1)
        if h:
            pid = read_pid(layout)
            # With -d the launcher exits by itself once the server is up; don't leave it behind.
            with contextlib.suppress(subprocess.TimeoutExpired):
                launcher.wait(timeout=30)
            elapsed = time.monotonic() - t0
            say(f"ready in {elapsed:.1f}s: cluster health {h['status']}")
            if pid:
                report_running(layout, pid, h)
            print(f"ES_URL={layout.url}", flush=True)
            return 0
        if now >= deadline:
            raise NodeError(f"Elasticsearch did not reach cluster health yellow within {args.timeout:.0f}s.",
                            hint=f"the node was stopped; raise --timeout or read the log tail below ({layout.logs}).",
                            detail=logs_tail(layout))
        if now >= next_report:
            state = "launcher running" if rc is None else "server up, http not ready"
            say(f"  ... {now - t0:.0f}s: waiting for cluster health ({state})")
            next_report = now + 5
        time.sleep(0.5)


def stop_started(layout: Layout, launcher: subprocess.Popen) -> None:
    """Clean up after a failed/interrupted start: the server (pid file) and the launcher's group."""
    pid = read_pid(layout)
    if pid and pid_alive(pid) and pid_is_our_node(pid, layout):
        say(f"stopping the half-started node (pid {pid}) ...")
        terminate(pid, DEFAULT_STOP_TIMEOUT)
    if launcher.poll() is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(launcher.pid, signal.SIGTERM)
        try:
            launcher.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(launcher.pid, signal.SIGKILL)
            launcher.wait()
    with contextlib.suppress(FileNotFoundError):
        layout.pidfile.unlink()


def cmd_stop(args, layout: Layout) -> int:
    with locked(layout):
        pid = read_pid(layout)
        if pid is None or not pid_alive(pid):
            with contextlib.suppress(FileNotFoundError):
                layout.pidfile.unlink()
            say(f"not running (port {layout.port}, home {layout.home})")
            return 0
        if not pid_is_our_node(pid, layout):  # recycled pid: never signal it
            layout.pidfile.unlink()
            say(f"not running (removed a stale pid file naming pid {pid}, which is not this node; left that process alone)")
            return 0
        say(f"stopping pid {pid} ...")
        how = terminate(pid, args.timeout)
        if pid_alive(pid):
            raise NodeError(f"pid {pid} is still alive after SIGKILL.", hint="check `ps` for it.")
        with contextlib.suppress(FileNotFoundError):
            layout.pidfile.unlink()
        say(f"stopped ({how})")
        return 0


def cmd_status(args, layout: Layout) -> int:
    pid = running_pid(layout)
    if not pid:
        stale = read_pid(layout)
        extra = f" (stale pid file for pid {stale})" if stale else ""
        busy = " ; port is in use by another process" if port_in_use(layout.port) else ""
        say(f"not running on port {layout.port}{extra}{busy} (home {layout.home})")
        return NOT_RUNNING
    h = health(layout, wait_s=2)
    report_running(layout, pid, h)
    say(f"config {layout.config}, data {layout.data}, logs {layout.logs}")
    return 0 if h else 1
