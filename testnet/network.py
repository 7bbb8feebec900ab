"""Build and run a private Tor network on 127.0.0.1: authorities, relays, v3 onion services, a client.

Everything lives in one folder (a temporary one by default): each node's torrc, data directory and
logs. Every tor process is started as ``tor -f NODE/torrc --defaults-torrc EMPTY`` (so no system or
default configuration is ever read) after :func:`~testnet.torrc.check_torrc` accepted its
torrc, and carries ``__OwningControllerProcess`` so it exits by itself if this process dies. ``stop``
ends each one by its pid (SIGTERM, then SIGKILL) and checks it is gone; so does a failed ``start``.

Waits are bounded and a timeout says which node failed, with the end of its log::

    with TorNetwork(services={"empire": 8080}) as net:   # serves 127.0.0.1:8080 as a v3 onion
        net.wait_ready(timeout=180)
        print(net.onion("empire"), net.socks_port, net.timings)
"""
from __future__ import annotations

import atexit
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .torrc import (
    Authority, Node, authority_torrc, check_torrc, client_torrc, onion_service_torrc, relay_torrc,
)

__all__ = ["TorNetwork", "TorNetworkError", "TorProcess", "find_tor", "free_ports"]

#: Seconds a tor process gets to exit on SIGTERM before SIGKILL.
STOP_GRACE = 10.0
#: Placeholder authority for the one-off ``--list-fingerprint`` run that makes a relay's keys.
_PLACEHOLDER = Authority("placeholder", 1, 1, "0" * 40, "F" * 40)


class TorNetworkError(RuntimeError):
    """The private network could not be built or did not become ready; the message says why."""


def find_tor() -> tuple[str, str]:
    """Paths of ``tor`` and ``tor-gencert``; :class:`TorNetworkError` naming the fix if missing."""
    tor, gencert = shutil.which("tor"), shutil.which("tor-gencert")
    if not tor or not gencert:
        raise TorNetworkError("tor and tor-gencert are not installed: run `python scripts/tor_testnet.py "
                              "install` (Debian's `tor` package, without starting its system service)")
    return tor, gencert


def free_ports(count: int) -> list[int]:
    """``count`` distinct free TCP ports on 127.0.0.1 (held together while choosing)."""
    socks = []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


@dataclass
class TorProcess:
    """One tor process of the network and where its files are."""

    node: Node
    role: str
    torrc: Path
    popen: subprocess.Popen | None = None
    service_dir: Path | None = None
    launched: float = 0.0
    #: Stopped on purpose (``stop_service``/``stop``): not a crash.
    stopped: bool = False
    #: Monotonic times of this onion service's descriptor uploads since its last launch.
    uploads: list[float] = field(default_factory=list)

    @property
    def pid(self) -> int | None:
        return self.popen.pid if self.popen else None

    @property
    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    @property
    def log(self) -> Path:
        return Path(self.node.data_dir) / "notice.log"

    @property
    def control_socket(self) -> Path:
        return Path(self.node.data_dir) / "control"

    def log_tail(self, lines: int = 15) -> str:
        out = []
        for path in (self.log, Path(self.node.data_dir) / "stderr.log"):
            if path.exists():
                out += path.read_text(errors="replace").splitlines()[-lines:]
        return "\n".join(out)


@dataclass
class _Timings:
    started: float = 0.0
    consensus: float | None = None
    published: dict[str, float] = field(default_factory=dict)
    reachable: dict[str, float] = field(default_factory=dict)


