"""The routing middleware and download handler, built as Scrapy builds them (``get_crawler``)."""
from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.test import get_crawler

from crawlers.downloader.socks import DirectConnectionRefused, check_route
from crawlers.middlewares.tor import TorRoutingMiddleware
from crawlers.tor import ProxyUnreachable, check_proxy, parse_proxy

ONION = "examplemarket7xq2.onion"


def _middleware(**settings):
    crawler = get_crawler(settings_dict={"ONIONWATCH_MARKET": "m", "ONIONWATCH_ALLOWED_HOSTS": [ONION, "127.0.0.1"],
                                         "ONIONWATCH_PROXY": "socks5h://127.0.0.1:9050", **settings})
    return TorRoutingMiddleware.from_crawler(crawler), crawler


def test_market_requests_get_their_circuit_credentials():
    middleware, _ = _middleware(ONIONWATCH_ACCOUNT="buyer1")
    request = Request(f"http://{ONION}/listing/1")
    middleware.process_request(request)
    assert request.meta["proxy"] == "socks5h://m:buyer1@127.0.0.1:9050"
    other = Request(f"http://{ONION}/", meta={"onionwatch_account": "seller"})
    middleware.process_request(other)
    assert other.meta["proxy"] == "socks5h://m:seller@127.0.0.1:9050"


def test_redirect_to_a_clearnet_host_is_not_followed():
    middleware, crawler = _middleware()
    crawler.stats.open_spider()
    with pytest.raises(IgnoreRequest):
        middleware.process_request(Request("https://tracker.example.com/pixel"))
    assert crawler.stats.get_value("onionwatch/refused_offsite") == 1


def test_loopback_goes_direct_only_when_allowed():
    direct, _ = _middleware()
    request = Request("http://127.0.0.1:8800/")
    direct.process_request(request)
    assert "proxy" not in request.meta
    proxied, _ = _middleware(ONIONWATCH_DIRECT_LOOPBACK=False)
    proxied.process_request(request)
    assert request.meta["proxy"].startswith("socks5h://m:public@")


def test_handler_refuses_anything_that_would_go_around_the_proxy():
    tor = parse_proxy("socks5h://127.0.0.1:9050")
    with pytest.raises(DirectConnectionRefused, match="never connects to a market directly"):
        check_route(Request(f"http://{ONION}/"), tor, direct_loopback=True)
    with pytest.raises(DirectConnectionRefused, match="is not the configured"):
        check_route(Request(f"http://{ONION}/", meta={"proxy": "socks5h://10.0.0.9:1080"}), tor, True)
    with pytest.raises(DirectConnectionRefused):
        check_route(Request("http://127.0.0.1:8800/"), tor, direct_loopback=False)
    check_route(Request(f"http://{ONION}/", meta={"proxy": "socks5h://m:public@127.0.0.1:9050"}), tor, True)
    check_route(Request("http://127.0.0.1:8800/"), tor, direct_loopback=True)


def test_proxy_settings_are_checked():
    with pytest.raises(ValueError, match="use a SOCKS5 URL"):
        parse_proxy("http://127.0.0.1:8118")
    with pytest.raises(ValueError, match="leave the credentials out"):
        parse_proxy("socks5h://u:p@127.0.0.1:9050")
    with pytest.raises(ProxyUnreachable, match="never falls back"):
        check_proxy(parse_proxy("socks5h://127.0.0.1:9"), timeout=2)
