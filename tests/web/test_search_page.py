"""The search page in a real browser: Debian's Chromium driven by Playwright (no browser download).

Market text carrying script injections is shown as text and never runs; a request without the token
is refused; search, facets, the listing page (price history, evidence) and the vendor page work."""
from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from onionwatch.core.models import Evidence, Listing, Observation, VendorAccount
from onionwatch.app.web import serve
from search_index import SqliteStore
from tests.browser import chromium

INJECTION = '<script>window.__pwned = 1; alert("pwned")</script><img src=x onerror="window.__pwned = 2">'


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    store = SqliteStore(tmp_path_factory.mktemp("web") / "s.sqlite3")
    evidence = Evidence("crawl-1.warc.gz", "<urn:uuid:77>", "sha256:QWERTY", "2026-01-03T00:00:00Z", "http://m/l/7", 1234)
    store.add_listings([
        Listing("empire", "7", "http://m/l/7", title=f"Fentanyl 1g {INJECTION}", vendor="DrWhite",
                description=f"Pure. {INJECTION}", category=f"Opioids {INJECTION}", evidence=evidence,
                extracted={"drugs": [{"name": "fentanyl", "class": "opioid"}], "ships_from": "CN", "ships_to": ["US"],
                           "price": {"amount": 120.0, "currency": "USD", "usd": 120.0}, "escrow": True,
                           "finalize_early": False, "stock": {"count": 12, "available": True},
                           "currencies": ["XMR", "BTC"]}),
        Listing("empire", "8", "http://m/l/8", title="Heroin 5g", vendor="DrWhite", evidence=evidence,
                extracted={"drugs": [{"name": "heroin", "class": "opioid"}], "ships_from": "NL", "ships_to": ["EU"],
                           "price": {"amount": 200.0, "currency": "USD", "usd": 200.0}, "currencies": ["BTC"]}),
        Listing("dream", "9", "http://d/l/9", title="Fentanyl patches", vendor="Other", evidence=evidence,
                extracted={"drugs": [{"name": "fentanyl", "class": "opioid"}], "ships_from": "US", "ships_to": ["US"]}),
    ])
    store.add_vendors([VendorAccount("empire", "DrWhite", btc_addresses=["bc1qexample"],
                                     profile_text=f"Trusted. {INJECTION}")])
    store.add_observations([Observation("empire", "7", "2026-01-01T00:00:00Z", price_usd=150.0),
                            Observation("empire", "7", "2026-01-03T00:00:00Z", price_usd=120.0)])
    with serve(store, port=0, token="test-token-0123456789") as (url, token):
        yield url, token
    store.close()


@pytest.fixture(scope="module")
def page(site):
    with chromium() as browser:
        context = browser.new_context()
        page = context.new_page()
        page.dialogs = []
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
        yield page
        browser.close()


def test_requests_without_the_token_are_refused(site):
    url, _token = site
    for path in ("/", "/?q=fentanyl", "/listing?market=empire&id=7", "/?token=wrong-token-0000000000"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url + path, timeout=10)
        assert refused.value.code == 403
        assert b"Fentanyl" not in refused.value.read()


def test_the_browser_without_the_token_sees_only_a_refusal(site, page):
    url, _token = site
    response = page.goto(url + "/?q=fentanyl")
    assert response.status == 403
    assert "Forbidden" in page.inner_text("body") and "Fentanyl" not in page.content()


