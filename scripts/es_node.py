#!/usr/bin/env python3
"""Run a real single-node Elasticsearch on 127.0.0.1 for onionwatch's tests.

Standard library only. The distribution is Elastic's integration-test zip, fetched
from Maven Central with ``mvn`` (Elastic's own download site is not needed):

    python scripts/es_node.py start  [--port 9200] [--home DIR] [--heap 512m] [--fresh]
    python scripts/es_node.py status [--port 9200] [--home DIR]
    python scripts/es_node.py stop   [--port 9200] [--home DIR]
    python scripts/es_node.py fetch                     # download + unzip only

``start`` is idempotent: if this node already runs it reports and exits 0.
Exit codes: 0 ok; 1 failure (message says what to do); 2 usage; 3 (status) not running.

Layout (defaults; each is configurable):
  cache  ~/.cache/onionwatch/es/elasticsearch-<v>.zip          --cache / ONIONWATCH_ES_CACHE
  home   <repo>/.onionwatch/es/                                 --home  / ONIONWATCH_ES_HOME
           dist/elasticsearch-<v>/     unzipped once, root-owned, world-readable
                                       (ONIONWATCH_ES_DIST: use an already unzipped one)
           node-<port>/config|data|logs|tmp|snapshots, es.pid, launcher.log
Java 21+ is needed (9.x): --java-home / ONIONWATCH_ES_JAVA_HOME / ES_JAVA_HOME, else the
newest JDK found under /usr/lib/jvm/* (or ONIONWATCH_ES_JVM_DIRS, ':'-separated).
Elasticsearch refuses to run as root: when run as root the node runs as the system user
``onionwatch-es`` (--user / ONIONWATCH_ES_USER), created with ``useradd --system`` if missing;
when run as a normal user it runs as that user.

What the integ-test zip lacks (no analysis-common, painless, reindex, ingest-common,
mapper-extras, percolator, ...): see the notes at the end of this file.
"""
from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import json
import os
import pwd
import re
import resource
import shlex
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

# --- pinned distribution -------------------------------------------------------------------
ES_VERSION = "9.2.4"
ES_MAVEN_GROUP = "org.elasticsearch.distribution.integ-test-zip"
ES_MAVEN_ARTIFACT = "elasticsearch"
ES_ZIP_SHA256 = "af7b81fe31627c7523b2546351cd4e47310faa6a72c8db8dc8f7a191e871cfaf"
MIN_JAVA_MAJOR = 21  # Elasticsearch 9.x needs Java 21+ (the zip bundles no JDK)
MAVEN_DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"

DEFAULT_PORT = 9200
DEFAULT_HEAP = "512m"
DEFAULT_USER = "onionwatch-es"
DEFAULT_START_TIMEOUT = 120.0
DEFAULT_STOP_TIMEOUT = 30.0
CLUSTER_NAME = "onionwatch-test"
HOST = "127.0.0.1"
JVM_DIRS = ("/usr/lib/jvm", "/opt/java", "/opt")

REPO_ROOT = Path(__file__).resolve().parent.parent
PROG = "es_node"


class NodeError(Exception):
    """A failure with a message telling the user what to do."""

    def __init__(self, message: str, hint: str | None = None, detail: str | None = None):
        super().__init__(message)
        self.hint = hint
        self.detail = detail


def say(msg: str) -> None:
    print(f"[{PROG}] {msg}", flush=True)


# --- paths ---------------------------------------------------------------------------------
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


def default_home(runs_as_other_user: bool) -> Path:
    env = os.environ.get("ONIONWATCH_ES_HOME")
    if env:
        return Path(env).expanduser()
    home = REPO_ROOT / ".onionwatch" / "es"
    if runs_as_other_user and not world_traversable(home.parent):
        # e.g. a checkout under /root: the node's user could not reach it.
        tag = hashlib.sha1(str(REPO_ROOT).encode()).hexdigest()[:8]
        return Path("/var/tmp") / f"onionwatch-es-{tag}"
    return home


class Layout:
    def __init__(self, home: Path, cache: Path, port: int):
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
            say(f"waiting for another es_node.py ({what}) ...")
            fcntl.flock(fh, fcntl.LOCK_EX)
        yield


def locked(layout: Layout):
    return flocked(layout.lockfile, f"port {layout.port}")


