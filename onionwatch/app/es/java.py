"""Finding a JDK 21+ for Elasticsearch 9.x (the zip bundles none)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from onionwatch.app.es.base import ES_VERSION, JVM_DIRS, MIN_JAVA_MAJOR, NodeError

__all__ = ["java_major", "parse_java_version", "jdk_candidates", "find_java"]


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
