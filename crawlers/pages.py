"""A market page to records: the profile's page rules applied to one response. Pure: no I/O.

The spider calls :func:`records_from_page` on every page it fetches; :mod:`crawlers.replay` calls it
on every page the WARC archive holds, so the records rebuilt from the archive are the crawl's.

>>> from scrapy.http import HtmlResponse
>>> from crawlers.profile import parse_profile
>>> profile = parse_profile({"name": "m", "base_url": "http://127.0.0.1:8800", "pages": {"listing": {
...     "url": "^/item/(?P<listing_id>\\\\d+)$", "fields": {"title": "h1", "price": "td.p"}}}})
>>> page = HtmlResponse("http://127.0.0.1:8800/item/7", body=b"<h1>Pills</h1><td class=p>$5</td>", encoding="utf-8")
>>> [(r.listing_id, r.title, r.fields["price"]) for r in records_from_page(profile, page, None)]
[('7', 'Pills', '$5')]
"""
from __future__ import annotations

import logging
from typing import Any, Iterator
from urllib.parse import unquote, urlsplit

from crawlers.profile import FieldRule, MarketProfile, PageRule
from crawlers.selectors import finds, first_match, read_texts
from onionwatch.core.models import Evidence, Listing, VendorAccount

__all__ = ["records_from_page", "read_fields", "read_field", "read_page", "match_page", "content_xpath",
           "merge_records", "page_path", "path_tail"]

logger = logging.getLogger(__name__)


def read_field(page, rule: FieldRule) -> tuple[list[str], Any]:
    """One field of a page: the texts its selector read (before any ``re``), and its value: a
    string, a list (``all``), or None when absent (or when ``re`` matched none of the texts)."""
    texts = read_texts(page, rule.selector, attr=rule.attr, keep_whitespace=rule.keep_whitespace)
    values = texts if rule.re is None else [v for v in (first_match(rule.re, t) for t in texts) if v]
    return texts, (values if rule.all else (values[0] if values else None))


def read_fields(response, rules: tuple[FieldRule, ...]) -> dict[str, Any]:
    """Read each field rule from a response: a string, a list (``all``) or None when absent."""
    return {rule.name: read_field(response, rule)[1] for rule in rules}


def page_path(url: str) -> str:
    """What page rules match: ``/path?query``."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def path_tail(url: str) -> str:
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]


def match_page(profile: MarketProfile, page, path: str | None) -> tuple[PageRule, dict[str, str]] | None:
    """The first rule that takes the page, and its URL groups; None for pages of no kind.
    ``path`` is what URL patterns see (:func:`page_path`); None for a saved page of unknown address."""
    for rule in profile.rules:
        groups = rule.applies(path, page)
        if groups is not None:
            return rule, groups
    return None


def records_from_page(profile: MarketProfile, response, evidence: Evidence | None) -> Iterator[Any]:
    """The listing or vendor record a page holds (or a ``parse_error`` record), by the first page
    rule that takes it; nothing for other pages."""
    found = match_page(profile, response, page_path(response.url))
    if found is not None:
        yield from read_page(profile.name, found[0], found[1], response, evidence)


def content_xpath(rule: PageRule, page) -> str | None:
    """The XPath of the listing's own area when the rule's ``content`` selector finds it on the
    page (the record's ``fields["content"]``), else None."""
    if rule.content is None or not finds(page, rule.content):
        return None
    return rule.content.path


def read_page(market: str, rule: PageRule, groups: dict[str, str], response,
              evidence: Evidence | None) -> Iterator[Any]:
    """The record of a page a rule took (see :func:`records_from_page`)."""
    kind = rule.kind
    try:
        fields = read_fields(response, rule.fields)
    except Exception as exc:  # noqa: BLE001  (an XPath that compiled but fails on this page's content)
        logger.error("%s page %s: a selector of rule %s failed: %s", kind, response.url, rule.name, exc)
        yield {"kind": "parse_error", "market": market, "page_kind": kind, "rule": rule.name, "url": response.url,
               "missing": [], "error": f"a selector failed: {exc}", "evidence": evidence.to_dict() if evidence else None}
        return
    missing = [name for name in rule.required if not fields.get(name)]
    if missing:
        logger.warning("%s page %s lacks required field(s) %s (rule %s)", kind, response.url, missing, rule.name)
        yield {"kind": "parse_error", "market": market, "page_kind": kind, "rule": rule.name, "url": response.url,
               "missing": missing, "evidence": evidence.to_dict() if evidence else None}
        return
    content = content_xpath(rule, response)
    if content is not None:
        fields["content"] = {"xpath": content}
    if kind == "listing":
        yield Listing(
            market=market,
            listing_id=unquote(groups.get("listing_id") or fields.get("listing_id") or path_tail(response.url)),
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


#: Record keys that identify a record or its first page: never taken from a later page.
_IDENTITY = frozenset({"kind", "market", "listing_id", "handle", "url", "evidence", "photos"})


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _merge_values(old: Any, new: Any) -> tuple[Any, bool]:
    """What the older record keeps: its own value when it has one, else the newer one; lists
    gain the newer list's items they lack."""
    if _empty(new):
        return old, False
    if _empty(old):
        return new, True
    if isinstance(old, list) and isinstance(new, list):
        added = [v for v in new if v not in old]
        return (old + added, True) if added else (old, False)
    return old, False


def merge_records(old: dict, new: dict) -> dict | None:
    """One record from two pages of the same thing (a vendor's profile tab and PGP tab: same
    kind, market and key): ``old`` with the values only ``new`` has, and ``new``'s page added to
    ``fields["pages"]`` (``[{"url", "evidence"}]``, the pages merged in after the record's own);
    None when ``new`` adds nothing (the same page fetched again).

    >>> a = {"kind": "vendor", "market": "m", "handle": "bob", "pgp_key": None, "contacts": ["x"],
    ...      "fields": {"handle": "bob", "joined": "2018"}, "url": "/bob", "evidence": None}
    >>> b = {**a, "pgp_key": "KEY", "contacts": ["x", "y"], "fields": {"handle": "bob", "pgp_key": "KEY"}, "url": "/bob/pgp"}
    >>> m = merge_records(a, b); m["pgp_key"], m["contacts"], sorted(m["fields"]), m["fields"]["pages"][0]["url"]
    ('KEY', ['x', 'y'], ['handle', 'joined', 'pages', 'pgp_key'], '/bob/pgp')
    >>> merge_records(m, b) is None
    True
    """
    if old.get("kind") not in ("listing", "vendor"):
        return None
    merged = dict(old)
    fields = dict(old.get("fields") or {})
    changed = False
    for key, value in new.items():
        if key in _IDENTITY or key == "fields":
            continue
        merged[key], added = _merge_values(merged.get(key), value)
        changed |= added
    for name, value in (new.get("fields") or {}).items():
        if name == "pages" or (name == "photos" and fields.get("photos")):
            continue  # (photos fetched again differ by their evidence only)
        fields[name], added = _merge_values(fields.get(name), value)
        changed |= added
    if not changed:
        return None
    fields["pages"] = [*(fields.get("pages") or []), {"url": new.get("url"), "evidence": new.get("evidence")}]
    merged["fields"] = fields
    if merged.get("kind") == "listing" and isinstance(fields.get("photos"), list):
        merged["photos"] = fields["photos"]
    return merged
