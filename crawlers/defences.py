"""Recognise a market's defences in a response: login walls, CAPTCHAs, DDoS queues, rate limits,
outages. Pure functions over a Scrapy response and the profile's ``session:`` block; no I/O.

Each marker is a CSS selector the profile may set; when it does not, generic signs are used (what
most markets show): a login form with a password field, an image whose address or name says
"captcha", a 503 page that says "queue" or "DDoS", ``429`` with ``Retry-After``.

>>> spec = parse_session({"login_path": "/signin"}, "profile")
>>> spec.login_path, spec.logged_out
('/signin', 'form#login')
>>> retry_after({"Retry-After": "7"}, default=1.0)
7.0
"""
from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any, Mapping

from scrapy.http import TextResponse

from crawlers.selectors import matches

__all__ = ["SessionSpec", "parse_session", "classify", "retry_after", "queue_wait",
           "OK", "LOGGED_OUT", "CAPTCHA", "QUEUE", "RATE_LIMITED", "SERVER_ERROR", "DOWN",
           "SESSION_KEYS"]

OK, LOGGED_OUT, CAPTCHA, QUEUE, RATE_LIMITED, SERVER_ERROR, DOWN = (
    "ok", "logged_out", "captcha", "queue", "rate_limited", "server_error", "down")


@dataclass(frozen=True)
class SessionSpec:
    """How a market's login and defences look (the profile's ``session:`` block).

    ``login`` says the market needs an account (the crawl logs in when it meets a logged-out page);
    the selectors default to the usual forms. ``down_after`` consecutive failures (connections
    refused on every mirror, 5xx after every retry) mark the market down for ``down_for`` seconds.
    """

    login: bool = False
    login_path: str = "/login"
    login_form: str = "form#login"
    username_field: str = "username"
    password_field: str = "password"
    captcha_field: str = "captcha"
    captcha_id_field: str = "cid"
    captcha_image: str = "img#captcha, img[src*=captcha], img[alt*=captcha i]"
    logged_out: str = "form#login"
    #: also take any form with a password field for a login form (off when ``logged_out`` is given:
    #: a purchase form asking for a PIN is not a login form)
    guess_login: bool = True
    login_error: str = "p.error, .alert-danger, .error"
    queue: str = "div#queue"
    queue_link: str = "a#queue-pass"
    queue_wait: str = "span.wait"
    down: str = "div#maintenance"
    mirror_links: str = ""
    max_wait: float = 300.0
    retries: int = 4
    down_after: int = 6
    down_for: float = 3600.0


_TYPES = {f.name: f.type for f in fields(SessionSpec)}
SESSION_KEYS = frozenset(_TYPES)


def parse_session(data: Any, where: str) -> SessionSpec:
    """Check a profile's ``session:`` block; an error names the key at fault."""
    if data is None:
        return SessionSpec()
    if not isinstance(data, dict):
        raise ValueError(f"{where}: session: expected a mapping of keys ({', '.join(sorted(SESSION_KEYS))})")
    unknown = set(data) - SESSION_KEYS
    if unknown:
        raise ValueError(f"{where}: session: unknown key(s) {sorted(unknown)} "
                         f"(known: {', '.join(sorted(SESSION_KEYS))})")
    values: dict[str, Any] = {}
    for key, value in data.items():
        kind = _TYPES[key]
        if kind == "bool" and not isinstance(value, bool):
            raise ValueError(f"{where}: session.{key}: expected true or false, got {value!r}")
        if kind == "str" and not isinstance(value, str):
            raise ValueError(f"{where}: session.{key}: expected a string (a CSS selector or path), got {value!r}")
        if kind in ("int", "float"):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ValueError(f"{where}: session.{key}: expected a number >= 0, got {value!r}")
            value = int(value) if kind == "int" else float(value)
        values[key] = value
    if "logged_out" in values and "guess_login" not in values:
        values["guess_login"] = False  # the profile says how a logged-out page looks
    if "login_path" in values and not values["login_path"].startswith("/"):
        raise ValueError(f"{where}: session.login_path: must start with '/', got {values['login_path']!r}")
    return SessionSpec(**values)


def retry_after(headers: Mapping[str, Any], default: float) -> float:
    """Seconds a ``Retry-After`` header asks for (a number of seconds), else ``default``."""
    raw = headers.get("Retry-After")
    if isinstance(raw, (list, tuple)):
        raw = raw[0] if raw else None
    if isinstance(raw, bytes):
        raw = raw.decode("latin-1")
    try:
        return max(0.0, float(str(raw).strip()))
    except (TypeError, ValueError):
        return default


_SECONDS = re.compile(r"(\d+(?:\.\d+)?)")


def queue_wait(response, spec: SessionSpec, default: float = 1.0) -> float:
    """How long a queue page asks to wait: its wait marker, else ``Retry-After``, else ``default``."""
    text = " ".join(response.css(f"{spec.queue_wait} ::text").getall()) if spec.queue_wait else ""
    found = _SECONDS.search(text)
    if found:
        return float(found.group(1))
    return retry_after(_header_map(response), default)


def _header_map(response) -> dict[str, str]:
    value = response.headers.get(b"Retry-After")
    return {"Retry-After": value.decode("latin-1")} if value else {}


def _has(response, selector: str) -> bool:
    return bool(selector) and matches(response, selector)


def classify(response, spec: SessionSpec, login_path: str | None = None) -> str:
    """What a response is: one of ``ok``, ``logged_out``, ``captcha``, ``queue``, ``rate_limited``,
    ``server_error``, ``down``. Redirects to the login path count as logged out."""
    status = response.status
    if status in (301, 302, 303, 307, 308):
        location = (response.headers.get(b"Location") or b"").decode("latin-1")
        path = re.sub(r"^[a-z]+://[^/]+", "", location)
        if path.split("?")[0] == (login_path or spec.login_path):
            return LOGGED_OUT
        return OK
    html = isinstance(response, TextResponse)
    if status == 429:
        return RATE_LIMITED
    if html and _has(response, spec.down):
        return DOWN
    if html and (_has(response, spec.queue) or (status == 503 and _generic_queue(response))):
        return QUEUE
    if status >= 500:
        return SERVER_ERROR
    if html and status == 200 and (_has(response, spec.logged_out) or (spec.guess_login and _generic_login(response))):
        return CAPTCHA if _has(response, spec.captcha_image) else LOGGED_OUT
    return OK


def _generic_queue(response) -> bool:
    text = " ".join(response.css("body ::text").getall()[:50]).lower()
    return "queue" in text or "ddos" in text or bool(response.headers.get(b"Refresh"))


def _generic_login(response) -> bool:
    return matches(response, "form input[type=password]") and not matches(response, "form#register")
