"""Defences, faults and the clock, each switched on alone and exercised over real sockets."""
from __future__ import annotations

import http.client
import json
import time
import urllib.parse

import pytest
from parsel import Selector

from onionwatch.sandbox import ALL_FAMILIES, Defences, Faults, build_world, serve, serve_world
from onionwatch.sandbox.families.base import INJECTION


@pytest.fixture()
def market_world():
    return build_world(5, vendors=6, listings=40)


def _conn(port: int) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", port, timeout=10)


def _get(port: int, path: str, cookies: dict[str, str] | None = None, method: str = "GET",
         form: dict[str, str] | None = None):
    conn = _conn(port)
    headers = {}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body, headers=headers)
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data


def _cookie(headers: dict[str, str]) -> tuple[str, str]:
    name, _, rest = headers["set-cookie"].partition("=")
    return name, rest.split(";")[0]


def test_defaults_are_off_for_every_family():
    world = build_world(5, vendors=4, listings=12, families=ALL_FAMILIES)
    assert all(not m.defences.any() and not m.faults.any() for m in world.markets)


def test_login_with_captcha_through_the_oracle(market_world):
    market = market_world.markets[0]
    market.defences = Defences(login=True, captcha=True, session_ttl=600)
    with serve_world(market_world) as running:
        port = running.servers[market.name].port
        status, headers, _ = _get(port, "/category/opioids?page=1")
        assert status == 302 and headers["location"].startswith("/login?next=")
        assert _get(port, "/register", method="POST",
                    form={"username": "analyst", "password": "pw"})[0] == 302
        status, _, body = _get(port, "/login")
        sel = Selector(text=body.decode())
        cid = sel.css("input[name=cid]::attr(value)").get()
        image = _get(port, sel.css("img#captcha::attr(src)").get())
        assert image[0] == 200 and image[2].startswith(b"\x89PNG")
        assert cid not in body.decode().replace(f'value="{cid}"', "").replace(cid + ".png", "")
        oracle = _get(running.oracle.port, f"/captcha?market={market.name}&id={cid}")
        answer = json.loads(oracle[2])["answer"]
        wrong = _get(port, "/login", method="POST", form={
            "username": "analyst", "password": "pw", "cid": cid, "captcha": "nope!"})
        assert wrong[0] == 200 and b'class="error"' in wrong[2]
        status, _, body = _get(port, "/login")  # the used CAPTCHA is gone: take a new one
        cid = Selector(text=body.decode()).css("input[name=cid]::attr(value)").get()
        answer = json.loads(_get(running.oracle.port,
                                 f"/captcha?market={market.name}&id={cid}")[2])["answer"]
        status, headers, _ = _get(port, "/login", method="POST", form={
            "username": "analyst", "password": "pw", "cid": cid, "captcha": answer.lower(),
            "next": "/category/opioids"})
        assert status == 302 and headers["location"] == "/category/opioids"
        session = dict([_cookie(headers)])
        assert _get(port, "/category/opioids", session)[0] == 200
        market_world.clock.advance(601)  # the session expires by the sandbox clock
        assert _get(port, "/category/opioids", session)[0] == 302


def test_queue_page_then_pass(market_world):
    market = market_world.markets[0]
    market.defences = Defences(queue=True, queue_wait=0.2)
    with serve(market_world) as server:
        status, headers, body = _get(server.port, "/")
        assert status == 503 and "refresh" in headers
        link = Selector(text=body.decode()).css("a#queue-pass::attr(href)").get()
        assert _get(server.port, link)[0] == 503  # too early: queued again
        time.sleep(0.25)
        status, headers, _ = _get(server.port, link)
        assert status == 302 and headers["location"] == "/"
        assert _get(server.port, "/", dict([_cookie(headers)]))[0] == 200


def test_rate_limit_answers_429_with_retry_after(market_world):
    market_world.markets[0].defences = Defences(rate_limit=5, rate_window=30)
    with serve(market_world) as server:
        statuses = [_get(server.port, "/")[0] for _ in range(7)]
        assert statuses == [200] * 5 + [429] * 2
        status, headers, _ = _get(server.port, "/")
        assert status == 429 and int(headers["retry-after"]) >= 1


def test_tokens_make_every_response_different(market_world):
    market_world.markets[0].defences = Defences(tokens=True)
    with serve(market_world) as server:
        first, second = _get(server.port, "/")[2], _get(server.port, "/")[2]
        assert first != second
        tokens = {Selector(text=b.decode()).css("input[name=_token]::attr(value)").get()
                  for b in (first, second)}
        assert len(tokens) == 2 and None not in tokens


