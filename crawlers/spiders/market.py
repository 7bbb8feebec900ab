"""One spider for every market: it reads the market's profile and nothing else.

From the profile's start paths it follows the links the profile names (staying on the market's
own host), recognises listing and vendor pages by URL, reads their fields by selector and yields
:class:`~onionwatch.models.Listing` and :class:`~onionwatch.models.VendorAccount` records that
point to their WARC evidence. A page that matches a kind but lacks a required field is logged and
yielded as a ``parse_error`` record, never dropped silently.
"""
from __future__ import annotations

from typing import Any, Iterator
from urllib.parse import unquote, urlsplit

import scrapy

from crawlers.middlewares.warc import EVIDENCE_META_KEY
from crawlers.profile import FieldRule, MarketProfile, PageRule
from onionwatch.models import Listing, VendorAccount

__all__ = ["MarketSpider", "read_fields"]


def _text(selector, rule: FieldRule) -> str:
    if rule.attr:
        return (selector.attrib.get(rule.attr) or "").strip()
    raw = selector.xpath("string()").get() or ""
    return raw.strip() if rule.keep_whitespace else " ".join(raw.split())


def read_fields(response, rules: tuple[FieldRule, ...]) -> dict[str, Any]:
    """Read each field rule from a response: a string, a list (``all``) or None when absent."""
    values: dict[str, Any] = {}
    for rule in rules:
        found = response.css(rule.css) if rule.css else response.xpath(rule.xpath)
        texts = [t for t in (_text(sel, rule) for sel in found) if t]
        values[rule.name] = texts if rule.all else (texts[0] if texts else None)
    return values


class MarketSpider(scrapy.Spider):
    name = "market"

    def __init__(self, profile: MarketProfile, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.profile = profile
        self.market = profile.name
        self.allowed_domains = [urlsplit(profile.base_url).hostname]

    async def start(self):
        for path in self.profile.start_paths:
            yield scrapy.Request(self.profile.base_url + path, callback=self.parse)

    def parse(self, response) -> Iterator[Any]:
        if not hasattr(response, "css"):
            self.crawler.stats.inc_value("onionwatch/non_html_pages")
            return
        parts = urlsplit(response.url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        for kind, rule in self.profile.pages.items():
            groups = rule.match(path)
            if groups is not None:
                yield from self._read_page(kind, rule, groups, response)
                break
        for selector in self.profile.follow:
            yield from response.follow_all(css=selector, callback=self.parse)

    def _read_page(self, kind: str, rule: PageRule, groups: dict[str, str], response) -> Iterator[Any]:
        fields = read_fields(response, rule.fields)
        missing = [name for name in rule.required if not fields.get(name)]
        evidence = response.meta.get(EVIDENCE_META_KEY)
        if missing:
            self.logger.warning("%s page %s lacks required field(s) %s", kind, response.url, missing)
            self.crawler.stats.inc_value("onionwatch/parse_errors")
            yield {"kind": "parse_error", "market": self.market, "page_kind": kind, "url": response.url,
                   "missing": missing, "evidence": evidence.to_dict() if evidence else None}
            return
        if kind == "listing":
            yield Listing(
                market=self.market,
                listing_id=unquote(groups.get("listing_id") or path_tail(response.url)),
                url=response.url,
                title=fields.get("title") or "",
                vendor=fields.get("vendor"),
                description=_paragraphs(fields.get("description")),
                category=fields.get("category"),
                fields=fields,
                evidence=evidence,
            )
        elif kind == "vendor":
            yield VendorAccount(
                market=self.market,
                handle=fields.get("handle") or unquote(groups.get("handle") or path_tail(response.url)),
                url=response.url,
                pgp_key=fields.get("pgp_key"),
                btc_addresses=_as_list(fields.get("btc")),
                xmr_addresses=_as_list(fields.get("xmr")),
                contacts=_as_list(fields.get("contacts")),
                profile_text=fields.get("profile_text") or "",
                fields=fields,
                evidence=evidence,
            )


def path_tail(url: str) -> str:
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]


def _paragraphs(value: Any) -> str:
    """A text field read as one string, or as a list of paragraphs joined by blank lines."""
    if isinstance(value, list):
        return "\n\n".join(value)
    return value or ""


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]
