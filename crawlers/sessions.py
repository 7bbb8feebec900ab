"""What a market's crawls keep between runs: session cookies and whether the market is down.

Both live in the session folder (``<data>/sessions``): ``<market>--<account>.cookies.json`` (owner
read/write only: a session cookie is a secret) and ``<market>.state.json``.

>>> import http.cookiejar, tempfile, pathlib
>>> jar = http.cookiejar.CookieJar()
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> save_cookies(jar, folder / "m--a.cookies.json"), load_cookies(jar, folder / "m--a.cookies.json")
(0, 0)
>>> mark_down(folder, "m", 60, "test")["reason"], down_until(folder, "m") > 0
('test', True)
"""
from __future__ import annotations

import http.cookiejar
import json
import os
import time
from pathlib import Path

__all__ = ["save_cookies", "load_cookies", "mark_down", "down_until"]

_FIELDS = ("version", "name", "value", "port", "port_specified", "domain", "domain_specified",
           "domain_initial_dot", "path", "path_specified", "secure", "expires", "discard")


def _write_private(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh, indent=1)
    os.replace(tmp, path)


def save_cookies(jar: http.cookiejar.CookieJar, path: Path) -> int:
    """Write every cookie of ``jar`` (session cookies too) to ``path``; return how many."""
    cookies = [{f: getattr(c, f) for f in _FIELDS} for c in jar]
    _write_private(Path(path), cookies)
    return len(cookies)


def load_cookies(jar: http.cookiejar.CookieJar, path: Path) -> int:
    """Put the cookies saved at ``path`` (if any, and not expired) into ``jar``; return how many."""
    path = Path(path)
    if not path.exists():
        return 0
    now = time.time()
    count = 0
    for data in json.loads(path.read_text()):
        if data.get("expires") and data["expires"] < now:
            continue
        jar.set_cookie(http.cookiejar.Cookie(**{**{f: data.get(f) for f in _FIELDS},
                                                "comment": None, "comment_url": None, "rest": {}}))
        count += 1
    return count


def _state_path(folder: Path, market: str) -> Path:
    return Path(folder) / f"{market}.state.json"


def mark_down(folder: Path, market: str, seconds: float, reason: str) -> dict:
    """Record that ``market`` is down for ``seconds`` from now."""
    state = {"down_until": time.time() + seconds, "reason": reason,
             "marked_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    _write_private(_state_path(folder, market), state)
    return state


def down_until(folder: Path, market: str) -> float:
    """Unix time until which ``market`` is marked down (0 when it is not)."""
    path = _state_path(folder, market)
    if not path.exists():
        return 0.0
    until = float(json.loads(path.read_text()).get("down_until", 0))
    return until if until > time.time() else 0.0
