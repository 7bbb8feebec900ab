"""A served market's moving parts: its defences, its faults, its clock, shared by its mirrors.

The family renders a page; this module decides whether the client gets it, and in what state.
In order, for every request:

1. **Mirrors** (``defences.mirrors = k``): the market listens on ``1 + k`` addresses; every
   ``mirror_period`` seconds of sandbox-clock time one of them is retired in rotation, and a
   retired address drops connections without answering (as an unreachable onion does). Live
   addresses are listed on every page in ``ul.mirror-list a`` and by the oracle.
2. **Outage**: on the market's down days (``market.down_days``) every page is ``503`` with
   ``Retry-After`` and ``div#maintenance``.
3. **Rate limit** (``rate_limit = n``): more than ``n`` requests in ``rate_window`` seconds from
   one client address is ``429 Too Many Requests`` with ``Retry-After`` (seconds). Slow down.
4. **DDoS queue** (``queue``): without a valid ``queue_pass`` cookie (and on ``queue_rate`` of
   requests even with one) the answer is ``503`` with ``div#queue``: "you are in the queue, wait
   N seconds" and a link ``a#queue-pass`` to ``/queue/pass?ticket=T&next=PATH``. Fetching it after
   ``queue_wait`` real seconds sets ``queue_pass`` and redirects (302) to ``next``; earlier, the
   queue page comes back.
5. **Login** (``login``): every page but ``/login``, ``/register``, ``/captcha/*`` and
   ``/queue/pass`` needs the ``session`` cookie, else ``302`` to ``/login?next=PATH``. POST
   ``/register`` (form ``username``, ``password``) creates an account; GET ``/login`` shows
   ``form#login`` and, with ``captcha`` on, ``img#captcha`` (``/captcha/<cid>.png``) and a hidden
   ``cid``; POST ``/login`` (``username``, ``password``, ``captcha``, ``cid``, ``next``) sets
   ``session`` (``Max-Age`` = ``session_ttl``) and redirects to ``next``. Sessions expire by the
   sandbox clock; a wrong CAPTCHA answer gives the form again with ``p.error`` (status 200).
   CAPTCHA answers come only from the oracle server: ``GET /captcha?market=NAME&id=CID`` there.
6. **Tokens** (``tokens``): every HTML page gets ``<input type="hidden" name="_token">`` with a
   fresh random value and ``span.generated-at`` with the time, before ``</body>``.

Faults (``market.faults``) are applied last, to HTML pages: latency, 5xx bursts, truncation,
malformed markup, oversize, wrong charset (see ``switches.Faults``).
"""
from __future__ import annotations

import io
import random
import secrets
import threading
import time
from collections import deque
from urllib.parse import quote

from .families import get_family
from .families.base import HTML_TYPE, Request, Response, esc
from .model import Market

__all__ = ["MarketRuntime", "DROP"]

#: Returned instead of a Response when the connection must be dropped without an answer.
DROP = Response(0, b"")
_OPEN_PATHS = ("/login", "/register", "/queue/pass")
_CAPTCHA_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_MAX_CAPTCHAS = 10_000


def _simple(market: Market, status: int, title: str, body: str,
            headers: tuple[tuple[str, str], ...] = ()) -> Response:
    page = (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{esc(title)}</title>"
            f"</head><body><h1>{esc(market.name)}</h1>{body}</body></html>")
    return Response(status, page.encode("utf-8"), HTML_TYPE, headers)


