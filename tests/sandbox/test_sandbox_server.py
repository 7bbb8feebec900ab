"""The served market over real sockets: every truth value is on its page, under its selector."""
from __future__ import annotations

import logging
from collections import Counter
from html import escape

import pytest
from parsel import Selector

from onionwatch.sandbox import build_world, serve


def _text(sel: Selector, css: str) -> str | None:
    found = sel.css(css).xpath("string()").get()
    return found.strip() if found is not None else None


def _rows(sel: Selector) -> list[str]:
    return sel.css("table.listings tbody tr.listing::attr(data-listing-id)").getall()


def test_every_listing_page_shows_its_truth(client, truth_listings):
    for r in truth_listings:
        status, headers, body = client.request(r["url_path"])
        assert status == 200
        assert headers["content-type"] == "text/html; charset=utf-8"
        html = body.decode("utf-8")
        for field in ("title", "vendor", "price_text", "price_btc_text", "price_xmr_text",
                      "ships_from_text", "ships_to_text", "category"):
            assert escape(r[field]) in html, (r["listing_id"], field)
        sel = Selector(text=html)
        assert _text(sel, "h1.title") == r["title"]
        assert _text(sel, "td.listing-id") == r["listing_id"]
        assert _text(sel, "td.vendor a.vendor") == r["vendor"]
        assert sel.css("td.vendor a.vendor::attr(href)").get() == f"/vendor/{r['vendor']}"
        assert _text(sel, "td.category a.category") == r["category"]
        assert sel.css("td.category a::attr(href)").get() == f"/category/{r['category_slug']}"
        assert _text(sel, "td.price-usd") == r["price_text"]
        assert _text(sel, "td.price-btc") == r["price_btc_text"]
        assert _text(sel, "td.price-xmr") == r["price_xmr_text"]
        assert _text(sel, "td.ships-from") == r["ships_from_text"]
        assert _text(sel, "td.ships-to") == r["ships_to_text"]
        assert _text(sel, "td.escrow") == ("Yes" if r["escrow"] else "No")
        assert _text(sel, "td.finalize-early") == ("Yes" if r["finalize_early"] else "No")
        paragraphs = [p.xpath("string()").get().strip() for p in sel.css("div.description p")]
        assert "\n\n".join(paragraphs) == r["description"]


def test_every_vendor_page_shows_its_truth(client, truth_vendors):
    for v in truth_vendors:
        sel = Selector(text=client.get_text(v["url_path"]))
        assert _text(sel, "h1.vendor-handle") == v["handle"]
        paragraphs = [p.xpath("string()").get().strip() for p in sel.css("div.profile-text p")]
        assert paragraphs == v["profile_paragraphs"] and " ".join(paragraphs) == v["profile"]
        assert _text(sel, "td.member-since") == str(v["member_since"])
        assert _text(sel, "td.sales") == str(v["sales"])
        assert _text(sel, "td.rating") == v["rating"]
        if v["pgp_key"]:
            assert _text(sel, "pre.pgp-key") == v["pgp_key"]
        else:
            assert sel.css("p.no-pgp-key") and not sel.css("pre.pgp-key")
        assert sel.css("code.btc-address::text").getall() == v["btc"]
        assert sel.css("code.xmr-address::text").getall() == v["xmr"]
        contacts = [{"kind": li.attrib["data-kind"], "value": _text(li, "span.contact-value")}
                    for li in sel.css("ul.contacts li.contact")]
        assert contacts == v["contacts"]


def _walk(client, first_path: str) -> list[str]:
    """Listing ids on ``first_path`` and every page reached through rel=next links."""
    ids, path, seen = [], first_path, set()
    while path:
        assert path not in seen, "pagination loops"
        seen.add(path)
        sel = Selector(text=client.get_text(path))
        ids += _rows(sel)
        path = sel.css("a[rel=next]::attr(href)").get()
    return ids