# --- fetch + unzip -------------------------------------------------------------------------
def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def find_mvn() -> str | None:
    env = os.environ.get("ONIONWATCH_ES_MVN")
    if env:
        return env if os.access(env, os.X_OK) else None
    return shutil.which("mvn")


def fetch_zip(layout: Layout) -> Path:
    """Make sure the pinned zip is in the cache (via Maven) and matches ES_ZIP_SHA256."""
    if layout.zip.is_file():
        if sha256_of(layout.zip) == ES_ZIP_SHA256:
            return layout.zip
        say(f"cached {layout.zip} has a wrong checksum; fetching it again")
        layout.zip.unlink()
    mkdirs_public(layout.cache)
    t0 = time.monotonic()
    local_repo = Path.home() / ".m2" / "repository" / Path(*ES_MAVEN_GROUP.split(".")) / ES_MAVEN_ARTIFACT / ES_VERSION / zip_name()
    mvn = find_mvn()
    if mvn is None and local_repo.is_file():
        say(f"mvn not found; using {local_repo} from the local Maven repository")
        shutil.copyfile(local_repo, layout.zip)
    else:
        if mvn is None:
            raise NodeError(
                "Maven (mvn) is not installed, and the Elasticsearch zip is not cached yet.",
                hint="install it with `apt-get update && apt-get install -y maven` "
                     "(or point ONIONWATCH_ES_MVN at an mvn binary), then run this again.")
        say(f"fetching {maven_coordinates()} from Maven Central into {layout.cache} ...")
        with tempfile.TemporaryDirectory(prefix="mvn-", dir=layout.cache) as tmp:
            # cwd=tmp: no pom.xml there, so mvn runs as a plain downloader.
            cmd = [mvn, "-B", "-q", f"{MAVEN_DEPENDENCY_PLUGIN}:copy", f"-Dartifact={maven_coordinates()}",
                   f"-DoutputDirectory={tmp}/out", "-Dmdep.useBaseVersion=true"]
            cmd += shlex.split(os.environ.get("ONIONWATCH_ES_MVN_OPTS", ""))
            proc = subprocess.run(cmd, cwd=tmp, stdin=subprocess.DEVNULL, capture_output=True, text=True)
            got = Path(tmp) / "out" / zip_name()
            if proc.returncode != 0 or not got.is_file():
                raise NodeError(
                    f"Maven could not fetch {maven_coordinates()} (exit {proc.returncode}).",
                    hint="check that Maven Central is reachable (`mvn -v`, ~/.m2/settings.xml mirrors/proxy); "
                         "the command was: " + " ".join(shlex.quote(c) for c in cmd),
                    detail=tail_text((proc.stdout or "") + (proc.stderr or ""), 25))
            os.replace(got, layout.zip)
    digest = sha256_of(layout.zip)
    if digest != ES_ZIP_SHA256:
        bad = layout.zip.with_suffix(".zip.bad")
        os.replace(layout.zip, bad)
        raise NodeError(f"checksum mismatch for {zip_name()}: got {digest}, pinned {ES_ZIP_SHA256} (kept as {bad}).",
                        hint="if ES_VERSION was changed on purpose, update ES_ZIP_SHA256 at the top of scripts/es_node.py.")
    say(f"fetched {zip_name()} ({layout.zip.stat().st_size / 1e6:.0f} MB) in {time.monotonic() - t0:.1f}s")
    return layout.zip


def unzip_dist(layout: Layout) -> Path:
    """Unzip once into home/dist, keeping the exec bits and making everything world-readable."""
    marker = layout.dist / ".onionwatch-unzipped"
    if marker.is_file():
        return layout.dist
    t0 = time.monotonic()
    mkdirs_public(layout.dist.parent)
    tmp = Path(tempfile.mkdtemp(prefix=".unzip-", dir=layout.dist.parent))
    try:
        with zipfile.ZipFile(layout.zip) as zf:
            top = f"elasticsearch-{ES_VERSION}/"
            for info in zf.infolist():
                if not info.filename.startswith(top) or ".." in Path(info.filename).parts:
                    raise NodeError(f"unexpected entry {info.filename!r} in {layout.zip}")
                target = tmp / info.filename
                mode = (info.external_attr >> 16) & 0o777
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
                executable = bool(mode & 0o100)
                os.chmod(target, 0o755 if executable else 0o644)
        for d, _dirs, _files in os.walk(tmp):
            os.chmod(d, 0o755)
        if layout.dist.exists():
            shutil.rmtree(layout.dist)
        os.replace(tmp / f"elasticsearch-{ES_VERSION}", layout.dist)
        marker.write_text(f"{ES_VERSION} {ES_ZIP_SHA256}\n")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    say(f"unzipped into {layout.dist} in {time.monotonic() - t0:.1f}s")
    return layout.dist


