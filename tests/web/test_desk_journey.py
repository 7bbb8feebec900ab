"""The investigator's journey through the desk, in Chromium, over data a real sandbox crawl made.

Search ``fentanyl to:US``, open a hit, open its vendor, follow an alias to another market, open the
link's evidence: the alias must be the same actor by the sandbox's truth. A hostile vendor family
(tests/web/hostile_family.py: script tags, event attributes and bidi characters in handles and
titles, indexed and linked by the real commands) is walked the same way, and its text must show as
text in every view and in the graph, with nothing run. No request may leave 127.0.0.1, and the CSP
(``script-src 'self'``) must never have to refuse anything the page itself does. A screenshot of each
view goes to test-artifacts/web/ (git-ignored).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from onionwatch.app.web import serve
from onionwatch.core.config import load_config
from search_index import open_store
from tests.web import hostile_family
from tests.browser import chromium

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"
TOKEN = "test-token-desk-0123456789"
#: Text nodes (and the document's title) still holding a bidi control or an invisible character: the
#: desk shows each as its escape (``\u202e``), so none may reach the page raw, inside ``<bdi>`` or not
#: (a right-to-left override displays a handle reversed even where it cannot reorder its neighbours).
RAW_CONTROLS = """() => {
  const raw = /[\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;
  const found = raw.test(document.title) ? ["TITLE: " + document.title] : [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (raw.test(n.data)) { found.push(n.parentElement.tagName + ": " + n.data.slice(0, 60)); }
  }
  return found;
}"""
#: What the analyst sees where a market wrote U+202E RIGHT-TO-LEFT OVERRIDE.
MARKER = "\\u202e"


def visible(text: str) -> str:
    """``text`` as the desk shows it: each right-to-left override as its visible marker."""
    return text.replace("\u202e", MARKER)


#: Markup a payload would leave in the page if it were parsed as HTML.
INJECTED = "script:not([src]), img[src='x'], svg[onload], [onerror], [onmouseover], [onload]"


def onionwatch(data_dir: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONIONWATCH_")}
    done = subprocess.run([sys.executable, "-m", "onionwatch.app.cli", *args, "--data-dir", str(data_dir)],
                          capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="module")
def desk_data(demo_dir, tmp_path_factory) -> Path:
    """The demo's sandbox crawl (copied), a saved search, then the hostile family indexed and linked."""
    data = tmp_path_factory.mktemp("desk") / "onionwatch-data"
    shutil.copytree(demo_dir, data)
    onionwatch(data, "watch", "add", "fent-us", "fentanyl to:US")
    onionwatch(data, "index", *map(str, hostile_family.write_family(data)))
    onionwatch(data, "graph", "build")
    return data


@pytest.fixture(scope="module")
def truth(desk_data) -> dict:
    records = [json.loads(line) for line in open(desk_data / "sandbox-truth.jsonl", encoding="utf-8")]
    actor = {(r["market"], r["handle"]): r["actor_id"] for r in records if r["type"] == "vendor"}
    listings = {(r["market"], str(r["listing_id"])): r for r in records if r["type"] == "listing"}
    return {"actor": actor, "listings": listings}


@pytest.fixture(scope="module")
def site(desk_data):
    config = load_config(desk_data)
    with open_store(config) as store, serve(store, port=0, token=TOKEN, config=config) as (url, _token):
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


class Watched:
    """A browser page with every request, console error, page error and dialog recorded, and any
    request not to 127.0.0.1 stopped."""

    def __init__(self, browser, url: str) -> None:
        self.context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
        self.requests, self.outside, self.errors, self.dialogs = [], [], [], []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(f"{url}/?token={TOKEN}")

    def _route(self, route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def inert(self, view: str) -> None:
        """Nothing ran, nothing was injected, nothing left 127.0.0.1, the CSP refused nothing;
        then the screenshot."""
        page = self.page
        assert page.evaluate("typeof window.__pwned") == "undefined", view
        assert self.dialogs == [], view
        assert page.locator(INJECTED).count() == 0, view
        assert page.evaluate(RAW_CONTROLS) == [], view
        assert self.errors == [], (view, self.errors)
        assert self.outside == [] and all(urlsplit(u).hostname == "127.0.0.1" for u in self.requests), view
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{view}.png"), full_page=True)

    def graph_drawn(self) -> list[str]:
        """Wait for the ego graph; return its node labels as the page lists them (set as text)."""
        self.page.wait_for_selector("#graph[data-drawn]", timeout=30_000)
        assert self.page.get_attribute("#graph", "data-drawn") != "error"
        assert self.page.locator("#graph canvas").count() > 0
        labels = self.page.evaluate(
            "() => document.getElementById('graph')._cyreg.cy.nodes().map(n => n.data('label'))")
        listed = self.page.locator("#graph-labels li").all_text_contents()
        assert sorted(labels) == sorted(listed)
        return labels


def _account(page) -> tuple[str, str]:
    query = parse_qs(urlsplit(page.url).query)
    return query["market"][0], query["handle"][0]


def test_the_journey_from_a_search_to_an_alias_and_its_evidence(site, browser, truth):
    w = Watched(browser, site)
    page = w.page
    response = page.goto(f"{site}/?q=fentanyl%20to%3AUS")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "unsafe-eval" not in csp and csp.count("unsafe-inline") == 1  # styles only
    assert int(page.inner_text("#total").split()[0].replace(",", "")) > 10
    w.inert("1-search")

    # a hit whose vendor's actor sells on another market too, by the truth
    def cross_market(hit) -> bool:
        market, vendor = hit.get_attribute("data-market"), hit.get_attribute("data-vendor")
        actor = truth["actor"].get((market, vendor))
        return actor is not None and any(a == actor and m != market for (m, _h), a in truth["actor"].items())

    hits = [h for h in page.locator(".hit").all() if cross_market(h)]
    assert hits, "no hit of a cross-market actor on the first page"
    hits[0].locator("a.title").click()
    query = parse_qs(urlsplit(page.url).query)
    market, listing_id = query["market"][0], query["id"][0]
    listing = truth["listings"][(market, listing_id)]
    assert page.inner_text("#fact-vendor") == listing["vendor"]  # the vendor fact, marked where it was read
    assert page.inner_text("#fact-title") == page.inner_text("#title")
    assert "urn:uuid:" in page.inner_text("#evidence") and "sha256:" in page.inner_text("#evidence")
    assert "matches" in page.inner_text("#digest-check")
    w.inert("2-listing")

    page.click("#vendor")
    market, handle = _account(page)
    assert (market, handle) == (listing["market"], listing["vendor"])
    actor = truth["actor"][(market, handle)]
    labels = w.graph_drawn()
    assert f"{market}/{handle}" in labels
    assert page.locator("#listings tr").count() > 1
    with page.expect_download() as download:
        page.click("#stix")
    bundle = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert bundle["type"] == "bundle" and any(o["type"] == "threat-actor" and handle in o["aliases"]
                                              for o in bundle["objects"])
    w.inert("3-vendor")

    rows = [r for r in page.locator("tr.alias").all() if r.get_attribute("data-market") != market]
    assert rows, "the vendor view shows no alias on another market"
    rows[0].locator("a.alias-account").click()
    other_market, other_handle = _account(page)
    assert other_market != market
    assert truth["actor"][(other_market, other_handle)] == actor  # the alias is the same actor, by the truth
    assert f"{market} / {handle}" in page.inner_text("#accounts")
    w.graph_drawn()
    w.inert("4-alias")

    page.locator("tr.alias a.evidence").first.click()
    assert page.locator("tr.item").count() >= 1
    assert "urn:uuid:" in page.inner_text("#evidence-items")
    assert page.locator("details.archived pre").first.inner_text().strip()
    assert float(page.inner_text("#score")) > 0
    w.inert("5-evidence")


def test_hostile_handles_and_titles_are_text_in_every_view_and_the_graph(site, browser):
    """Markup stays text, nothing runs, and a right-to-left override shows as its marker (still in a
    ``<bdi>``) in every view and in the graph's labels: the handle cannot display reversed."""
    one, two = hostile_family.MARKETS
    w = Watched(browser, site)
    page = w.page
    page.goto(f"{site}/?q=fentanyl%20market%3A{two}")
    assert page.locator(".hit a.title").all_inner_texts() == [visible(hostile_family.TITLES[two])]
    assert page.locator(".hit a.title bdi").inner_text() == "Fentanyl 1g " + MARKER + "gnp.exe <svg onload=window.__pwned=5>"
    w.inert("hostile-0-search-title")

    page.goto(f"{site}/?q=fentanyl%20market%3A{one}")
    assert page.locator(".hit a.title").all_inner_texts() == [hostile_family.TITLES[one]]
    assert page.locator(".hit .meta a bdi").inner_text() == visible(hostile_family.HANDLES[one])
    assert MARKER in page.locator("#facets").inner_text()  # the vendor facet
    w.inert("hostile-1-search")

    page.click(".hit a.title")
    assert page.inner_text("#title") == hostile_family.TITLES[one]
    assert page.locator("#vendor bdi").inner_text() == "<script>window.__pwned=1</script>Dr" + MARKER + "White"
    assert "Vendor: Dr" + MARKER + "White" in page.inner_text("#archived")  # the text extraction read
    assert "<script>window.__pwned=6</script>" in page.text_content("#archived-html")  # the source, as text
    w.inert("hostile-2-listing")

    page.click("#vendor")
    assert page.inner_text("#handle") == visible(hostile_family.HANDLES[one])
    assert page.locator("#handle bdi").count() == 1
    labels = w.graph_drawn()
    assert f"{one}/{visible(hostile_family.HANDLES[one])}" in labels
    assert f"{two}/{visible(hostile_family.HANDLES[two])}" in labels
    w.inert("hostile-3-vendor")

    page.click("tr.alias a.alias-account")
    assert page.inner_text("#handle") == visible(hostile_family.HANDLES[two])
    assert f"{one}/{visible(hostile_family.HANDLES[one])}" in w.graph_drawn()
    w.inert("hostile-4-alias")

    page.click("tr.alias a.evidence")
    title = page.inner_text("#link-title")
    assert visible(hostile_family.HANDLES[one]) in title and visible(hostile_family.HANDLES[two]) in title
    assert page.locator("#link-title bdi", has_text=MARKER).count() == 2
    assert {"btc", "contact"} <= {s for s in page.locator("tr.item").evaluate_all("rs => rs.map(r => r.dataset.signal)")}
    w.inert("hostile-5-evidence")

    page.goto(f"{site}/watches")
    assert hostile_family.TITLES[one] in page.inner_text("#alerts")
    w.inert("hostile-6-watches")


def test_the_page_takes_no_writes(site):
    import urllib.error
    import urllib.request

    for method in ("POST", "PUT", "DELETE"):
        request = urllib.request.Request(f"{site}/watches", method=method, data=b"x",
                                         headers={"Authorization": f"Bearer {TOKEN}"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert refused.value.code == 405


@pytest.mark.parametrize("path", ["/vendor", "/vendor/graph.json", "/vendor/stix.json", "/link", "/listing"])
@pytest.mark.parametrize("market, handle", [(hostile_family.MARKETS[0], hostile_family.HANDLES["hostile-two"]),
                                            ("", ""), ("hostile-one", "dr\u202ewhite"), ("../../etc", "passwd"),
                                            ("hostile-one", '<script>window.__pwned=1</script>Dr\u202eWhite"')])
def test_desk_addresses_for_unknown_or_hostile_accounts_are_404_never_500(site, path, market, handle):
    import urllib.error
    import urllib.request
    from urllib.parse import urlencode

    query = urlencode({"market": market, "handle": handle, "id": handle, "other_market": market, "other_handle": handle})
    request = urllib.request.Request(f"{site}{path}?{query}", headers={"Authorization": f"Bearer {TOKEN}"})
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(request, timeout=60)
    assert answer.value.code == 404
    assert b"<script>" not in answer.value.read()
