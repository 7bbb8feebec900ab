"""The search page under hostile requests, over real HTTP to the running page: vendor handles full of
query syntax, over-long and repeated queries, places that are not countries, concurrent requests
and a per-search time limit; and a property test over every route (never a 500, never input
echoed unescaped)."""
from __future__ import annotations

import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest
from hypothesis import given, settings, strategies as st

from onionwatch.app.web import serve
from onionwatch.core.models import Listing, VendorAccount
from search_index import SqliteStore
from search_index.query import MAX_QUERY_CHARS

TOKEN = "test-token-hostile-0123456789"
#: Handles made of the query language's syntax, and one with a right-to-left override.
HOSTILE_HANDLES = ['dr"quote', "-minus", "star*", "(paren", "back\\slash", "a,b,c", "evil\u202egnp.exe", '"', "-", "*", ","]
#: Vendors whose names the comma handle would merge if handles went through the query language.
PLAIN_HANDLES = ["a", "b", "c"]


def _listings() -> list[Listing]:
    out = []
    for i, handle in enumerate(HOSTILE_HANDLES + PLAIN_HANDLES):
        out.append(Listing("empire", str(i), f"http://m/l/{i}", title=f"Pills lot {i}", vendor=handle,
                           extracted={"ships_from": "NL", "ships_to": ["WW"]}))
    out += [Listing("dream", f"d{i}", f"http://d/l/{i}", title=f"Powder batch {i} fentanyl", vendor="bulk",
                    extracted={"ships_from": "DE", "ships_to": ["EU"]}) for i in range(300)]
    return out


class GatedStore(SqliteStore):
    """A real store in which a search for the word ``holdup`` waits at a gate first: a search still
    running while other requests arrive, for as long as the test decides."""

    def __init__(self, path) -> None:
        super().__init__(path)
        self.arrived, self.gate = threading.Event(), threading.Event()

    def search(self, query, **options):
        if isinstance(query, str) and "holdup" in query:
            self.arrived.set()
            self.gate.wait(60)
        return super().search(query, **options)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = GatedStore(tmp_path_factory.mktemp("hostile-web") / "s.sqlite3")
    store.add_listings(_listings())
    store.add_vendors([VendorAccount("empire", h, profile_text=f"profile of {h}") for h in HOSTILE_HANDLES + PLAIN_HANDLES])
    yield store
    store.close()


@pytest.fixture(scope="module")
def site(store):
    with serve(store, port=0, token=TOKEN) as (url, _token):
        yield url


