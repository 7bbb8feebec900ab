"""Listing photos: which pictures a listing page shows, and the record entry of each fetched one.

The profile's listing rule names a CSS selector (``photos: div.photos img``); :func:`photo_urls`
reads the pictures' addresses from a page (pure, no I/O). The spider fetches each one through the
same proxy and circuit as the page, bounded by ``ONIONWATCH_PHOTO_MAXSIZE`` bytes and at most
``ONIONWATCH_PHOTOS_PER_LISTING`` pictures; the WARC middleware archives them like every response,
and the listing record carries ``fields["photos"]`` (written to the records file as ``photos``
too): ``[{"url": ..., "evidence": {...}}]`` in page order, ``evidence`` None for a photo that could
not be fetched. :mod:`crawlers.replay` rebuilds the same list from the archive alone, and
:func:`graph.photos.hash_listing_photos` hashes the archived bytes.

>>> from scrapy.http import HtmlResponse
>>> page = HtmlResponse("http://m.onion/item/7", encoding="utf-8", body=b'<div class=p>'
...     b'<img src="/img/7-1.jpg"><img src="/img/7-2.jpg"><img src="/img/7-1.jpg"><img></div>')
>>> photo_urls(page, "div.p img")
['http://m.onion/img/7-1.jpg', 'http://m.onion/img/7-2.jpg']
>>> photo_urls(page, "div.p img", limit=1)
['http://m.onion/img/7-1.jpg']
>>> photo_urls(page, "div.p img::attr(src)")
['http://m.onion/img/7-1.jpg', 'http://m.onion/img/7-2.jpg']
"""
from __future__ import annotations

from typing import Any

from crawlers.selectors import css_found

__all__ = ["photo_urls", "photo_entry", "PHOTO_META_KEY", "DEFAULT_PHOTO_MAXSIZE", "DEFAULT_PHOTOS_PER_LISTING"]

#: ``meta`` flag of a photo fetch (the retry and session middlewares leave it to the spider).
PHOTO_META_KEY = "onionwatch_photo"
#: Bytes a photo may have (``ONIONWATCH_PHOTO_MAXSIZE``): larger ones are cut off, not archived.
DEFAULT_PHOTO_MAXSIZE = 2 * 1024 * 1024
#: Photos read per listing (``ONIONWATCH_PHOTOS_PER_LISTING``).
DEFAULT_PHOTOS_PER_LISTING = 8

_ATTRIBUTES = ("src", "data-src", "href")


def photo_urls(response, selector: str, *, limit: int = DEFAULT_PHOTOS_PER_LISTING) -> list[str]:
    """Absolute addresses of the photos ``selector`` finds (``src``, ``data-src`` or ``href``, or
    the value an ``::attr()`` selects), in page order, each once, at most ``limit``; ``data:`` URIs
    and empty attributes are skipped."""
    urls: list[str] = []
    for found in css_found(response, selector):
        if isinstance(found, str):
            raw = found.strip()
        else:
            raw = next((value.strip() for a in _ATTRIBUTES if (value := found.get(a)) and value.strip()), "")
        if not raw or raw.lower().startswith(("data:", "javascript:")):
            continue
        url = response.urljoin(raw)
        if url not in urls:
            urls.append(url)
        if len(urls) >= limit:
            break
    return urls


def photo_entry(url: str, evidence: Any) -> dict[str, Any]:
    """A listing record's entry for one photo: its address and the evidence of its archived bytes."""
    return {"url": url, "evidence": evidence.to_dict() if evidence is not None else None}
