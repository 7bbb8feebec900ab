"""A market page to records: the profile's page rules applied to one response. Pure: no I/O.

The spider calls :func:`records_from_page` on every page it fetches; :mod:`crawlers.replay` calls it
on every page the WARC archive holds, so the records rebuilt from the archive are the crawl's.

>>> from scrapy.http import HtmlResponse
>>> from crawlers.profile import parse_profile
>>> profile = parse_profile({"name": "m", "base_url": "http://m.onion", "pages": {"listing": {
...     "url": "^/item/(?P<listing_id>\\\\d+)$", "fields": {"title": "h1", "price": "td.p"}}}})
>>> page = HtmlResponse("http://m.onion/item/7", body=b"<h1>Pills</h1><td class=p>$5</td>", encoding="utf-8")
>>> [(r.listing_id, r.title, r.fields["price"]) for r in records_from_page(profile, page, None)]
[('7', 'Pills', '$5')]
"""
from __future__ import annotations

import logging
from typing import Any, Iterator
from urllib.parse import unquote, urlsplit

from crawlers.profile import FieldRule, MarketProfile, PageRule
from onionwatch.core.models import Evidence, Listing, VendorAccount

__all__ = ["records_from_page", "read_fields", "page_path", "path_tail"]

logger = logging.getLogger(__name__)


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


def page_path(url: str) -> str:
    """What page rules match: ``/path?query``."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def path_tail(url: str) -> str:
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]


def records_from_page(profile: MarketProfile, response, evidence: Evidence | None) -> Iterator[Any]:
    """The listing or vendor record a page holds (or a ``parse_error`` record), by the first page
    rule whose URL pattern matches; nothing for other pages."""
    path = page_path(response.url)
    for kind, rule in profile.pages.items():
        groups = rule.match(path)
        if groups is not None:
            yield from _read_page(profile.name, kind, rule, groups, response, evidence)
            return


def _read_page(market: str, kind: str, rule: PageRule, groups: dict[str, str], response,
               evidence: Evidence | None) -> Iterator[Any]:
    fields = read_fields(response, rule.fields)
    missing = [name for name in rule.required if not fields.get(name)]
    if missing:
        logger.warning("%s page %s lacks required field(s) %s", kind, response.url, missing)
        yield {"kind": "parse_error", "market": market, "page_kind": kind, "url": response.url,
               "missing": missing, "evidence": evidence.to_dict() if evidence else None}
        return
    if kind == "listing":
        yield Listing(
            market=market,
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
            market=market,
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


def _paragraphs(value: Any) -> str:
    """A text field read as one string, or as a list of paragraphs joined by blank lines."""
    if isinstance(value, list):
        return "\n\n".join(value)
    return value or ""


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]
