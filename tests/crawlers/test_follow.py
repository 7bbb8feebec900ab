"""The spider follows each link once: a menu repeated on every page is yielded from the first page
only, so its repeats never travel through the spider middlewares and the scheduler."""
from __future__ import annotations

import asyncio

from scrapy import Request
from scrapy.http import HtmlResponse

from crawlers.profile import parse_profile
from crawlers.spiders.market import MarketSpider

PROFILE = {"name": "m", "base_url": "http://127.0.0.1:1", "follow": ["nav a", "a.next"],
           "pages": {"listing": {"url": r"^/item/(?P<listing_id>\d+)$", "fields": {"title": "h1"},
                                 "required": ["title"]}}}
MENU = b"<nav><a href='/c/pills'>pills</a> <a href='http://127.0.0.1:1/c/powders'>powders</a></nav>"


def _page(path: str, body: bytes) -> HtmlResponse:
    return HtmlResponse(f"http://127.0.0.1:1{path}", body=b"<html><body>" + MENU + body + b"</body></html>",
                        encoding="utf-8")


def _followed(spider: MarketSpider, response: HtmlResponse) -> list[str]:
    async def collect():
        return [out.url async for out in spider.parse(response) if isinstance(out, Request)]
    return asyncio.run(collect())


def test_each_link_is_followed_once_whatever_its_spelling_on_the_page():
    spider = MarketSpider(parse_profile(PROFILE))
    first = _followed(spider, _page("/c/pills", b"<a class=next href='/c/pills?page=2'>2</a>"))
    assert first == ["http://127.0.0.1:1/c/pills", "http://127.0.0.1:1/c/powders", "http://127.0.0.1:1/c/pills?page=2"]
    # the same menu (one link written relative, one absolute) and a link seen before: nothing new
    assert _followed(spider, _page("/c/powders", b"<a class=next href='/c/pills?page=2'>2</a>")) == []
    assert _followed(spider, _page("/c/pills?page=2", b"<a class=next href='?page=3'>3</a>")) == [
        "http://127.0.0.1:1/c/pills?page=3"]


def test_a_new_spider_follows_again():
    """The memory is the process's own: a resumed crawl's frontier, not the spider, knows what was done."""
    page = _page("/", b"")
    assert len(_followed(MarketSpider(parse_profile(PROFILE)), page)) == 2
    assert len(_followed(MarketSpider(parse_profile(PROFILE)), page)) == 2
