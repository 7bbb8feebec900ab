"""One spider for every market: it reads the market's profile and nothing else.

From the profile's start paths it follows the links the profile names (staying on the market's
own host), recognises listing and vendor pages by URL, reads their fields by selector
(:func:`crawlers.pages.records_from_page`) and yields :class:`~onionwatch.models.Listing` and
:class:`~onionwatch.models.VendorAccount` records that point to their WARC evidence. A page that
matches a kind but lacks a required field is logged and yielded as a ``parse_error`` record,
never dropped silently.
"""
from __future__ import annotations

from typing import Any, Iterator
from urllib.parse import urlsplit

import scrapy
from scrapy.http import TextResponse

from crawlers.middlewares.warc import EVIDENCE_META_KEY
from crawlers.pages import path_tail, read_fields, records_from_page
from crawlers.profile import MarketProfile

__all__ = ["MarketSpider", "read_fields", "path_tail"]


class MarketSpider(scrapy.Spider):
    name = "market"

    def __init__(self, profile: MarketProfile, *args, login=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.profile = profile
        self.login = login  # a crawlers.accounts.Account, read by the session middleware
        self.market = profile.name
        self.allowed_domains = [urlsplit(profile.base_url).hostname]

    async def start(self):
        for path in self.profile.start_paths:
            yield scrapy.Request(self.profile.base_url + path, callback=self.parse)

    def parse(self, response) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("onionwatch/non_html_pages")
            return
        for record in records_from_page(self.profile, response, response.meta.get(EVIDENCE_META_KEY)):
            if isinstance(record, dict) and record.get("kind") == "parse_error":
                self.crawler.stats.inc_value("onionwatch/parse_errors")
            yield record
        for selector in self.profile.follow:
            yield from response.follow_all(css=selector, callback=self.parse)
