"""Where things live: the zip cache, the node's home, one folder a port, and the locks that keep
two runs from starting the same node."""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from onionwatch.app.es.base import CLUSTER_NAME, ES_MAVEN_ARTIFACT, ES_MAVEN_GROUP, ES_VERSION, HOST, say

__all__ = ["zip_name", "maven_coordinates", "default_cache", "world_traversable", "checkout_root",
           "default_home", "Ports", "Layout", "mkdirs_public", "flocked", "locked"]


def zip_name() -> str:
    return f"{ES_MAVEN_ARTIFACT}-{ES_VERSION}.zip"


def maven_coordinates() -> str:
    return f"{ES_MAVEN_GROUP}:{ES_MAVEN_ARTIFACT}:{ES_VERSION}:zip"


def default_cache() -> Path:
    env = os.environ.get("ONIONWATCH_ES_CACHE")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "onionwatch" / "es"


def world_traversable(path: Path) -> bool:
    """True when every existing ancestor of *path* lets 'other' users through (o+x)."""
    p = path.resolve()
    for d in [p, *p.parents]:
        if d.exists() and not (d.stat().st_mode & stat.S_IXOTH):
            return False
    return True


def checkout_root() -> Path | None:
    """The source checkout this package runs from, or None when it is installed (e.g. from a wheel)."""
    root = Path(__file__).resolve().parents[3]
    return root if (root / "setup.cfg").is_file() and (root / "onionwatch" / "app").is_dir() else None


def default_home(runs_as_other_user: bool) -> Path:
    """``$ONIONWATCH_ES_HOME``, else ``<checkout>/.onionwatch/es`` in a source checkout, else
    ``$XDG_DATA_HOME/onionwatch/es`` (``~/.local/share/onionwatch/es``) for an installed package."""
    env = os.environ.get("ONIONWATCH_ES_HOME")
    if env:
        return Path(env).expanduser()
    root = checkout_root()
    if root is not None:
        home = root / ".onionwatch" / "es"
    else:
        home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "onionwatch" / "es"
    if runs_as_other_user and not world_traversable(home.parent):
        # e.g. a checkout under /root: the node's user could not reach it.
        tag = hashlib.sha1(str(home.parent.parent if root is not None else home).encode()).hexdigest()[:8]
        return Path("/var/tmp") / f"onionwatch-es-{tag}"
    return home


@dataclass(frozen=True)
class Ports:
    """The ports of a local cluster's nodes, node by node: HTTP and transport (for discovery).

    >>> Ports.of(9260, 3, 9360).seed_hosts()
    ['127.0.0.1:9360', '127.0.0.1:9361', '127.0.0.1:9362']
    """
    http: tuple[int, ...]
    transport: tuple[int, ...]

    @classmethod
    def of(cls, first_http: int, nodes: int, first_transport: int) -> "Ports":
        return cls(tuple(range(first_http, first_http + nodes)), tuple(range(first_transport, first_transport + nodes)))

    def seed_hosts(self) -> list[str]:
        return [f"{HOST}:{port}" for port in self.transport]

    def urls(self) -> list[str]:
        return [f"http://{HOST}:{port}" for port in self.http]


class Layout:
    """The paths of one node; ``cluster`` is set when the node is one of a local cluster's."""

    def __init__(self, home: Path, cache: Path, port: int, cluster: Ports | None = None):
        self.cluster = cluster
        self.home = home.resolve()
        self.cache = cache.expanduser().resolve()
        self.port = port
        self.zip = self.cache / zip_name()
        # ONIONWATCH_ES_DIST: an unzipped distribution to share (e.g. a test's throw-away node).
        shared = os.environ.get("ONIONWATCH_ES_DIST")
        self.dist = Path(shared).resolve() if shared else self.home / "dist" / f"elasticsearch-{ES_VERSION}"
        self.node = self.home / f"node-{port}"
        self.config = self.node / "config"
        self.data = self.node / "data"
        self.logs = self.node / "logs"
        self.tmp = self.node / "tmp"
        self.snapshots = self.node / "snapshots"
        self.pidfile = self.node / "es.pid"
        self.launcher_log = self.node / "launcher.log"
        self.lockfile = self.home / f".node-{port}.lock"

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def node_name(self) -> str:
        return f"onionwatch-es-{self.port}"

    @property
    def cluster_name(self) -> str:
        """A cluster's name carries its first port, so two local clusters never join each other."""
        return f"onionwatch-cluster-{self.cluster.http[0]}" if self.cluster else CLUSTER_NAME

    @property
    def transport_port(self) -> int | None:
        return self.cluster.transport[self.cluster.http.index(self.port)] if self.cluster else None

    def bootstrapped(self) -> bool:
        """The node's data already belongs to a cluster (it must not be told to bootstrap again)."""
        return (self.data / "_state").is_dir()


def mkdirs_public(path: Path) -> None:
    """mkdir -p, giving directories this script creates mode 755 whatever the umask."""
    missing = []
    p = path
    while not p.exists():
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        with contextlib.suppress(FileExistsError):
            d.mkdir()
            os.chmod(d, 0o755)


@contextlib.contextmanager
def flocked(lockfile: Path, what: str):
    mkdirs_public(lockfile.parent)
    with open(lockfile, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say(f"waiting for another node runner ({what}) ...")
            fcntl.flock(fh, fcntl.LOCK_EX)
        yield


def locked(layout: Layout):
    return flocked(layout.lockfile, f"port {layout.port}")