# --- java ----------------------------------------------------------------------------------
def java_major(java_home: Path) -> int | None:
    """Major version of the JDK/JRE at *java_home*, or None if it is not one."""
    java = java_home / "bin" / "java"
    if not os.access(java, os.X_OK):
        return None
    release = java_home / "release"
    text = ""
    if release.is_file():
        m = re.search(r'^JAVA_VERSION="([^"]+)"', release.read_text(errors="replace"), re.M)
        text = m.group(1) if m else ""
    if not text:
        try:
            out = subprocess.run([str(java), "-version"], capture_output=True, text=True, timeout=30).stderr
        except (OSError, subprocess.TimeoutExpired):
            return None
        m = re.search(r'version "([^"]+)"', out)
        text = m.group(1) if m else ""
    return parse_java_version(text)


def parse_java_version(text: str) -> int | None:
    m = re.match(r"(\d+)(?:\.(\d+))?", text.strip())
    if not m:
        return None
    major = int(m.group(1))
    if major == 1 and m.group(2):  # 1.8.0_x -> 8
        major = int(m.group(2))
    return major


def jdk_candidates() -> list[Path]:
    dirs = os.environ.get("ONIONWATCH_ES_JVM_DIRS")
    roots = dirs.split(":") if dirs else JVM_DIRS
    seen: set[Path] = set()
    found: list[Path] = []
    for root in roots:
        rp = Path(root)
        if not rp.is_dir():
            continue
        for child in sorted(rp.iterdir()):
            real = child.resolve()
            if real in seen or not (real / "bin" / "java").exists():
                continue
            seen.add(real)
            found.append(child)
    for env in ("JAVA_HOME",):
        if os.environ.get(env):
            found.append(Path(os.environ[env]))
    on_path = shutil.which("java")
    if on_path:
        found.append(Path(os.path.realpath(on_path)).parent.parent)
    return found


def find_java(explicit: str | None) -> tuple[Path, int]:
    explicit = explicit or os.environ.get("ONIONWATCH_ES_JAVA_HOME") or os.environ.get("ES_JAVA_HOME")
    if explicit:
        jh = Path(explicit)
        major = java_major(jh)
        if major is None:
            raise NodeError(f"{jh} is not a Java installation (no executable bin/java).",
                            hint="pass --java-home pointing at a JDK 21+ (e.g. /usr/lib/jvm/temurin-25-jdk-amd64).")
        if major < MIN_JAVA_MAJOR:
            raise NodeError(f"Java at {jh} is {major}; Elasticsearch {ES_VERSION} needs Java {MIN_JAVA_MAJOR}+.",
                            hint="pass --java-home (or ONIONWATCH_ES_JAVA_HOME) pointing at a JDK 21+.")
        return jh, major
    best: tuple[Path, int] | None = None
    seen_versions = []
    for cand in jdk_candidates():
        major = java_major(cand)
        if major is None:
            continue
        seen_versions.append(f"{cand} ({major})")
        if major >= MIN_JAVA_MAJOR and (best is None or major > best[1]):
            best = (cand, major)
    if best is None:
        raise NodeError(
            f"no Java {MIN_JAVA_MAJOR}+ found (Elasticsearch {ES_VERSION} needs it; the test zip bundles no JDK).",
            hint="install a JDK 21+ (e.g. Temurin 25 under /usr/lib/jvm) and/or pass --java-home DIR "
                 "or set ONIONWATCH_ES_JAVA_HOME. Found: " + (", ".join(seen_versions) or "none"))
    return best