def get(url: str, path: str, params: dict[str, str] | None = None) -> tuple[int, str]:
    """One GET with the token as a bearer header: (status, body)."""
    request = urllib.request.Request(url + path + ("?" + urlencode(params) if params else ""),
                                     headers={"Authorization": f"Bearer {TOKEN}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


@pytest.mark.parametrize("handle", HOSTILE_HANDLES)
def test_a_vendor_page_for_any_handle_shows_exactly_that_vendor(site, handle):
    status, body = get(site, "/vendor", {"market": "empire", "handle": handle})
    assert status == 200, body
    index = (HOSTILE_HANDLES + PLAIN_HANDLES).index(handle)
    assert f"Pills lot {index}<" in body
    assert body.count("Pills lot") == 1  # its one listing, no other vendor's


def test_a_handle_with_commas_does_not_merge_vendors(site):
    _status, body = get(site, "/vendor", {"market": "empire", "handle": "a,b,c"})
    shown = {int(part.split("<")[0]) for part in body.split("Pills lot ")[1:]}
    assert shown == {HOSTILE_HANDLES.index("a,b,c")}
    _status, body = get(site, "/vendor", {"market": "empire", "handle": "a"})
    assert {int(p.split("<")[0]) for p in body.split("Pills lot ")[1:]} == {len(HOSTILE_HANDLES)}


@pytest.mark.parametrize("params", [{"market": "empire", "handle": "nobody"}, {"market": "empire", "handle": "A"},
                                    {"market": "nowhere", "handle": "a"}, {"market": "", "handle": ""}, {}])
def test_an_unknown_vendor_is_404(site, params):
    assert get(site, "/vendor", params)[0] == 404


def test_an_over_long_query_is_a_400_that_says_the_limit(site):
    status, body = get(site, "/", {"q": "fentanyl " * 150})
    assert status == 400
    assert f"the limit is {MAX_QUERY_CHARS:,}" in body


def test_an_address_too_long_to_read_says_the_limit_too(site):
    status, body = get(site, "/", {"q": "fentanyl " * 8000})  # 72 KB: past http.server's 64 KiB request line
    assert status == 414
    assert f"at most {MAX_QUERY_CHARS:,} characters" in body
    assert get(site, "/", {"q": "fentanyl"})[0] == 200  # and the page goes on serving


def test_repeated_words_are_searched_once(site):
    once, repeated = get(site, "/", {"q": "fentanyl"}), get(site, "/", {"q": " ".join(["fentanyl"] * 100)})
    assert once[0] == repeated[0] == 200
    assert "300 listing(s) match" in once[1] and "300 listing(s) match" in repeated[1]


@pytest.mark.parametrize("query, says", [("to:XX", "not a country or region"), ("from:ZZ", "not a country or region"),
                                         ("price:200..50", "low bound is above the high one")])
def test_places_that_are_not_countries_and_reversed_ranges_are_400(site, query, says):
    status, body = get(site, "/", {"q": query})
    assert status == 400 and says in body


def test_a_slow_search_does_not_hold_up_other_requests(site, store):
    with ThreadPoolExecutor(1) as pool:
        slow = pool.submit(get, site, "/", {"q": "holdup"})
        assert store.arrived.wait(30), "the slow search never started"
        try:
            # with one lock around every request this would wait for the gate, and time out
            status, body = get(site, "/", {"q": "fentanyl"})
            vendor = get(site, "/vendor", {"market": "empire", "handle": "a"})
            assert not slow.done()
        finally:
            store.gate.set()
        assert status == 200 and "300 listing(s) match" in body and vendor[0] == 200
        assert slow.result(timeout=30)[0] == 200


def test_a_search_past_its_time_limit_ends_in_a_clear_error(store):
    with serve(store, port=0, token=TOKEN, query_timeout=1e-9) as (url, _token):
        status, body = get(url, "/", {"q": "powder"})
    assert status == 503
    assert "took longer than" in body and "narrow it" in body


def test_searches_from_many_threads_at_once_agree(site):
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda i: get(site, "/", {"q": f"batch {i % 5} fentanyl"}), range(40)))
    assert all(status == 200 for status, _ in results)
    assert {body.count('class="hit"') for _, body in results} == {1}


#: Text as hostile as it gets: query syntax, markup, quotes, bidi and zero-width characters, controls.
_PIECES = st.sampled_from(['"', "-", "*", "(", ")", "\\", ",", ":", "..", "<", ">", "&", "'", "\u202e", "\u200b",
                           "\x00", "\x1b[2J", "from:", "to:", "price:", "price<", "vendor:", "market:", "since:",
                           "escrow:", "ZZ", "DE", "eu", "fentanyl", "<script>alert(1)</script>", " ", "%", "+"])
_ANY_TEXT = st.lists(st.one_of(_PIECES, st.text(st.characters(exclude_categories=("Cs",)), max_size=8)),
                     max_size=10).map("".join)
#: Markup no page of the app contains: found in a page, it came from the request unescaped.
MARK = '<i class="owx-injected">'
#: Hostile text with the marker somewhere in it (or without, to reach every kind of answer).
HOSTILE_TEXT = st.one_of(_ANY_TEXT, st.tuples(_ANY_TEXT, _ANY_TEXT).map(lambda t: t[0] + MARK + t[1]))


def _escaped(text: str, body: str) -> bool:
    """False when the marker markup in ``text`` reached the page as markup."""
    return MARK not in body and 'class="owx-injected"' not in body


@settings(derandomize=True, max_examples=120, deadline=None)
@given(query=HOSTILE_TEXT)
def test_any_query_is_answered_never_a_500_and_never_echoed_raw(site, query):
    status, body = get(site, "/", {"q": query})
    assert status in (200, 400), (status, query)
    assert _escaped(query, body)


@settings(derandomize=True, max_examples=120, deadline=None)
@given(market=HOSTILE_TEXT, handle=HOSTILE_TEXT, listing=HOSTILE_TEXT)
def test_any_vendor_or_listing_address_is_answered_never_a_500(site, market, handle, listing):
    status, body = get(site, "/vendor", {"market": market, "handle": handle})
    assert status in (200, 404), (status, market, handle)
    assert _escaped(handle, body) and _escaped(market, body)
    status, body = get(site, "/listing", {"market": market, "id": listing})
    assert status in (200, 404), (status, market, listing)
    assert _escaped(listing, body)