class MarketRuntime:
    """Mutable serving state of one market: sessions, accounts, CAPTCHAs, buckets, fault dice."""

    def __init__(self, market: Market) -> None:
        self.market = market
        self.family = get_family(market.family)
        self.lock = threading.Lock()
        self.users: dict[str, str] = {}
        self.sessions: dict[str, float] = {}  # token -> clock time of login
        self.captchas: dict[str, str] = {}  # cid -> answer
        self.tickets: dict[str, float] = {}  # queue ticket -> monotonic time issued
        self.passes: set[str] = set()
        self.hits: dict[str, deque] = {}
        self.dice = random.Random(f"{market.seed}:{market.name}:runtime")
        self.burst = [0]  # 5xx answers left in the current burst
        self.ports: list[int] = []  # main port first, then mirrors

    # --- mirrors ---------------------------------------------------------------------------
    def live_ports(self) -> list[int]:
        """Ports answering now: all but the one retired in the current rotation period."""
        d = self.market.defences
        if not d.mirrors or len(self.ports) < 2:
            return list(self.ports)
        retired = int(self.market.clock.now // d.mirror_period) % len(self.ports)
        return [p for k, p in enumerate(self.ports) if k != retired or
                int(self.market.clock.now // d.mirror_period) == 0]

    # --- the pipeline ----------------------------------------------------------------------
    def respond(self, request: Request, port: int) -> Response:
        market, d = self.market, self.market.defences
        if d.mirrors and port not in self.live_ports():
            return DROP
        if market.is_down():
            return _simple(market, 503, "Maintenance", '<div id="maintenance">The market is '
                           "down for maintenance. Come back later.</div>",
                           (("Retry-After", "3600"),))
        if d.rate_limit and (limited := self._rate_limited(request)):
            return limited
        if d.queue:
            if request.path == "/queue/pass":
                return self._queue_pass(request)
            passed = request.cookies.get("queue_pass") in self.passes
            with self.lock:
                unlucky = passed and self.dice.random() < d.queue_rate
            if not passed or unlucky:
                return self._queue_page(request)
        if d.login:
            if request.path == "/register":
                return self._register(request)
            if request.path == "/login":
                return self._login(request)
            if request.path.startswith("/captcha/") and d.captcha:
                return self._captcha_image(request.path)
            if not self._session_ok(request.cookies.get("session", "")):
                target = quote(request.target or request.path, safe="")
                return Response(302, b"", HTML_TYPE, (("Location", f"/login?next={target}"),))
        response = self.family(market, request)
        if response.content_type == HTML_TYPE and (d.tokens or d.mirrors):
            response = self._decorate(response)
        return response

    def _decorate(self, response: Response) -> Response:
        extra = ""
        if self.market.defences.tokens:
            stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())
            extra += (f'<form class="token"><input type="hidden" name="_token" '
                      f'value="{secrets.token_hex(16)}"></form>'
                      f'<span class="generated-at">generated {stamp} in '
                      f"{random.random() / 10:.4f}s</span>")
        if self.market.defences.mirrors:
            links = "".join(f'<li><a href="http://127.0.0.1:{p}/">http://127.0.0.1:{p}/</a></li>'
                            for p in self.live_ports())
            extra += f'<ul class="mirror-list">{links}</ul>'
        body = response.body.replace(b"</body>", extra.encode("utf-8") + b"</body>", 1)
        return Response(response.status, body, response.content_type, response.headers)

    # --- rate limit ------------------------------------------------------------------------
    def _rate_limited(self, request: Request) -> Response | None:
        d = self.market.defences
        now = time.monotonic()
        with self.lock:
            hits = self.hits.setdefault(request.client, deque())
            while hits and now - hits[0] > d.rate_window:
                hits.popleft()
            if len(hits) >= d.rate_limit:
                wait = max(1, int(d.rate_window - (now - hits[0])) + 1)
                return _simple(self.market, 429, "Too Many Requests",
                               f'<p id="rate-limited">Slow down. Try again in {wait} s.</p>',
                               (("Retry-After", str(wait)),))
            hits.append(now)
        return None

    # --- queue -----------------------------------------------------------------------------
    def _queue_page(self, request: Request) -> Response:
        d = self.market.defences
        ticket = secrets.token_urlsafe(12)
        with self.lock:
            if len(self.tickets) > _MAX_CAPTCHAS:
                self.tickets.clear()
            self.tickets[ticket] = time.monotonic()
        target = quote(request.target or request.path, safe="")
        link = f"/queue/pass?ticket={ticket}&next={target}"
        wait = max(1, round(d.queue_wait))
        body = (f'<div id="queue"><p>DDoS protection: you are in the queue. Please wait '
                f'<span class="wait">{d.queue_wait:g}</span> seconds.</p>'
                f'<a id="queue-pass" href="{esc(link)}">Enter the market</a></div>')
        return _simple(self.market, 503, "Queue", body,
                       (("Refresh", f"{wait};url={link}"), ("Retry-After", str(wait))))

    def _queue_pass(self, request: Request) -> Response:
        ticket = request.param("ticket", "") or ""
        with self.lock:
            issued = self.tickets.get(ticket)
        if issued is None or time.monotonic() - issued < self.market.defences.queue_wait:
            return self._queue_page(Request("GET", request.param("next", "/") or "/",
                                            target=request.param("next", "/") or "/"))
        with self.lock:
            self.tickets.pop(ticket, None)
            token = secrets.token_urlsafe(16)
            self.passes.add(token)
        nxt = request.param("next", "/") or "/"
        if not nxt.startswith("/"):
            nxt = "/"
        return Response(302, b"", HTML_TYPE, (("Location", nxt),
                                              ("Set-Cookie", f"queue_pass={token}; Path=/")))

    # --- accounts, login and CAPTCHA -------------------------------------------------------
    def _session_ok(self, token: str) -> bool:
        with self.lock:
            started = self.sessions.get(token)
        return (started is not None
                and self.market.clock.now - started < self.market.defences.session_ttl)

    def _register(self, request: Request) -> Response:
        if request.method == "POST":
            user, password = request.field("username"), request.field("password")
            if user and password and len(user) <= 64:
                with self.lock:
                    if user not in self.users:
                        self.users[user] = password
                        return Response(302, b"", HTML_TYPE, (("Location", "/login"),))
                error = "That username is taken."
            else:
                error = "Choose a username and a password."
            return self._register_form(error)
        return self._register_form("")

    def _register_form(self, error: str) -> Response:
        err = f'<p class="error">{esc(error)}</p>' if error else ""
        return _simple(self.market, 200, "Register", f'{err}<form id="register" method="post" '
                       'action="/register"><input name="username"><input name="password" '
                       'type="password"><button>Register</button></form>')

    def _login(self, request: Request) -> Response:
        d = self.market.defences
        nxt = request.field("next") or request.param("next", "/") or "/"
        if not nxt.startswith("/"):
            nxt = "/"
        if request.method == "POST":
            user, password = request.field("username"), request.field("password")
            with self.lock:
                known = self.users.get(user) == password and bool(user)
                answer = self.captchas.pop(request.field("cid"), None)
            solved = not d.captcha or (answer is not None
                                       and request.field("captcha").strip().upper() == answer)
            if known and solved:
                token = secrets.token_urlsafe(24)
                with self.lock:
                    self.sessions[token] = self.market.clock.now
                cookie = f"session={token}; Path=/; HttpOnly; Max-Age={int(d.session_ttl)}"
                return Response(302, b"", HTML_TYPE, (("Location", nxt), ("Set-Cookie", cookie)))
            error = "Wrong CAPTCHA." if known else "Wrong username or password."
            return self._login_form(nxt, error)
        return self._login_form(nxt, "")

    def _login_form(self, nxt: str, error: str) -> Response:
        captcha = ""
        if self.market.defences.captcha:
            cid = secrets.token_hex(8)
            answer = "".join(secrets.choice(_CAPTCHA_ALPHABET) for _ in range(5))
            with self.lock:
                if len(self.captchas) > _MAX_CAPTCHAS:
                    self.captchas.clear()
                self.captchas[cid] = answer
            captcha = (f'<img id="captcha" src="/captcha/{cid}.png" alt="captcha">'
                       f'<input type="hidden" name="cid" value="{cid}">'
                       '<input name="captcha" placeholder="Enter the characters">')
        err = f'<p class="error">{esc(error)}</p>' if error else ""
        return _simple(self.market, 200, "Login",
                       f'{err}<form id="login" method="post" action="/login">'
                       f'<input type="hidden" name="next" value="{esc(nxt)}">'
                       '<input name="username"><input name="password" type="password">'
                       f"{captcha}<button>Login</button></form>")

    def _captcha_image(self, path: str) -> Response:
        cid = path[len("/captcha/"):].removesuffix(".png")
        with self.lock:
            answer = self.captchas.get(cid)
        if answer is None:
            return _simple(self.market, 404, "Not found", "<p>No such CAPTCHA.</p>")
        return Response(200, captcha_png(answer, cid), "image/png")

    def captcha_answer(self, cid: str) -> str | None:
        """The answer to CAPTCHA ``cid`` (for the oracle server only)."""
        with self.lock:
            return self.captchas.get(cid)


def captcha_png(answer: str, salt: str) -> bytes:
    """A noisy PNG of ``answer``: distorted letters over lines and dots."""
    from PIL import Image, ImageDraw

    rng = random.Random(salt)
    image = Image.new("RGB", (150, 50), (235, 235, 225))
    draw = ImageDraw.Draw(image)
    for _ in range(8):
        draw.line([(rng.randrange(150), rng.randrange(50)) for _ in range(2)],
                  fill=tuple(rng.randrange(60, 200) for _ in range(3)), width=2)
    for k, ch in enumerate(answer):
        glyph = Image.new("RGBA", (22, 26), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((5, 4), ch, fill=(20, 20, 60, 255))
        glyph = glyph.resize((28, 34)).rotate(rng.uniform(-30, 30), expand=True)
        image.paste(glyph, (8 + k * 27, rng.randrange(0, 12)), glyph)
    for _ in range(150):
        draw.point((rng.randrange(150), rng.randrange(50)), fill=(rng.randrange(256),) * 3)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
