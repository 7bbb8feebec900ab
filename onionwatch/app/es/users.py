"""Running as an unprivileged user when started by root (Elasticsearch refuses root)."""
from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
from pathlib import Path

from onionwatch.app.es.base import NodeError, say

__all__ = ["resolve_user", "can_reach", "chown_tree"]


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
                            hint="create an unprivileged user and pass --user NAME (Elasticsearch refuses to run as root).")
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