def test_search_facets_listing_and_vendor_pages_with_injection_inert(site, page):
    url, token = site
    page.goto(f"{url}/?token={token}")  # sets the cookie, drops the token from the address
    assert "token" not in page.url
    page.fill("input[name=q]", "fentanyl")
    page.click("button[type=submit]")
    assert page.inner_text("#total") == "2 listing(s) match"
    titles = page.locator(".hit a.title").all_inner_texts()
    assert any(INJECTION in t for t in titles)  # shown as text
    assert page.evaluate("window.__pwned") is None and page.dialogs == []
    assert page.locator(".hit script, .hit img").count() == 0
    page.click("#facets a:has-text('dream')")  # refine by a facet value
    assert page.inner_text("#total") == "1 listing(s) match"
    assert page.locator(".hit a.title").all_inner_texts() == ["Fentanyl patches"]

    page.goto(f"{url}/?q=vendor:drwhite")
    page.click(".hit a.title:has-text('Fentanyl 1g')")
    assert page.inner_text("#description") == f"Pure. {INJECTION}"
    history = page.locator("#history tr").all_inner_texts()
    assert len(history) == 3 and "$150.00" in history[1] and "$120.00" in history[2]
    evidence = page.inner_text("#evidence")
    assert "crawl-1.warc.gz" in evidence and "<urn:uuid:77>" in evidence and "sha256:QWERTY" in evidence
    page.click("#vendor")
    assert page.inner_text("#handle") == "DrWhite"
    assert "bc1qexample" in page.inner_text("#account")
    assert sorted(page.locator("#listings a").all_inner_texts()) == [f"Fentanyl 1g {INJECTION}", "Heroin 5g"]
    assert INJECTION in page.inner_text("#profile")
    assert page.evaluate("window.__pwned") is None and page.dialogs == []


def test_a_bad_query_is_explained(site, page):
    url, _token = site
    page.goto(f"{url}/?q=price%3Cabc")
    assert "price" in page.inner_text("#error") and "number" in page.inner_text("#error")


def test_payment_terms_stock_and_category_are_shown_and_searchable(site, page):
    url, token = site
    page.goto(f"{url}/?token={token}")
    page.goto(f"{url}/?q=fentanyl%20escrow%3Ayes%20fe%3Ano%20instock%3Ayes")
    assert page.inner_text("#total") == "1 listing(s) match"
    terms = page.inner_text(".hit .terms")
    assert f"category Opioids {INJECTION}" in terms  # market text, shown as text
    assert "escrow yes" in terms and "finalize early no" in terms and "stock 12" in terms
    page.goto(f"{url}/?q=patches")
    terms = page.inner_text(".hit .terms")
    assert "escrow ?" in terms and "finalize early ?" in terms and "stock ?" in terms
    page.goto(f"{url}/?q=escrow%3Amaybe")
    assert "escrow:yes or escrow:no" in page.inner_text("#error")
    page.goto(f"{url}/listing?market=empire&id=7")
    details = page.inner_text("table")
    assert "escrow\tyes" in details and "finalize early\tno" in details and "stock\t12" in details
    assert page.evaluate("window.__pwned") is None and page.dialogs == []


def test_accepted_currencies_are_a_facet_a_filter_and_shown(site, page):
    url, token = site
    page.goto(f"{url}/?token={token}")
    page.goto(f"{url}/?q=vendor%3Adrwhite")
    assert page.inner_text("#total") == "2 listing(s) match"
    facet = page.locator("#facets h3:has-text('currency') + ul li").all_inner_texts()
    assert facet == ["BTC (2)", "XMR (1)"]
    page.click("#facets h3:has-text('currency') + ul a:has-text('XMR')")  # refine by the facet value
    assert page.locator("input[name=q]").input_value() == "vendor:drwhite currency:XMR"
    assert page.inner_text("#total") == "1 listing(s) match"
    assert "accepts XMR, BTC" in page.inner_text(".hit .terms")
    page.goto(f"{url}/?q=currency%3Abtc%20-currency%3Axmr")
    assert page.locator(".hit a.title").all_inner_texts() == ["Heroin 5g"]
    page.goto(f"{url}/?q=currency%3Amo-nero")
    assert "currency ticker" in page.inner_text("#error")
    page.goto(f"{url}/listing?market=empire&id=7")
    assert "currencies accepted\tXMR, BTC" in page.inner_text("#facts")
    assert page.evaluate("window.__pwned") is None and page.dialogs == []
