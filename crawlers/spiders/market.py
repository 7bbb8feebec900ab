"""One spider for every market: it reads the market's profile and nothing else.

From the profile's start paths it follows the links the profile names (staying on the market's
own host), recognises listing and vendor pages by URL, reads their fields by selector
(:func:`crawlers.pages.match_page`, :func:`crawlers.pages.read_page`) and yields :class:`~onionwatch.core.models.Listing` and
:class:`~onionwatch.core.models.VendorAccount` records that point to their WARC evidence. A page that
matches a kind but lacks a required field is logged and yielded as a ``parse_error`` record,
never dropped silently. A listing's photos (the profile's ``photos`` selector) are fetched through
the same circuit before its record is yielded (:mod:`crawlers.photos`).
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, AsyncIterator
from urllib.parse import urlsplit

import scrapy
from scrapy.http import TextResponse

from crawlers.middlewares.tor import ACCOUNT_META_KEY
from crawlers.middlewares.unreachable import TRANSIENT
from crawlers.middlewares.warc import EVIDENCE_META_KEY
from crawlers.pages import match_page, page_path, path_tail, read_fields, read_page
from crawlers.photos import (DEFAULT_PHOTO_MAXSIZE, DEFAULT_PHOTOS_PER_LISTING, PHOTO_META_KEY, photo_entry,
                             photo_urls)
from crawlers.profile import MarketProfile
from crawlers.selectors import link_urls
from onionwatch.core.models import Listing

logger = logging.getLogger(__name__)

#: Tries of a photo whose connection failed (1 s, 2 s, 4 s apart); then it is recorded without evidence.
PHOTO_TRIES = 4
#: Links remembered as already followed; past this many the memory starts again (the frontier still
#: drops every repeat, this only saves the repeats' trip through Scrapy).
FOLLOWED_MEMORY = 100_000

__all__ = ["MarketSpider", "read_fields", "path_tail"]


class MarketSpider(scrapy.Spider):
    name = "market"

    def __init__(self, profile: MarketProfile, *args, login=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.profile = profile
        self.login = login  # a crawlers.accounts.Account, read by the session middleware
        self.market = profile.name
        self.allowed_domains = [urlsplit(profile.base_url).hostname]
        self._followed: set[str] = set()

    async def start(self):
        for path in self.profile.start_paths:
            yield scrapy.Request(self.profile.base_url + path)  # (no callback: Scrapy calls parse)

    async def parse(self, response) -> AsyncIterator[Any]:
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("onionwatch/non_html_pages")
            return
        found = match_page(self.profile, response, page_path(response.url))
        if found is not None:
            rule, groups = found
            for record in read_page(self.profile.name, rule, groups, response, response.meta.get(EVIDENCE_META_KEY)):
                if isinstance(record, dict) and record.get("kind") == "parse_error":
                    self.crawler.stats.inc_value("onionwatch/parse_errors")
                elif isinstance(record, Listing) and rule.photos:
                    record.fields["photos"] = await self.fetch_photos(response, rule.photos)
                yield record
        for selector in self.profile.follow:
            for request in response.follow_all(urls=self._unfollowed(response, link_urls(response, selector))):
                yield request

    def _unfollowed(self, response, urls: list[str]) -> list[str]:
        """The links not yet followed by this process, as absolute URLs.

        A market's menus, category trees and pagination repeat on every page, so most links found
        were followed before. The frontier would drop each repeat (by request fingerprint), but only
        after its trip through every spider middleware and the scheduler; a repeat of the exact URL
        is dropped here instead. Other repeats (another spelling of the same URL) still reach the
        frontier, which stays the judge."""
        if len(self._followed) > FOLLOWED_MEMORY:
            self._followed.clear()
        new = []
        for url in urls:
            absolute = response.urljoin(url)
            if absolute not in self._followed:
                self._followed.add(absolute)
                new.append(absolute)
        return new

    async def fetch_photos(self, response, selector: str) -> list[dict[str, Any]]:
        """Fetch a listing page's photos through the page's circuit (archived by the WARC
        middleware); their record entries, in page order."""
        settings = self.crawler.settings
        urls = photo_urls(response, selector,
                          limit=settings.getint("ONIONWATCH_PHOTOS_PER_LISTING", DEFAULT_PHOTOS_PER_LISTING))
        maxsize = settings.getint("ONIONWATCH_PHOTO_MAXSIZE", DEFAULT_PHOTO_MAXSIZE)
        host = urlsplit(response.url).hostname

        async def fetch(url: str) -> dict[str, Any]:
            if urlsplit(url).hostname != host:  # a picture on another host is not fetched
                self.crawler.stats.inc_value("onionwatch/photos_offsite")
                return photo_entry(url, None)
            # (not an internal request: the session middleware waits out rate limits and queues for it)
            meta = {PHOTO_META_KEY: True, "download_maxsize": maxsize,
                    "download_warnsize": 0, "dont_redirect": True, "dont_retry": True,
                    "handle_httpstatus_all": True}
            if response.meta.get(ACCOUNT_META_KEY):
                meta[ACCOUNT_META_KEY] = response.meta[ACCOUNT_META_KEY]
            for attempt in range(PHOTO_TRIES):
                try:
                    photo = await self.crawler.engine.download_async(
                        scrapy.Request(url, dont_filter=True, meta=dict(meta), headers={"Referer": response.url}))
                    break
                except Exception as exc:  # noqa: BLE001 - a photo lost is logged and counted; the listing is kept
                    if attempt + 1 < PHOTO_TRIES and isinstance(exc, TRANSIENT):
                        await asyncio.sleep(2 ** attempt)  # a connection dropped (a service restarting)
                        continue
                    logger.warning("%s: photo %s not fetched: %s", self.market, url, exc)
                    self.crawler.stats.inc_value("onionwatch/photo_errors")
                    return photo_entry(url, None)
            if not 200 <= photo.status < 300 or isinstance(photo, TextResponse):  # an error page, no picture
                self.crawler.stats.inc_value("onionwatch/photo_errors")
                return photo_entry(url, None)
            self.crawler.stats.inc_value("onionwatch/photos")
            return photo_entry(url, photo.meta.get(EVIDENCE_META_KEY))

        return list(await asyncio.gather(*(fetch(url) for url in urls)))
