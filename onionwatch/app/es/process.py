"""The running node: its pid file, whether the pid is ours, its health over HTTP, and stopping it."""
from __future__ import annotations

import contextlib
import json
import os
import re
import resource
import signal
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path

from onionwatch.app.es.base import HOST
from onionwatch.app.es.layout import Layout

__all__ = ["tail_text", "tail_file", "logs_tail", "read_pid", "pid_alive", "pid_is_our_node", "running_pid",
           "rss_mb", "port_in_use", "http_json", "health", "node_version", "terminate",
           "raise_nofile_limit"]


def tail_text(text: str, n: int) -> str:
    return "\n".join(text.rstrip().splitlines()[-n:])


def tail_file(path: Path, n: int = 25) -> str:
    try:
        with open(path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - 64 * 1024))
            return tail_text(fh.read().decode(errors="replace"), n)
    except OSError:
        return ""


def logs_tail(layout: Layout) -> str:
    parts = []
    for path in (layout.launcher_log, layout.logs / f"{layout.cluster_name}.log"):
        t = tail_file(path)
        if t:
            parts.append(f"--- tail of {path} ---\n{t}")
    return "\n".join(parts) or "(no log output)"


def read_pid(layout: Layout) -> int | None:
    try:
        return int(layout.pidfile.read_text().strip())
    except (OSError, ValueError):
        return None


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie is not alive
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][:1] != "Z"
    except OSError:
        return True


def pid_is_our_node(pid: int, layout: Layout) -> bool:
    """The pid is an Elasticsearch JVM using this node's config dir (not a recycled pid)."""
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return False
    if "org.elasticsearch" not in cmd:
        return False
    if str(layout.node) in cmd:  # -Djava.io.tmpdir=<node>/tmp
        return True
    try:
        return Path(os.readlink(f"/proc/{pid}/cwd")) == layout.node
    except OSError:
        return False


def running_pid(layout: Layout) -> int | None:
    pid = read_pid(layout)
    if pid and pid_alive(pid) and pid_is_our_node(pid, layout):
        return pid
    return None


def rss_mb(pid: int) -> float | None:
    try:
        m = re.search(r"^VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text(), re.M)
        return int(m.group(1)) / 1024 if m else None
    except OSError:
        return None


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex((HOST, port)) == 0


def http_json(url: str, timeout: float) -> tuple[int, dict | None]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as e:  # e.g. 408 when wait_for_status times out
        try:
            return e.code, json.loads(e.read() or b"null")
        except ValueError:
            return e.code, None
    except (OSError, ValueError):
        return 0, None


def health(layout: Layout, wait_s: int = 1) -> dict | None:
    code, body = http_json(f"{layout.url}/_cluster/health?wait_for_status=yellow&timeout={wait_s}s", timeout=wait_s + 5)
    if code == 200 and isinstance(body, dict) and body.get("status") in ("green", "yellow"):
        return body
    return None


def node_version(layout: Layout) -> str | None:
    # GET / is not served by the integ-test zip; ask the nodes API instead.
    _code, body = http_json(f"{layout.url}/_nodes/_local?filter_path=nodes.*.version", timeout=5)
    try:
        return next(iter(body["nodes"].values()))["version"]
    except (TypeError, KeyError, StopIteration):
        return None


def terminate(pid: int, timeout: float) -> str:
    """SIGTERM, then SIGKILL after *timeout*. Returns how it ended."""
    t0 = time.monotonic()
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    while time.monotonic() - t0 < timeout:
        if not pid_alive(pid):
            return f"SIGTERM, {time.monotonic() - t0:.1f}s"
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    for _ in range(50):
        if not pid_alive(pid):
            break
        time.sleep(0.1)
    return f"SIGKILL after {timeout:.0f}s"


def raise_nofile_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 65535
    try:
        if os.geteuid() == 0 and hard != resource.RLIM_INFINITY and hard < want:
            hard = want
        new_soft = want if hard == resource.RLIM_INFINITY else min(want, hard)
        if new_soft > soft:
            resource.setrlimit(resource.RLIMIT_NOFILE, (new_soft, hard))
    except (ValueError, OSError):
        pass
