"""Sample the machine's open sockets and flag any that a watched process has beyond loopback.

A background thread asks psutil for every inet socket on the machine (TCP and UDP, with owning
pids) every ``interval`` seconds and keeps those of the watched pids whose remote address is not
loopback, whose local address is a non-loopback interface, or which listen on every interface.
``check()`` raises :class:`LeakDetected` listing them; ``summary()`` is the line a test prints.

>>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("::ffff:127.0.0.9"), is_loopback("10.0.0.1")
(True, True, True, False)
"""
from __future__ import annotations

import ipaddress
import threading
from dataclasses import dataclass
from typing import Callable, Iterable

__all__ = ["ConnectionSampler", "LeakDetected", "Leak", "is_loopback"]

_UNSPECIFIED = {"0.0.0.0", "::"}


def is_loopback(ip: str) -> bool:
    """True for 127.0.0.0/8, ::1 and IPv4-mapped loopback."""
    try:
        addr = ipaddress.ip_address(ip.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return addr.is_loopback


@dataclass(frozen=True)
class Leak:
    pid: int
    process: str
    kind: str
    local: str
    remote: str
    status: str
    why: str

    def __str__(self) -> str:
        return (f"pid {self.pid} ({self.process}) {self.kind} {self.local} -> {self.remote or '-'} "
                f"[{self.status}]: {self.why}")


class LeakDetected(AssertionError):
    """A watched process had a socket beyond loopback."""


def _fmt(addr) -> str:
    return f"{addr.ip}:{addr.port}" if addr else ""


def classify(laddr, raddr, status: str) -> str | None:
    """Why a socket is a leak, or ``None`` if it stays on loopback."""
    if raddr and not is_loopback(raddr.ip):
        return f"connection to non-loopback {raddr.ip}"
    if laddr and laddr.ip not in _UNSPECIFIED and not is_loopback(laddr.ip):
        return f"socket on non-loopback interface {laddr.ip}"
    if laddr and laddr.ip in _UNSPECIFIED and status == "LISTEN":
        return "listening on every interface"
    return None


class ConnectionSampler:
    """Watch the sockets of the pids ``pids()`` returns (re-evaluated at every sample)."""

    def __init__(self, pids: Callable[[], Iterable[int]], interval: float = 0.25) -> None:
        self._pids = pids
        self.interval = interval
        self.samples = 0
        self.sockets_seen = 0
        self.pids_seen: set[int] = set()
        self.leaks: list[Leak] = []
        self._seen_leaks: set[tuple] = set()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.error: BaseException | None = None

    def sample(self) -> None:
        """Take one sample now."""
        import psutil  # imported on use: the module imports without it

        pids = set(self._pids())
        if not pids:
            self.samples += 1
            return
        for conn in psutil.net_connections(kind="inet"):
            if conn.pid not in pids:
                continue
            self.sockets_seen += 1
            self.pids_seen.add(conn.pid)
            why = classify(conn.laddr, conn.raddr, conn.status)
            if why is None:
                continue
            key = (conn.pid, _fmt(conn.laddr), _fmt(conn.raddr), conn.status)
            if key in self._seen_leaks:
                continue
            self._seen_leaks.add(key)
            try:
                name = " ".join(psutil.Process(conn.pid).cmdline()[:3])
            except psutil.Error:
                name = "?"
            kind = "tcp" if conn.type == 1 else "udp"
            self.leaks.append(Leak(conn.pid, name, kind, _fmt(conn.laddr), _fmt(conn.raddr),
                                   conn.status, why))
        self.samples += 1

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.sample()
            except BaseException as exc:  # noqa: BLE001 (reported by check())
                self.error = exc
                return
            self._stop.wait(self.interval)

    def start(self) -> ConnectionSampler:
        self._thread = threading.Thread(target=self._loop, name="tor-leak-sampler", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(10)

    def __enter__(self) -> ConnectionSampler:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def summary(self) -> str:
        return (f"{self.samples} samples, {self.sockets_seen} sockets of {len(self.pids_seen)} processes "
                f"seen, {len(self.leaks)} non-loopback")

    def check(self) -> None:
        """Raise unless sampling ran, saw the watched processes' sockets, and found no leak."""
        if self.error is not None:
            raise LeakDetected(f"the connection sampler failed: {self.error!r}")
        if self.leaks:
            raise LeakDetected("non-loopback sockets:\n" + "\n".join(map(str, self.leaks)))
        if self.samples == 0:
            raise LeakDetected("the connection sampler took no sample")