class TorNetwork:
    """A private Tor network publishing local ports as v3 onion services.

    ``services`` maps a name (a market) to the 127.0.0.1 port to publish as port 80 of its onion
    address. ``root`` is kept if given, else a temporary folder is made and removed by ``stop``.
    """

    def __init__(self, services: dict[str, int] | None = None, *, root: str | Path | None = None,
                 authorities: int = 3, relays: int = 3, progress: Callable[[str], None] | None = None):
        if authorities < 3:
            raise ValueError("a private network needs 3 directory authorities or more")
        if relays < 2:
            raise ValueError("a private network needs 2 relays or more")
        self.tor, self.gencert = find_tor()
        self._own_root = root is None
        self.root = Path(root) if root else Path(tempfile.mkdtemp(prefix="onionwatch-tor-"))
        self.root.mkdir(parents=True, exist_ok=True)
        self._empty = self.root / "empty-defaults-torrc"
        self._empty.write_text("")
        self.n_authorities, self.n_relays = authorities, relays
        self.services_wanted = dict(services or {})
        self.progress = progress or (lambda msg: None)
        self.authorities: list[Authority] = []
        self.processes: dict[str, TorProcess] = {}
        self.services: dict[str, TorProcess] = {}
        self.socks_port = 0
        self.timings = _Timings()
        self._controllers: dict[str, object] = {}
        self._lock = threading.Lock()
        self._ctl_lock = threading.Lock()
        self._stopped = False

    # ------------------------------------------------------------------ building
    def _node_dir(self, nickname: str) -> Path:
        path = self.root / nickname
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        return path

    def _run(self, args: list[str], *, cwd: Path | None = None, stdin: bytes = b"") -> str:
        done = subprocess.run(args, cwd=cwd, input=stdin, capture_output=True, timeout=60)
        if done.returncode != 0:
            raise TorNetworkError(f"{' '.join(map(str, args[:3]))} failed ({done.returncode}): "
                                  f"{done.stderr.decode(errors='replace')[-1500:]}")
        return done.stdout.decode(errors="replace")

    def _make_authority(self, index: int, or_port: int, dir_port: int) -> Authority:
        nick = f"auth{index}"
        data = self._node_dir(nick)
        keys = data / "keys"
        keys.mkdir(mode=0o700, exist_ok=True)
        self._run([self.gencert, "--create-identity-key", "-m", "12", "-a", f"127.0.0.1:{dir_port}",
                   "-i", str(keys / "authority_identity_key"), "-s", str(keys / "authority_signing_key"),
                   "-c", str(keys / "authority_certificate"), "--passphrase-fd", "0"], cwd=keys, stdin=b"\n")
        v3ident = next(line.split()[1] for line in (keys / "authority_certificate").read_text().splitlines()
                       if line.startswith("fingerprint "))
        node = Node(nick, str(data), or_port=or_port, dir_port=dir_port)
        probe = self.root / f"{nick}-fingerprint.torrc"
        text = relay_torrc(node, [_PLACEHOLDER], os.getpid())
        check_torrc(text)
        probe.write_text(text)
        self._run([self.tor, "--list-fingerprint", "-f", str(probe), "--defaults-torrc", str(self._empty)])
        fingerprint = (data / "fingerprint").read_text().split()[1]
        probe.unlink()
        return Authority(nick, or_port, dir_port, v3ident.upper(), fingerprint.upper())

    def _add(self, node: Node, role: str, text: str, service_dir: Path | None = None) -> TorProcess:
        check_torrc(text)
        torrc = Path(node.data_dir) / "torrc"
        torrc.write_text(text)
        proc = TorProcess(node, role, torrc, service_dir=service_dir)
        self.processes[node.nickname] = proc
        return proc

    def build(self) -> None:
        """Make keys and every torrc (no tor is started)."""
        n = self.n_authorities
        ports = free_ports(2 * n + self.n_relays + 1)
        self.progress(f"making keys for {n} directory authorities")
        self.authorities = [self._make_authority(i, ports[2 * i], ports[2 * i + 1]) for i in range(n)]
        owner = os.getpid()
        for i, auth in enumerate(self.authorities):
            node = Node(auth.nickname, str(self._node_dir(auth.nickname)), or_port=auth.or_port,
                        dir_port=auth.dir_port)
            self._add(node, "authority", authority_torrc(node, self.authorities, owner))
        for i in range(self.n_relays):
            nick = f"relay{i}"
            node = Node(nick, str(self._node_dir(nick)), or_port=ports[2 * n + i])
            self._add(node, "relay", relay_torrc(node, self.authorities, owner))
        self.socks_port = ports[-1]
        client = Node("client", str(self._node_dir("client")), socks_port=self.socks_port)
        self._add(client, "client", client_torrc(client, self.authorities, owner))
        for name, port in self.services_wanted.items():
            self._make_service(name, port)

    def _make_service(self, name: str, port: int) -> TorProcess:
        nick = "hs" + "".join(ch for ch in name if ch.isalnum())[:17]
        if nick in self.processes:
            raise ValueError(f"an onion service named {name!r} already exists")
        data = self._node_dir(nick)
        service_dir = data / "onion"
        service_dir.mkdir(mode=0o700, exist_ok=True)
        node = Node(nick, str(data))
        text = onion_service_torrc(node, self.authorities, os.getpid(), service_dir=str(service_dir),
                                   target_port=port)
        proc = self._add(node, "onion", text, service_dir=service_dir)
        self.services[name] = proc
        return proc

    # ------------------------------------------------------------------ processes
    def _launch(self, proc: TorProcess) -> None:
        stderr = open(Path(proc.node.data_dir) / "stderr.log", "ab")
        proc.popen = subprocess.Popen(
            [self.tor, "-f", str(proc.torrc), "--defaults-torrc", str(self._empty)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True)
        stderr.close()
        proc.launched = time.monotonic()
        proc.stopped = False
        proc.uploads = []
        if proc.role == "onion":
            self._watch_uploads(proc)

    def _terminate(self, proc: TorProcess) -> None:
        proc.stopped = True
        self._close_controller(proc.node.nickname)
        popen = proc.popen
        if popen is None or popen.poll() is not None:
            return
        popen.send_signal(signal.SIGTERM)
        try:
            popen.wait(STOP_GRACE)
        except subprocess.TimeoutExpired:
            popen.kill()
            popen.wait(STOP_GRACE)

    def start(self) -> TorNetwork:
        """Build (if not yet built) and launch every node; returns at once (see ``wait_ready``)."""
        if not self.processes:
            self.build()
        self.timings.started = time.monotonic()
        atexit.register(self._stop_at_exit)  # a forgotten ``stop`` still stops every tor
        try:
            for proc in self.processes.values():
                self._launch(proc)
            self.progress(f"started {len(self.processes)} tor processes in {self.root}")
        except BaseException:
            self.stop()
            raise
        return self

    def pids(self) -> list[int]:
        """Pids of the tor processes of this network that are running now."""
        return [p.pid for p in list(self.processes.values()) if p.alive and p.pid]

    def stop(self) -> None:
        """Stop every tor process this network started, by pid, and remove a temporary root."""
        with self._lock:
            for proc in list(self.processes.values()):
                self._terminate(proc)
            left = [p.node.nickname for p in self.processes.values() if p.alive]
            if left:
                raise TorNetworkError(f"tor processes still running after stop: {left}")
            if self._own_root and not self._stopped:
                shutil.rmtree(self.root, ignore_errors=True)
            self._stopped = True
        atexit.unregister(self._stop_at_exit)

    def _stop_at_exit(self) -> None:
        try:
            self.stop()
        except TorNetworkError:
            pass

    def __enter__(self) -> TorNetwork:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ control
    def controller(self, nickname: str):
        """A stem ``Controller`` on the node's control socket (authenticated, cached)."""
        from stem.control import Controller

        with self._ctl_lock:
            ctl = self._controllers.get(nickname)
            if ctl is not None and ctl.is_alive():
                return ctl
            proc = self.processes[nickname]
            ctl = Controller.from_socket_file(str(proc.control_socket))
            ctl.authenticate()
            self._controllers[nickname] = ctl
            return ctl

    def _close_controller(self, nickname: str) -> None:
        ctl = self._controllers.pop(nickname, None)
        if ctl is not None:
            try:
                ctl.close()
            except Exception:  # noqa: BLE001 (closing a controller of a dying tor)
                pass

    def _ask(self, nickname: str, key: str) -> str | None:
        proc = self.processes[nickname]
        if not proc.control_socket.exists():
            return None
        try:
            return self.controller(nickname).get_info(key)
        except Exception:  # noqa: BLE001 (not up yet: the caller polls)
            self._close_controller(nickname)
            return None

    def newnym(self) -> None:
        """Ask the client for new circuits and to forget failed onion-descriptor lookups."""
        from stem import Signal

        self.controller("client").signal(Signal.NEWNYM)

    def onion(self, name: str) -> str:
        """The ``.onion`` host name of service ``name`` (known as soon as its tor has started)."""
        proc = self.services[name]
        hostname = proc.service_dir / "hostname"
        _wait(lambda: hostname.exists(), 30, f"onion address of {name}", self._why(proc))
        return hostname.read_text().strip()

    def onion_url(self, name: str) -> str:
        return f"http://{self.onion(name)}"

    # ------------------------------------------------------------------ waiting
    def _why(self, *procs: TorProcess) -> Callable[[], str]:
        def describe() -> str:
            parts = []
            for p in procs:
                state = "running" if p.alive else f"exited {p.popen.returncode if p.popen else '-'}"
                parts.append(f"--- {p.node.nickname} ({p.role}, {state}), {p.log}:\n{p.log_tail()}")
            return "\n".join(parts)
        return describe

    def _check_alive(self) -> None:
        dead = [p for p in self.processes.values() if p.popen is not None and not p.alive and not p.stopped]
        if dead:
            raise TorNetworkError("tor exited early:\n" + self._why(*dead)())

    def wait_consensus(self, timeout: float = 120) -> float:
        """Wait until the client has a consensus and enough relays (bootstrap 100%)."""
        client = self.processes["client"]

        def done() -> bool:
            self._check_alive()
            phase = self._ask("client", "status/bootstrap-phase") or ""
            return "PROGRESS=100" in phase
        _wait(done, timeout, "the client to bootstrap on the private network",
              self._why(client, *[p for p in self.processes.values() if p.role == "authority"][:1]))
        if self.timings.consensus is None:
            self.timings.consensus = time.monotonic() - self.timings.started
            self.progress(f"consensus formed, client bootstrapped in {self.timings.consensus:.1f}s")
        return self.timings.consensus

    def wait_published(self, name: str, timeout: float = 120) -> float:
        """Wait until service ``name`` has uploaded its descriptor to at least one HSDir."""
        proc = self.services[name]

        def done() -> bool:
            self._check_alive()
            return bool(proc.uploads)
        _wait(done, timeout, f"onion service {name} to publish its descriptor", self._why(proc))
        took = proc.uploads[0] - proc.launched
        self.timings.published.setdefault(name, took)
        return took

    def _watch_uploads(self, proc: TorProcess) -> None:
        """Count the service's descriptor uploads (HS_DESC UPLOADED events) from its first second:
        a listener attached later could miss the first upload and wait for the next one."""
        from stem.control import EventType

        def listener(event) -> None:
            if str(event.action) == "UPLOADED":
                proc.uploads.append(time.monotonic())

        def attach() -> None:
            deadline = time.monotonic() + 30
            while proc.alive and time.monotonic() < deadline:
                if proc.control_socket.exists():
                    try:
                        self.controller(proc.node.nickname).add_event_listener(listener, EventType.HS_DESC)
                        return
                    except Exception:  # noqa: BLE001 (socket there, tor not answering yet)
                        self._close_controller(proc.node.nickname)
                time.sleep(0.05)
        threading.Thread(target=attach, daemon=True, name=f"watch-{proc.node.nickname}").start()

    def wait_reachable(self, name: str, timeout: float = 120, path: str = "/") -> float:
        """Wait until the client fetches ``path`` from service ``name`` through its SOCKS port."""
        from .socks import http_get

        host = self.onion(name)
        last_error: list[str] = [""]

        def done() -> bool:
            self._check_alive()
            try:
                status, _, _ = http_get(self.socks_port, host, path, timeout=30,
                                        username=f"probe-{name}", password="x")
                return status < 500
            except OSError as exc:
                last_error[0] = f"{type(exc).__name__}: {exc}"
                try:
                    self.newnym()  # forget the failed descriptor lookup before the next try
                except Exception:  # noqa: BLE001
                    pass
                return False
        _wait(done, timeout, f"{host} ({name}) to answer through the client",
              lambda: f"last error: {last_error[0]}\n" + self._why(self.services[name], self.processes["client"])(),
              interval=2.0)
        took = time.monotonic() - self.services[name].launched
        self.timings.reachable.setdefault(name, took)
        return took

    def wait_ready(self, timeout: float = 240) -> None:
        """Consensus, every service's descriptor published, and every service answering."""
        deadline = time.monotonic() + timeout
        self.wait_consensus(max(1.0, deadline - time.monotonic()))
        for name in self.services:
            self.wait_published(name, max(1.0, deadline - time.monotonic()))
            self.progress(f"{name}: descriptor published ({self.timings.published[name]:.1f}s)")
        for name in self.services:
            self.wait_reachable(name, max(1.0, deadline - time.monotonic()))
            self.progress(f"{name}: {self.onion(name)} answers ({self.timings.reachable[name]:.1f}s)")

    # ------------------------------------------------------------------ tor behaviour
    def add_service(self, name: str, port: int) -> str:
        """Start a new onion service now (its descriptor is not published yet); its address."""
        proc = self._make_service(name, port)
        self._launch(proc)
        return self.onion(name)

    def stop_service(self, name: str) -> None:
        proc = self.services[name]
        self._terminate(proc)

    def start_service(self, name: str) -> None:
        proc = self.services[name]
        if proc.alive:
            return
        self._launch(proc)

    def restart_service(self, name: str, downtime: float = 0.0) -> str:
        """Stop service ``name`` and start it again with the same keys: the address is unchanged."""
        before = self.onion(name)
        self.stop_service(name)
        time.sleep(downtime)
        self.start_service(name)
        after = self.onion(name)
        assert after == before, (before, after)
        return after


def _wait(predicate: Callable[[], bool], timeout: float, what: str, why: Callable[[], str],
          interval: float = 0.5) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return
        if time.monotonic() >= deadline:
            raise TorNetworkError(f"timed out after {timeout:.0f}s waiting for {what}\n{why()}")
        time.sleep(interval)