def test_mirrors_rotate_with_the_clock(market_world):
    market = market_world.markets[0]
    market.defences = Defences(mirrors=2, mirror_period=100)
    with serve(market_world) as server:
        ports = server.runtime.ports
        assert len(ports) == 3 and all(_get(p, "/")[0] == 200 for p in ports)
        listed = Selector(text=_get(ports[1], "/")[2].decode()).css("ul.mirror-list a::text")
        assert len(listed.getall()) == 3
        market_world.clock.advance(100)  # period 1: the second address is retired
        assert server.runtime.live_ports() == [ports[0], ports[2]]
        with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
            _get(ports[1], "/")
        assert _get(ports[2], "/")[0] == 200


def test_clock_changes_prices_stock_feedback_and_listings(market_world):
    market = market_world.markets[0]
    day0 = {i: market.listing_at(i) for i in market.live()}
    market_world.clock.advance(days=12)
    later = {i: market.listing_at(i) for i in market.live()}
    assert set(later) != set(day0)  # some appeared, some vanished
    common = set(later) & set(day0)
    assert any(later[i].price_usd != day0[i].price_usd for i in common)
    assert all(later[i].title == day0[i].title for i in common)
    assert any(later[i].feedback > day0[i].feedback for i in common)
    assert any(later[i].stock != day0[i].stock for i in common)


def test_market_goes_down_on_its_down_days(market_world):
    market = market_world.markets[0]
    with serve(market_world) as server:
        market_world.clock.set(market.down_days[0] * 86_400.0 + 1)
        status, headers, body = _get(server.port, "/")
        assert status == 503 and b'id="maintenance"' in body and "retry-after" in headers
        market_world.clock.set((market.down_days[-1] + 1) * 86_400.0)
        assert _get(server.port, "/")[0] == 200


def test_oracle_moves_the_clock(market_world):
    with serve_world(market_world) as running:
        status, _, body = _get(running.oracle.port, "/clock/advance?seconds=90000", method="POST")
        assert status == 200 and json.loads(body)["day"] == 1 == market_world.clock.day


def _listing_path(world) -> str:
    market = world.markets[0]
    return market.listing_at(market.live()[0]).url_path


def test_latency_fault(market_world):
    market_world.markets[0].faults = Faults(latency=0.3)
    with serve(market_world) as server:
        started = time.monotonic()
        assert _get(server.port, "/")[0] == 200
        assert time.monotonic() - started >= 0.3


def test_5xx_bursts(market_world):
    market_world.markets[0].faults = Faults(error_rate=1.0, burst=3)
    with serve(market_world) as server:
        statuses = [_get(server.port, "/")[0] for _ in range(4)]
        assert all(s >= 500 for s in statuses)
        market_world.markets[0].faults = Faults()
        assert _get(server.port, "/")[0] == 200


def test_truncated_body(market_world):
    market_world.markets[0].faults = Faults(truncate_rate=1.0)
    with serve(market_world) as server:
        conn = _conn(server.port)
        conn.request("GET", "/")
        with pytest.raises(http.client.IncompleteRead):
            conn.getresponse().read()
        conn.close()


def test_malformed_html(market_world):
    path = _listing_path(market_world)
    with serve(market_world) as server:
        clean = _get(server.port, path)[2]
        market_world.markets[0].faults = Faults(malformed_rate=1.0)
        broken = _get(server.port, path)[2]
    assert broken != clean and b"Sale & more < 50% off" in broken
    assert broken.count(b"</td>") < clean.count(b"</td>") or broken.count(b"</p>") < clean.count(
        b"</p>")


def test_oversized_page(market_world):
    market_world.markets[0].faults = Faults(oversize_rate=1.0, oversize_bytes=2_000_000)
    with serve(market_world) as server:
        status, headers, body = _get(server.port, "/")
    assert status == 200 and len(body) >= 2_000_000 and int(headers["content-length"]) == len(body)


def test_wrong_charset(market_world):
    market_world.markets[0].faults = Faults(charset_rate=1.0)
    with serve(market_world) as server:
        status, headers, body = _get(server.port, "/")
    assert headers["content-type"] == "text/html; charset=windows-1252"
    assert b'charset="windows-1252"' in body
    body.decode("utf-8")  # the bytes are really UTF-8


def test_injection_fault_serves_raw_markup(market_world):
    market = market_world.markets[0]
    market.faults = Faults(injection_rate=1.0)
    path = _listing_path(market_world)
    with serve(market_world) as server:
        html = _get(server.port, path)[2].decode()
    assert INJECTION in html
    assert Selector(text=html).css("div.description script")


def test_faults_can_be_combined_and_switched_off(market_world):
    market_world.markets[0].faults = Faults(latency=0.05, charset_rate=1.0)
    with serve(market_world) as server:
        assert _get(server.port, "/")[1]["content-type"].endswith("windows-1252")
        market_world.markets[0].faults = Faults()
        assert _get(server.port, "/")[1]["content-type"].endswith("utf-8")