# --- user ----------------------------------------------------------------------------------
def resolve_user(name: str) -> tuple[int, int, str] | None:
    """(uid, gid, name) to run the node as, creating the system user if needed; None = as ourselves."""
    if os.geteuid() != 0:
        return None
    try:
        pw = pwd.getpwnam(name)
    except KeyError:
        useradd = shutil.which("useradd") or "/usr/sbin/useradd"
        if not os.access(useradd, os.X_OK):
            raise NodeError(f"system user {name!r} is missing and useradd is not available.",
                            hint=f"create an unprivileged user and pass --user NAME (Elasticsearch refuses to run as root).")
        nologin = shutil.which("nologin") or "/usr/sbin/nologin"
        cmd = [useradd, "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent",
               "--shell", nologin, "--comment", "onionwatch test Elasticsearch", name]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode not in (0, 9):  # 9: already exists (race)
            raise NodeError(f"could not create system user {name!r}: {proc.stderr.strip()}",
                            hint="create it by hand (useradd --system ...) or pass --user NAME.")
        say(f"created system user {name!r}")
        pw = pwd.getpwnam(name)
    if pw.pw_uid == 0:
        raise NodeError(f"user {name!r} is root; Elasticsearch refuses to run as root.", hint="pass --user NAME of an unprivileged user.")
    return pw.pw_uid, pw.pw_gid, name


def can_reach(path: Path, uid: int, gid: int, need: int) -> bool:
    """Would uid/gid reach *path* (x on every ancestor) and have *need* (os.R_OK/W_OK/X_OK bits) on it?"""
    def allowed(st: os.stat_result, bits: int) -> bool:
        if st.st_uid == uid:
            shift = 6
        elif st.st_gid == gid:
            shift = 3
        else:
            shift = 0
        return (st.st_mode >> shift) & bits == bits
    p = path.resolve()
    for d in reversed(p.parents):
        if not allowed(d.stat(), 0o1):
            return False
    return allowed(p.stat(), need)


def chown_tree(root: Path, uid: int, gid: int) -> None:
    os.chown(root, uid, gid)
    for d, dirs, files in os.walk(root):
        for n in dirs + files:
            with contextlib.suppress(FileNotFoundError):
                os.chown(os.path.join(d, n), uid, gid, follow_symlinks=False)


# --- config --------------------------------------------------------------------------------
def validate_heap(heap: str) -> str:
    if not re.fullmatch(r"[1-9]\d*[mMgG]", heap):
        raise NodeError(f"bad --heap {heap!r}", hint="use e.g. 512m or 1g")
    return heap.lower()


def render_yml(layout: Layout, dist: Path) -> str:
    q = json.dumps  # a JSON string is a valid YAML scalar
    lines = [
        "# written by scripts/es_node.py on every start; edit the script, not this file",
        f"cluster.name: {CLUSTER_NAME}",
        f"node.name: onionwatch-es-{layout.port}",
        "discovery.type: single-node",
        f"network.host: {HOST}",
        f"http.port: {layout.port}",
        "transport.port: 9300-9399",
        f"path.data: {q(str(layout.data))}",
        f"path.logs: {q(str(layout.logs))}",
        f"path.repo: [{q(str(layout.snapshots))}]",
        "bootstrap.memory_lock: false",
        "cluster.routing.allocation.disk.threshold_enabled: false",
        "action.destructive_requires_name: false",
    ]
    if (dist / "modules" / "x-pack-security").is_dir():
        lines.append("xpack.security.enabled: false")
    return "\n".join(lines) + "\n"


def write_config(layout: Layout, dist: Path, heap: str) -> None:
    for d in (layout.node, layout.config, layout.config / "jvm.options.d", layout.data, layout.logs, layout.tmp, layout.snapshots):
        d.mkdir(parents=True, exist_ok=True)
    # Refresh the distribution's own config files (keeps the node's keystore).
    for src in (dist / "config").iterdir():
        if src.is_file() and src.name != "elasticsearch.yml":
            shutil.copyfile(src, layout.config / src.name)
    (layout.config / "elasticsearch.yml").write_text(render_yml(layout, dist))
    (layout.config / "jvm.options.d" / "onionwatch.options").write_text(
        f"# written by scripts/es_node.py\n-Xms{heap}\n-Xmx{heap}\n")


# --- process helpers -------------------------------------------------------------------------
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
    for path in (layout.launcher_log, layout.logs / f"{CLUSTER_NAME}.log"):
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