def test_pagination_reaches_every_listing_exactly_once(client, truth, truth_listings):
    index = Selector(text=client.get_text("/"))
    category_paths = index.css("ul.categories a.category::attr(href)").getall()
    assert category_paths == truth[0]["category_paths"]
    assert index.css("ul.categories a.category::text").getall() == truth[0]["categories"]
    counts = Counter()
    pages = 0
    for path in category_paths:
        ids = _walk(client, path)
        pages += -(-len(ids) // truth[0]["page_size"])
        counts.update(ids)
    assert pages > len(category_paths), "some category must span several pages"
    assert set(counts.values()) == {1}
    assert set(counts) == {r["listing_id"] for r in truth_listings}


def test_vendor_pages_paginate_their_listings(client, truth_vendors):
    for v in truth_vendors:
        assert _walk(client, v["url_path"]) == v["listings"]


def test_listing_rows_match_truth(client, truth_listings):
    by_id = {r["listing_id"]: r for r in truth_listings}
    sel = Selector(text=client.get_text("/category/opioids"))
    rows = sel.css("tr.listing")
    assert 0 < len(rows) <= 20
    for row in rows:
        r = by_id[row.attrib["data-listing-id"]]
        assert _text(row, "td.title a.listing-link") == r["title"]
        assert row.css("a.listing-link::attr(href)").get() == r["url_path"]
        assert _text(row, "td.vendor a.vendor") == r["vendor"]
        assert _text(row, "td.price-usd") == r["price_text"]
        assert _text(row, "td.ships-from") == r["ships_from_text"]
        assert _text(row, "td.ships-to") == r["ships_to_text"]


def test_pagination_links(client):
    first = Selector(text=client.get_text("/category/opioids"))
    total = int(_text(first, "span.page-total"))
    assert total > 1 and _text(first, "span.page-current") == "1"
    assert not first.css("a[rel=prev]")
    assert first.css("a[rel=next]::attr(href)").get() == "/category/opioids?page=2"
    last = Selector(text=client.get_text(f"/category/opioids?page={total}"))
    assert not last.css("a[rel=next]")
    assert last.css("a[rel=prev]::attr(href)").get() == f"/category/opioids?page={total - 1}"


def test_hostile_text_is_escaped(client, truth_listings):
    (hostile,) = [r for r in truth_listings if "<script>" in r["description"]]
    html = client.get_text(hostile["url_path"])
    assert "<script" not in html and "<img src=x" not in html and "onerror=\"" not in html
    assert escape('<script>alert("sandbox-xss")</script>') in html
    sel = Selector(text=html)
    assert not sel.css("script") and not sel.css("div.description img")
    assert any("<script>" in p for p in sel.css("div.description p::text").getall())


def test_no_page_carries_markup_from_market_text(client, truth_listings, truth_vendors):
    for path in ["/"] + [v["url_path"] for v in truth_vendors[:5]] + ["/category/opioids"]:
        assert "<script" not in client.get_text(path)


@pytest.mark.parametrize("path", [
    "/nope", "/listing/", "/listing/0", "/listing/abc", "/category/", "/category/unknown",
    "/category/opioids?page=0", "/category/opioids?page=999", "/category/opioids?page=x",
    "/category/opioids?page=01", "/vendor/", "/vendor/nobody", "/category/opioids/extra",
    "/robots.txt",
])
def test_unknown_paths_are_404(client, path):
    status, headers, body = client.request(path)
    assert status == 404
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert b"404" in body


def test_non_canonical_listing_id_is_404(client, truth_listings):
    listing_id = truth_listings[0]["listing_id"]
    assert client.request(f"/listing/0{listing_id}")[0] == 404
    assert client.request(f"/listing/{listing_id}")[0] == 200


def test_head_has_headers_and_no_body(client):
    status, headers, body = client.request("/", method="HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 0


def test_rates_are_shown(client, world):
    sel = Selector(text=client.get_text("/"))
    market = world.markets[0]
    assert _text(sel, "span.rate-btc") == f"1 BTC = ${market.btc_usd:,.2f}"
    assert _text(sel, "span.rate-xmr") == f"1 XMR = ${market.xmr_usd:,.2f}"


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.onion", "::"])
def test_refuses_non_loopback_hosts(host):
    with pytest.raises(ValueError, match="loopback"):
        serve(build_world(1, vendors=1, listings=1), host=host)


def test_server_lifecycle_and_debug_only_logging(caplog, capsys):
    import http.client

    world = build_world(2, vendors=2, listings=5)
    caplog.set_level(logging.DEBUG, logger="onionwatch.sandbox")
    server = serve(world, host="localhost")
    assert server.url == f"http://127.0.0.1:{server.port}" and server.port > 0
    assert server.wait(timeout=0) is False
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    conn.request("GET", "/")
    assert conn.getresponse().status == 200
    conn.close()
    server.shutdown()
    server.shutdown()  # idempotent
    assert server.wait(timeout=0) is True
    request_logs = [r for r in caplog.records if "GET / 200" in r.getMessage()]
    assert len(request_logs) == 1 and request_logs[0].levelno == logging.DEBUG
    assert all(r.levelno == logging.DEBUG for r in caplog.records)
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""
