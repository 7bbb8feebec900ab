"""Get in and stay in: log in, keep the session, wait out queues and rate limits, fail over mirrors.

A downloader middleware (priority 650: it sees responses after the cookie middleware stored their
cookies and before redirects and retries are followed). For every response it asks
:func:`crawlers.defences.classify` what it is, and:

- **logged out** (a redirect to the login page, or the login form where a page should be): logs in
  with the crawl's account (one login at a time; requests that met the wall meanwhile wait for
  it), then fetches the page again. Session cookies are saved to ``ONIONWATCH_SESSION_DIR`` and
  loaded by the next run, so a scheduled crawl does not log in every time.
- **CAPTCHA** on the login form: the answer comes from the answer a person gave to the paused crawl
  (``onionwatch captcha answer``), or, only when the run names one, from the sandbox's oracle
  (``ONIONWATCH_CAPTCHA_ORACLE``, loopback only). Otherwise the image and form are saved in the job
  folder and the crawl stops with the reason ``captcha``; resuming carries on where it stopped.
- **DDoS queue**: waits as long as the page asks (more on each new queue page for that request),
  follows the pass link, then fetches the page again.
- **429 / 5xx**: waits ``Retry-After`` (capped) or an exponential backoff, doubles the market's
  download delay on 429, and tries again up to ``retries`` times.
- **connection failures** (a mirror gone): moves the request to the market's next address (the
  profile's ``mirrors`` and, with ``session.mirror_links``, the mirror list pages show).
- **down** (a maintenance page, or ``down_after`` failures in a row): the market is marked down for
  ``down_for`` seconds in the session folder and the crawl stops with the reason ``market_down``.

Stats: ``onionwatch/logins``, ``onionwatch/logged_out``, ``onionwatch/captchas``,
``onionwatch/captcha_wrong``, ``onionwatch/queue_pages``, ``onionwatch/rate_limited``,
``onionwatch/server_errors``, ``onionwatch/mirror_failovers``, ``onionwatch/bans``.
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from scrapy import FormRequest, Request, signals
from scrapy.downloadermiddlewares.cookies import CookiesMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse
from scrapy.utils.defer import deferred_from_coro

from crawlers import defences as d
from crawlers.middlewares.warc import REDACT_META_KEY
from crawlers.challenges import Challenge, clear_challenge, load_challenge, save_challenge
from crawlers.selectors import link_urls
from crawlers.sessions import load_cookies, mark_down, save_cookies
from crawlers.tor import ProxyUnreachable, check_proxy, parse_proxy

__all__ = ["SessionMiddleware", "INTERNAL_META_KEY"]

logger = logging.getLogger(__name__)

INTERNAL_META_KEY = "onionwatch_internal"
TRIES_META_KEY = "onionwatch_defence_tries"
MAX_TRIES = 30  # defence round trips one request may take before it is given up


class LoginFailed(Exception):
    pass


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class SessionMiddleware:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        settings = crawler.settings
        self.job_dir = Path(settings["ONIONWATCH_JOB_DIR"]) if settings.get("ONIONWATCH_JOB_DIR") else None
        self.session_dir = Path(settings["ONIONWATCH_SESSION_DIR"]) if settings.get("ONIONWATCH_SESSION_DIR") else None
        self.oracle = settings.get("ONIONWATCH_CAPTCHA_ORACLE") or None
        self.proxy = parse_proxy(settings["ONIONWATCH_PROXY"]) if settings.get("ONIONWATCH_PROXY") else None
        self.allowed_hosts = {h.lower() for h in settings.getlist("ONIONWATCH_ALLOWED_HOSTS")}
        self.spec = d.SessionSpec()
        self.account = None
        self.market = settings.get("ONIONWATCH_MARKET") or "market"
        self.base_delay = settings.getfloat("DOWNLOAD_DELAY")
        self.crawl_id = settings.get("ONIONWATCH_CRAWL_ID") or "crawl"
        self.origins: list[str] = []
        self.dead: set[str] = set()
        self.epoch = 0  # logins so far; a request remembers the epoch it was sent in
        self.failures = 0  # consecutive
        self.stopping = False
        self.answer: Challenge | None = None
        self._lock: asyncio.Lock | None = None
        self._jar = None

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    # --- set-up --------------------------------------------------------------------------
    def spider_opened(self, spider=None):
        profile = spider.profile
        self.spec = profile.session
        self.account = getattr(spider, "login", None)
        self.base = profile.base_url
        self.origins = [self.base, *profile.mirrors]
        for mw in self.crawler.engine.downloader.middleware.middlewares:
            if isinstance(mw, CookiesMiddleware):
                self._jar = mw.jars[None].jar
        if self._jar is not None and self._cookie_file():
            loaded = load_cookies(self._jar, self._cookie_file())
            self.stats.set_value("onionwatch/session_cookies_loaded", loaded)
        if self.job_dir is not None:
            challenge = load_challenge(self.job_dir)
            if challenge and challenge.answer:
                self.answer = challenge

    def _cookie_file(self) -> Path | None:
        if self.session_dir is None:
            return None
        alias = self.account.alias if self.account else "public"
        return self.session_dir / f"{self.market}--{alias}.cookies.json"

    # --- requests ------------------------------------------------------------------------
    def process_request(self, request, spider=None):
        if self.stopping and not request.meta.get(INTERNAL_META_KEY):
            raise IgnoreRequest("the crawl is stopping")
        request.meta.setdefault("onionwatch_epoch", self.epoch)
        origin = _origin(request.url)
        if origin in self.dead and len(self.origins) > 1:
            return self._moved(request, self._live_origin(origin))
        return None

    def _live_origin(self, failed: str) -> str:
        live = [o for o in self.origins if o not in self.dead]
        if not live:  # every address failed once: try them all again
            self.dead = {failed}
            live = [o for o in self.origins if o != failed] or [failed]
        start = self.origins.index(failed) + 1 if failed in self.origins else 0
        ordered = self.origins[start:] + self.origins[:start]
        return next(o for o in ordered if o in live)

    def _moved(self, request, origin: str):
        parts = urlsplit(request.url)
        url = origin + parts.path + (f"?{parts.query}" if parts.query else "")
        self.stats.inc_value("onionwatch/mirror_failovers")
        return request.replace(url=url, dont_filter=True)

    def process_exception(self, request, exception, spider=None):
        if isinstance(exception, IgnoreRequest) or request.meta.get(INTERNAL_META_KEY) \
                or request.meta.get("onionwatch_photo"):
            return None  # (a photo too big or lost is the spider's to record, not a market failure)
        if request.meta.get("proxy") and self.proxy is not None:
            try:
                check_proxy(self.proxy, timeout=5.0)
            except ProxyUnreachable:
                return None  # the routing middleware stops the crawl
        self.failures += 1
        if self.failures >= self.spec.down_after:
            self._down(f"{self.failures} failures in a row, the last: {exception!r}")
            return None
        if len(self.origins) < 2:
            return None  # Scrapy's retry middleware tries the one address again
        failed = _origin(request.url)
        self.dead.add(failed)
        logger.warning("%s: %s failed (%s); trying another address", self.market, failed,
                       type(exception).__name__)
        return self._moved(request, self._live_origin(failed))

    # --- responses -----------------------------------------------------------------------
    async def process_response(self, request, response, spider=None):
        if request.meta.get(INTERNAL_META_KEY):
            return response
        kind = d.classify(response, self.spec)
        if kind == d.OK:
            if response.status < 500:
                self.failures = 0
                self._speed_up(request)
                self.dead.discard(_origin(response.url))
            if self.spec.mirror_links and isinstance(response, TextResponse):
                self._discover(response)
            return response
        tries = request.meta.get(TRIES_META_KEY, 0) + 1
        if tries > MAX_TRIES:
            self.stats.inc_value("onionwatch/bans")
            logger.error("%s: giving up on %s after %d defence round trips", self.market, request.url, tries)
            raise IgnoreRequest(f"defences did not let {request.url} through")
        if kind == d.DOWN:
            self._down(f"maintenance page at {response.url}", d.retry_after(_headers(response), self.spec.down_for))
            raise IgnoreRequest("market down")
        if kind in (d.LOGGED_OUT, d.CAPTCHA):
            self.stats.inc_value("onionwatch/logged_out")
            await self._login(request.meta.get("onionwatch_epoch", self.epoch))
            return self._again(request, tries, original=True)
        if kind == d.QUEUE:
            self.stats.inc_value("onionwatch/queue_pages")
            await self._pass_queue(response, tries)
            return self._again(request, tries)
        if kind == d.RATE_LIMITED:
            self.stats.inc_value("onionwatch/rate_limited")
            self._slow_down(request)
            await asyncio.sleep(min(d.retry_after(_headers(response), 2.0 ** tries), self.spec.max_wait))
            return self._again(request, tries)
        # server error
        self.stats.inc_value("onionwatch/server_errors")
        if tries > self.spec.retries:
            self.failures += 1
            if self.failures >= self.spec.down_after:
                self._down(f"{self.failures} failures in a row, the last HTTP {response.status}")
            return response
        await asyncio.sleep(min(d.retry_after(_headers(response), 0.25 * 2 ** tries), self.spec.max_wait, 0.25 * 2 ** tries + 2))
        return self._again(request, tries)

    def _again(self, request, tries: int, original: bool = False):
        url = request.url
        if original and request.meta.get("redirect_urls"):
            url = request.meta["redirect_urls"][0]
        again = request.replace(url=url, dont_filter=True)
        for key in ("redirect_urls", "redirect_times", "redirect_ttl", "redirect_reasons", "onionwatch_epoch"):
            again.meta.pop(key, None)
        again.meta[TRIES_META_KEY] = tries
        return again

    def _slot(self, request):
        downloader = self.crawler.engine.downloader
        return downloader.slots.get(downloader.get_slot_key(request))

    def _slow_down(self, request) -> None:
        """Double the market's delay after a 429 (from 50 ms, at most 5 s); it decays on success."""
        if (slot := self._slot(request)) is not None:
            slot.delay = min(max(slot.delay * 2, 0.05), 5.0)

    def _speed_up(self, request) -> None:
        if (slot := self._slot(request)) is not None and slot.delay > self.base_delay:
            slot.delay = max(self.base_delay, slot.delay * 0.9)

    def _discover(self, response) -> None:
        for href in link_urls(response, self.spec.mirror_links):
            origin = _origin(response.urljoin(href))
            host = (urlsplit(origin).hostname or "").lower()
            if origin not in self.origins and host in self.allowed_hosts:
                self.origins.append(origin)
                self.stats.inc_value("onionwatch/mirrors_discovered")

    # --- fetching outside the frontier ----------------------------------------------------
    async def _fetch(self, request):
        request.meta.update({INTERNAL_META_KEY: True, "dont_redirect": True, "handle_httpstatus_all": True,
                             "dont_retry": True})
        for tries in range(1, MAX_TRIES):
            response = await self.crawler.engine.download_async(request)
            kind = d.classify(response, self.spec)
            if kind == d.QUEUE:
                self.stats.inc_value("onionwatch/queue_pages")
                await self._pass_queue(response, tries)
            elif kind == d.RATE_LIMITED or kind == d.SERVER_ERROR:
                await asyncio.sleep(min(d.retry_after(_headers(response), 0.25 * 2 ** tries), self.spec.max_wait))
            else:
                return response
        raise IgnoreRequest(f"could not fetch {request.url} past the market's defences")

    async def _pass_queue(self, response, tries: int) -> None:
        wait = min(d.queue_wait(response, self.spec) * (1.5 ** (tries - 1)), self.spec.max_wait)
        await asyncio.sleep(wait + 0.05)
        link = response.css(f"{self.spec.queue_link}::attr(href)").get()
        if link:
            passed = await self._fetch_raw(Request(response.urljoin(link), dont_filter=True))
            if d.classify(passed, self.spec) == d.QUEUE:  # too early: wait once more and try its own link
                await self._pass_queue(passed, tries + 1)

    async def _fetch_raw(self, request):
        request.meta.update({INTERNAL_META_KEY: True, "dont_redirect": True, "handle_httpstatus_all": True,
                             "dont_retry": True})
        return await self.crawler.engine.download_async(request)

    # --- login ---------------------------------------------------------------------------
    async def _login(self, epoch: int) -> None:
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self.stopping:
                raise IgnoreRequest("the crawl is stopping")
            if self.epoch != epoch:
                return  # another request renewed the session meanwhile
            if self.account is None:
                self._stop("login_needed", f"{self.market} asks to log in and the crawl has no account: "
                           "give one with --account and a credentials file or ONIONWATCH_<MARKET>_USERNAME/PASSWORD")
                raise IgnoreRequest("login needed")
            try:
                await self._log_in()
            except LoginFailed as exc:
                self._stop("login_failed", f"{self.market}: login failed: {exc}")
                raise IgnoreRequest("login failed") from exc

    async def _log_in(self) -> None:
        spec, account = self.spec, self.account
        if self.answer is not None:
            challenge, self.answer = self.answer, None
            form = {**challenge.form_fields, spec.username_field: account.username,
                    spec.password_field: account.password, spec.captcha_field: challenge.answer}
            if await self._post(FormRequest(challenge.form_url, formdata=form, dont_filter=True)):
                clear_challenge(self.job_dir)
                return
            self.stats.inc_value("onionwatch/captcha_wrong")
            clear_challenge(self.job_dir)
        for _ in range(3):
            page = await self._fetch(Request(self.base + spec.login_path, dont_filter=True))
            if not page.css(spec.login_form):
                raise LoginFailed(f"no login form ({spec.login_form}) at {page.url}")
            form = {spec.username_field: account.username, spec.password_field: account.password}
            image = page.css(spec.captcha_image)
            if image:
                self.stats.inc_value("onionwatch/captchas")
                form[spec.captcha_field] = await self._captcha(page, image[0])
            post = FormRequest.from_response(page, formcss=spec.login_form, formdata=form, dont_filter=True)
            if await self._post(post):
                return
            if not image:
                raise LoginFailed(" ".join(page.css(f"{spec.login_error} ::text").getall()) or
                                  "the market did not accept the account")
            self.stats.inc_value("onionwatch/captcha_wrong")
        raise LoginFailed("the CAPTCHA answer was refused three times")

    async def _post(self, request) -> bool:
        request.meta[REDACT_META_KEY] = [self.spec.password_field]  # never archive the password
        result = await self._fetch(request)
        ok = result.status in (301, 302, 303) and d.classify(result, self.spec) != d.LOGGED_OUT
        if ok:
            self.epoch += 1
            self.stats.inc_value("onionwatch/logins")
            if self._jar is not None and self._cookie_file():
                save_cookies(self._jar, self._cookie_file())
        return ok

    async def _captcha(self, page, image) -> str:
        src = page.urljoin(image.attrib.get("src", ""))
        picture = await self._fetch(Request(src, dont_filter=True))
        cid = page.css(f"input[name='{self.spec.captcha_id_field}']::attr(value)").get() or \
            hashlib.sha256(picture.body).hexdigest()[:16]
        if self.oracle:
            answer = await asyncio.to_thread(_ask_oracle, self.oracle, self.market, cid)
            if answer:
                return answer
        if self.job_dir is None:
            self._stop("captcha", f"{self.market} shows a CAPTCHA; crawl with a job folder to answer it later")
            raise IgnoreRequest("captcha")
        form = page.css(self.spec.login_form)[0]
        hidden = {n: v for n, v in zip(form.css("input[type=hidden]::attr(name)").getall(),
                                       form.css("input[type=hidden]::attr(value)").getall())}
        action = page.urljoin(form.attrib.get("action") or page.url)
        challenge = save_challenge(self.job_dir, Challenge(
            market=self.market, crawl_id=self.crawl_id, challenge_id=cid, image="", form_url=action,
            form_fields=hidden), picture.body)
        self._stop("captcha", f"{self.market} shows a CAPTCHA: saved {challenge.image_path}; answer it with "
                   f"`onionwatch captcha answer {self.crawl_id} TEXT` to resume")
        raise IgnoreRequest("captcha")

    # --- stopping ------------------------------------------------------------------------
    def _down(self, why: str, seconds: float | None = None) -> None:
        if self.session_dir is not None:
            mark_down(self.session_dir, self.market, seconds or self.spec.down_for, why)
        self._stop("market_down", f"{self.market} is down ({why}); it will be tried again later")

    def _stop(self, reason: str, message: str) -> None:
        if self.stopping:
            return
        self.stopping = True
        logger.error("%s", message)
        self.stats.set_value("onionwatch/stop_message", message)
        if self.crawler.engine is not None:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=reason))


def _headers(response) -> dict[str, str]:
    value = response.headers.get(b"Retry-After")
    return {"Retry-After": value.decode("latin-1")} if value else {}


def _ask_oracle(oracle: str, market: str, cid: str) -> str | None:
    """The sandbox oracle's answer (loopback only; checked when the run was configured)."""
    import urllib.error
    import urllib.request

    parts = urlsplit(oracle)
    name = parse_qs(parts.query).get("market", [market])[0]
    url = f"{parts.scheme}://{parts.netloc}/captcha?market={name}&id={cid}"
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # the oracle: loopback, checked
            return json.loads(answer.read()).get("answer")
    except (urllib.error.URLError, ValueError):
        return None
