"""Accounts come from a credentials file or the environment; defence pages are told apart."""
from __future__ import annotations

import pytest
import yaml
from scrapy.http import HtmlResponse, Response

from crawlers import defences as d
from crawlers.accounts import AccountError, find_account

SPEC = d.SessionSpec()


def page(body: str, status: int = 200, headers: dict | None = None, url: str = "http://m.onion/x") -> HtmlResponse:
    return HtmlResponse(url, status=status, body=f"<html><body>{body}</body></html>".encode(),
                        headers=headers or {}, encoding="utf-8")


@pytest.mark.parametrize("response, kind", [
    (page("<h1>Listing</h1>"), d.OK),
    (Response("http://m.onion/x", status=302, headers={"Location": "/login?next=%2Fx"}), d.LOGGED_OUT),
    (Response("http://m.onion/x", status=302, headers={"Location": "/listing/2"}), d.OK),
    (page('<form id="login"><input name="username"><input type="password" name="password"></form>'), d.LOGGED_OUT),
    (page('<form action="/auth"><input type="password" name="pw"></form>'), d.LOGGED_OUT),  # generic sign
    (page('<form id="login"><img id="captcha" src="/captcha/1.png"></form>'), d.CAPTCHA),
    (page('<div id="queue">you are in the queue <span class="wait">3</span></div>', 503), d.QUEUE),
    (page("<p>DDoS protection: please wait</p>", 503, {"Refresh": "5;url=/"}), d.QUEUE),  # generic sign
    (page("<p>Slow down</p>", 429, {"Retry-After": "4"}), d.RATE_LIMITED),
    (page('<div id="maintenance">down</div>', 503, {"Retry-After": "3600"}), d.DOWN),
    (page("<h1>502 Bad Gateway</h1>", 502), d.SERVER_ERROR),
    (Response("http://m.onion/p.jpg", status=200, body=b"\xff\xd8"), d.OK),  # images are never parsed
])
def test_classify(response, kind):
    assert d.classify(response, SPEC) == kind


def test_queue_wait_reads_the_page_then_retry_after():
    assert d.queue_wait(page('<div id="queue"><span class="wait">2.5</span></div>', 503), SPEC) == 2.5
    assert d.queue_wait(page('<div id="queue"></div>', 503, {"Retry-After": "7"}), SPEC) == 7.0


def test_account_from_file_then_environment(tmp_path):
    path = tmp_path / "accounts.yaml"
    path.write_text(yaml.safe_dump({"m": {"a1": {"username": "u1", "password": "p1"},
                                          "a2": {"username": "u2", "password": "p2"}}}))
    assert find_account("m", "a2", path=path, environ={}).username == "u2"
    assert find_account("m", None, path=path, environ={}).alias == "a1"
    assert "p1" not in repr(find_account("m", None, path=path, environ={}))
    env = {"ONIONWATCH_OTHER_M_USERNAME": "eu", "ONIONWATCH_OTHER_M_PASSWORD": "ep"}
    assert find_account("other.m", None, path=path, environ=env).username == "eu"
    assert find_account("nobody", None, path=None, environ={}) is None
    with pytest.raises(AccountError, match="no account 'a9'"):
        find_account("m", "a9", path=path, environ={})
    path.write_text(yaml.safe_dump({"m": {"a1": {"username": "u1"}}}))
    with pytest.raises(AccountError, match="m.a1: needs 'username' and 'password'"):
        find_account("m", None, path=path, environ={})