# --- commands ------------------------------------------------------------------------------
def ensure_dist(layout: Layout) -> Path:
    """Fetch + unzip under one lock, so concurrent starts on other ports don't race."""
    with flocked(layout.home / ".dist.lock", "fetching the distribution"):
        if (layout.dist / ".onionwatch-unzipped").is_file():
            return layout.dist
        fetch_zip(layout)
        return unzip_dist(layout)


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
        java_home, major = find_java(args.java_home)
        say(f"Java {major} at {java_home}")
        dist = ensure_dist(layout)
        user = resolve_user(args.user)
        if args.fresh and layout.data.exists():
            say(f"--fresh: removing {layout.data}")
            shutil.rmtree(layout.data)
        write_config(layout, dist, heap)
        if user:
            uid, gid, name = user
            chown_tree(layout.node, uid, gid)
            for path, need, what in ((dist / "bin" / "elasticsearch", os.R_OK | os.X_OK, "read/execute"),
                                     (java_home / "bin" / "java", os.X_OK, "execute")):
                if not can_reach(path, uid, gid, need):
                    raise NodeError(f"user {name!r} cannot {what} {path} (a parent directory lacks o+x?).",
                                    hint="use --home under a directory all users can enter (e.g. /var/tmp/onionwatch-es) "
                                         "or --java-home with a readable JDK.")
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
        t0 = time.monotonic()
        with open(layout.launcher_log, "ab") as out:
            out.write(f"\n=== {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(cmd)}\n".encode())
            out.flush()
            launcher = subprocess.Popen(cmd, cwd=layout.node, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                        stderr=subprocess.STDOUT, start_new_session=True, **popen_kw)
        try:
            return wait_ready(args, layout, launcher, t0)
        except BaseException:
            stop_started(layout, launcher)
            raise


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
        return 3
    h = health(layout, wait_s=2)
    report_running(layout, pid, h)
    say(f"config {layout.config}, data {layout.data}, logs {layout.logs}")
    return 0 if h else 1


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="es_node.py", description=f"Single-node Elasticsearch {ES_VERSION} for onionwatch tests.")
    sub = p.add_subparsers(dest="command", required=True)

    def common(sp, timeout: float):
        sp.add_argument("--port", type=int, default=int(os.environ.get("ONIONWATCH_ES_PORT", DEFAULT_PORT)),
                        help=f"HTTP port on {HOST} (default {DEFAULT_PORT}; env ONIONWATCH_ES_PORT)")
        sp.add_argument("--home", help="node home (default <repo>/.onionwatch/es; env ONIONWATCH_ES_HOME)")
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


if __name__ == "__main__":
    sys.exit(main())

# Notes on the integ-test zip (checked against 9.2.4 and 8.19.21; modules: apm, transport-netty4,
# x-pack-core, x-pack-security only):
# * works: index/mapping CRUD (text+keyword sub-field, date, float, nested, geo_point, ip, completion,
#   dense_vector, sparse_vector, flattened), bulk, get/mget/update(doc)/delete, refresh, _count,
#   search (bool, match, match_phrase, multi_match, simple_query_string, query_string, term, range,
#   wildcard, fuzzy, nested + inner_hits, more_like_this, function_score), aggregations (terms, stats,
#   cardinality, histogram, date_histogram, percentiles, nested, top_hits), highlight, collapse,
#   sort/search_after, scroll, point-in-time, msearch, explain, termvectors, term suggester,
#   composable + component + legacy index templates, aliases + atomic switch, rollover, close/open,
#   forcemerge, index.max_result_window, snapshots to an fs repo under path.repo.
# * missing: GET / (405), analysis-common (only the standard tokenizer; token filters lowercase, stop,
#   shingle; analyzers standard/simple/whitespace/keyword/stop; NO asciifolding, stemmers, ngram,
#   synonym, html_strip, pattern ...), scripting (painless, expression), _reindex/_update_by_query/
#   _delete_by_query (so helpers.reindex fails), percolator, mustache search templates, ingest
#   processors, data streams, ILM, SQL/ES|QL/EQL, async search, mapper-extras/x-pack field types
#   (scaled_float, search_as_you_type, token_count, rank_feature, match_only_text, wildcard,
#   constant_keyword, unsigned_long, version, geo_shape, ...), parent-join.
