"""One suite, both backends: the same query gives the same hits, totals and facet counts.

The corpus and every expected answer below are written by hand from the listings' text (they are not
taken from either backend); ranking may differ between backends, so hits are compared as sets.
"""
from __future__ import annotations

import pytest

from onionwatch.core.models import Evidence, Listing
from search_index import QueryError, SearchTimeout, SqliteStore

# (market/id, title, vendor, description, [(drug, class)], ships from, ships to, price USD, fetched at)
CORPUS = [
    ("empire/1", "Fentanyl HCl 1g pure", "DrWhite", "China direct, stealth shipping",
     [("fentanyl", "opioid")], "CN", ["US"], 150.0, "2026-01-05T10:00:00Z"),
    ("empire/2", "50x M30 blues pressed", "DrWhite", "Pressed fentanyl pills, not pharma",
     [("fentanyl", "opioid"), ("oxycodone", "opioid")], "US", ["US"], 250.0, "2026-02-01T00:00:00Z"),
    ("empire/3", "Heroin #4 Afghan 5g", "BalkanConnect", "Best brown in Europe",
     [("heroin", "opioid")], "NL", ["EU"], 180.0, "2025-12-20T08:30:00Z"),
    ("dream/10", "Café MDMA crystals 10g", "Señor_X", "Pure Dutch MDMA",
     [("mdma", "empathogen")], "NL", ["WW"], 90.0, "2026-01-15T12:00:00+01:00"),
    ("dream/11", "Fentanyl nasal spray", "drwhite", "Worldwide shipping from China",
     [("fentanyl", "opioid")], "CN", ["WW"], 400.0, "2026-01-20T00:00:00Z"),
    ("dream/12", "Cocaine 1g uncut", "PeruPure", "Ships from Germany",
     [("cocaine", "stimulant")], "DE", ["DE", "AT"], 80.0, "2026-02-10T00:00:00Z"),
    ("hydra/20", "Ketamine shards 5g", "KetKing", "<script>alert(1)</script> best k",
     [("ketamine", "dissociative")], "GB", ["GB"], 60.0, "2026-01-01T00:00:00Z"),
    ("hydra/21", "Xanax bars 2mg (100x)", "PharmaGuy", "Counterfeit alprazolam, pressed",
     [("alprazolam", "benzodiazepine")], "US", ["US", "CA"], None, "2026-01-25T00:00:00Z"),
    ("hydra/22", "Oxycodone 30mg OR fentanyl?", "PharmaGuy", '"quoted" text; DROP TABLE listings; --',
     [("oxycodone", "opioid")], None, [], 120.0, None),
    ("empire/4", "Carfentanil 10mg", "DrWhite", "extremely potent",
     [("carfentanil", "opioid")], "CN", ["EU", "US"], 199.99, "2026-03-01T00:00:00Z"),
]
ALL = {row[0] for row in CORPUS}
#: market/id -> (escrow, finalize early, stock count, in stock); a listing not here says nothing
TERMS = {
    "empire/1": (True, False, 12, True),
    "empire/2": (True, True, 0, False),
    "empire/3": (False, True, None, True),
    "dream/10": (True, None, 5, True),
    "dream/11": (None, False, 0, False),
    "hydra/20": (False, False, None, None),
}
#: market/id -> the coins the listing accepts (extraction's ``currencies``); a listing not here names none
CURRENCIES = {
    "empire/1": ["BTC", "XMR"],
    "empire/2": ["BTC"],
    "dream/10": ["XMR"],
    "dream/11": ["xmr", "LTC"],  # stored upper case
    "hydra/21": ["BTC", "LTC"],
}


def corpus_listings() -> list[Listing]:
    listings = []
    for key, title, vendor, description, drugs, ships_from, ships_to, usd, fetched in CORPUS:
        market, listing_id = key.split("/")
        evidence = Evidence(f"{market}.warc.gz", f"<urn:uuid:{listing_id}>", "sha256:AAAA", fetched,
                            f"http://{market}/l/{listing_id}", 0) if fetched else None
        price = {"amount": usd, "currency": "USD", "usd": usd} if usd is not None else None
        escrow, fe, count, available = TERMS.get(key, (None, None, None, None))
        stock = {"count": count, "available": available} if (count, available) != (None, None) else None
        listings.append(Listing(market, listing_id, f"http://{market}/l/{listing_id}", title=title, vendor=vendor,
                                description=description, evidence=evidence,
                                extracted={"drugs": [{"name": d, "class": c} for d, c in drugs], "price": price,
                                           "ships_from": ships_from, "ships_to": ships_to, "escrow": escrow,
                                           "finalize_early": fe, "stock": stock,
                                           "currencies": CURRENCIES.get(key)}))
    return listings


EXPECTED = {
    "*": ALL,
    "": ALL,
    "fentanyl": {"empire/1", "empire/2", "dream/11", "hydra/22"},
    "FENTANYL": {"empire/1", "empire/2", "dream/11", "hydra/22"},
    "fent*": {"empire/1", "empire/2", "dream/11", "hydra/22"},
    # two- and three-letter prefixes (the embedded store answers them from its FTS5 prefix index)
    "fe*": {"empire/1", "empire/2", "dream/11", "hydra/22"},
    "ke*": {"hydra/20"},
    "ket*": {"hydra/20"},
    "pr*": {"empire/2", "hydra/21"},
    "co* -cocaine": {"hydra/21"},
    "carfent*": {"empire/4"},
    "opioid": {"empire/1", "empire/2", "empire/3", "dream/11", "hydra/22", "empire/4"},
    '"m30 blues"': {"empire/2"},
    '"blues m30"': set(),
    "m30 pressed": {"empire/2"},
    "m30 heroin": set(),
    "pressed": {"empire/2", "hydra/21"},
    "pressed -fentanyl": {"hydra/21"},
    '-"nasal spray" fentanyl': {"empire/1", "empire/2", "hydra/22"},
    "cafe": {"dream/10"},
    "CAFÉ": {"dream/10"},
    "senor": {"dream/10"},
    "1g": {"empire/1", "dream/12"},
    "#4": {"empire/3"},
    "OR": {"hydra/22"},
    "script": {"hydra/20"},
    "alert(1)": {"hydra/20"},
    "vendor:drwhite": {"empire/1", "empire/2", "dream/11", "empire/4"},
    "vendor:DrWhite market:empire": {"empire/1", "empire/2", "empire/4"},
    "vendor:señor_x": {"dream/10"},
    "-vendor:drwhite": {"empire/3", "dream/10", "dream/12", "hydra/20", "hydra/21", "hydra/22"},
    "market:DREAM,hydra": {"dream/10", "dream/11", "dream/12", "hydra/20", "hydra/21", "hydra/22"},
    "drug:oxycodone": {"empire/2", "hydra/22"},
    "drug:Fentanyl,heroin": {"empire/1", "empire/2", "empire/3", "dream/11"},
    "class:benzodiazepine": {"hydra/21"},
    "from:CN": {"empire/1", "dream/11", "empire/4"},
    "from:cn": {"empire/1", "dream/11", "empire/4"},
    "from:europe": {"empire/3", "dream/10", "dream/12", "hydra/20"},
    "-from:CN": {"empire/2", "empire/3", "dream/10", "dream/12", "hydra/20", "hydra/21", "hydra/22"},
    "to:DE": {"empire/3", "dream/10", "dream/11", "dream/12", "empire/4"},
    "to:US": {"empire/1", "empire/2", "dream/10", "dream/11", "hydra/21", "empire/4"},
    "to:europe": {"empire/3", "dream/10", "dream/11", "empire/4"},
    "to:CA": {"dream/10", "dream/11", "hydra/21"},
    "price<200": {"empire/1", "empire/3", "dream/10", "dream/12", "hydra/20", "hydra/22", "empire/4"},
    "price>=250": {"empire/2", "dream/11"},
    "price:80..150": {"empire/1", "dream/10", "dream/12", "hydra/22"},
    "price:..90": {"dream/10", "dream/12", "hydra/20"},
    "since:2026-01-20": {"empire/2", "dream/11", "dream/12", "hydra/21", "empire/4"},
    "until:2026-01-01": {"empire/3", "hydra/20"},
    "since:2026-01-01 until:2026-01-31": {"empire/1", "dream/10", "dream/11", "hydra/20", "hydra/21"},
    "until:2026-01-15T11:00:00Z": {"empire/1", "empire/3", "dream/10", "hydra/20"},
    "fentanyl from:CN to:US price<200 vendor:drwhite market:empire since:2026-01-01": {"empire/1"},
    # payment terms and stock: unknown matches neither yes nor no; negation takes the unknown too
    "escrow:yes": {"empire/1", "empire/2", "dream/10"},
    "escrow:no": {"empire/3", "hydra/20"},
    "escrow:No": {"empire/3", "hydra/20"},
    "-escrow:yes": {"empire/3", "dream/11", "dream/12", "hydra/20", "hydra/21", "hydra/22", "empire/4"},
    "fe:yes": {"empire/2", "empire/3"},
    "fe:no": {"empire/1", "dream/11", "hydra/20"},
    "-fe:no": {"empire/2", "empire/3", "dream/10", "dream/12", "hydra/21", "hydra/22", "empire/4"},
    "instock:yes": {"empire/1", "empire/3", "dream/10"},
    "instock:no": {"empire/2", "dream/11"},
    "fentanyl escrow:yes fe:no instock:yes": {"empire/1"},
    "opioid escrow:yes -fe:yes": {"empire/1"},
    "vendor:drwhite instock:no": {"empire/2", "dream/11"},
    # the coins a listing accepts: a ticker, case ignored; a,b either; a listing naming none never matches
    "currency:xmr": {"empire/1", "dream/10", "dream/11"},
    "currency:XMR": {"empire/1", "dream/10", "dream/11"},
    "currency:ltc,xmr": {"empire/1", "dream/10", "dream/11", "hydra/21"},
    "currency:btc currency:xmr": {"empire/1"},
    "-currency:btc": {"empire/3", "dream/10", "dream/11", "dream/12", "hydra/20", "hydra/22", "empire/4"},
    "fentanyl currency:xmr": {"empire/1", "dream/11"},
    "currency:usd": set(),  # the price's currency is not a currency accepted
    # hostile input is literal text on both backends
    'fent" OR "x': set(),
    "title:*": set(),
    "NEAR(a b)": set(),
    "'; DROP TABLE listings; --": {"hydra/22"},
    '"quoted" text': {"hydra/22"},
    "{\"query\": {\"match_all\": {}}}": set(),
}

FACETS_EXPECTED = {
    "*": {
        "market": [("empire", 4), ("dream", 3), ("hydra", 3)],
        "vendor": [("DrWhite", 3), ("PharmaGuy", 2), ("BalkanConnect", 1), ("KetKing", 1), ("PeruPure", 1),
                   ("Señor_X", 1), ("drwhite", 1)],
        "drug": [("fentanyl", 3), ("oxycodone", 2), ("alprazolam", 1), ("carfentanil", 1), ("cocaine", 1),
                 ("heroin", 1), ("ketamine", 1), ("mdma", 1)],
        "ships_from": [("CN", 3), ("NL", 2), ("US", 2), ("DE", 1), ("GB", 1)],
        "currency": [("BTC", 3), ("XMR", 3), ("LTC", 2)],
    },
    "fentanyl": {
        "market": [("empire", 2), ("dream", 1), ("hydra", 1)],
        "vendor": [("DrWhite", 2), ("PharmaGuy", 1), ("drwhite", 1)],
        "drug": [("fentanyl", 3), ("oxycodone", 2)],
        "ships_from": [("CN", 2), ("US", 1)],
        "currency": [("BTC", 2), ("XMR", 2), ("LTC", 1)],
    },
    "to:DE -from:CN": {
        "market": [("dream", 2), ("empire", 1)],
        "vendor": [("BalkanConnect", 1), ("PeruPure", 1), ("Señor_X", 1)],
        "drug": [("cocaine", 1), ("heroin", 1), ("mdma", 1)],
        "ships_from": [("NL", 2), ("DE", 1)],
        "currency": [("XMR", 1)],
    },
    "currency:btc": {
        "market": [("empire", 2), ("hydra", 1)],
        "vendor": [("DrWhite", 2), ("PharmaGuy", 1)],
        "drug": [("fentanyl", 2), ("alprazolam", 1), ("oxycodone", 1)],
        "ships_from": [("US", 2), ("CN", 1)],
        "currency": [("BTC", 3), ("LTC", 1), ("XMR", 1)],
    },
    "m30 heroin": {"market": [], "vendor": [], "drug": [], "ships_from": [], "currency": []},
}

BAD_QUERIES = ['"', "--", "price<abc", "price:..", "since:yesterday", "-price<5", "from:", "vendor>3", "until:2026-13-01", "vendor:*",
               "escrow:maybe", "fe:", "instock<1", "escrow:yes,no",
               "currency:", "currency:mo-nero", "currency<1", "currency:x", "currency:€",
               # places that are not countries or regions, a reversed range, a query past the length cap
               "to:XX", "from:ZZ", "to:DE,XX", "from:narnia", "price:200..50", "fentanyl " * 200]


@pytest.fixture(scope="module", params=["sqlite", "elasticsearch"])
def store(request, tmp_path_factory):
    if request.param == "sqlite":
        with SqliteStore(":memory:") as sqlite:
            sqlite.add_listings(corpus_listings())
            yield sqlite
        return
    from search_index.es_store import ElasticsearchStore

    es_client = request.getfixturevalue("es_client")
    new_prefix = request.getfixturevalue("prefix_factory")
    es = ElasticsearchStore(es_client, prefix=new_prefix("suite"), spool_dir=tmp_path_factory.mktemp("spool"))
    try:
        es.add_listings(corpus_listings())
        assert es.flush() == 0
        yield es
    finally:
        es.delete_indices()


def keys(result) -> set[str]:
    return {f"{hit['market']}/{hit['listing_id']}" for hit in result.hits}


@pytest.mark.parametrize("count_up_to", [10_000, None], ids=["default-count", "exact-count"])
@pytest.mark.parametrize("query", list(EXPECTED))
def test_hits_and_totals(store, query, count_up_to):
    result = store.search(query, limit=50, count_up_to=count_up_to)
    assert keys(result) == EXPECTED[query]
    assert result.total == len(EXPECTED[query]) and not result.approximate


# one query a way of collecting the matches: text, text and a filter, list filter, negation, range, none
CAPPED = {"opioid": EXPECTED["opioid"], "opioid from:CN": EXPECTED["opioid"] & EXPECTED["from:CN"],
          "to:US": EXPECTED["to:US"], "-vendor:drwhite": EXPECTED["-vendor:drwhite"], "price<200": EXPECTED["price<200"],
          "*": ALL, "opioid -from:CN since:2026-01-01": {"empire/2"},
          "oxycodone": EXPECTED["drug:oxycodone"]}


@pytest.mark.parametrize("query", list(CAPPED))
def test_counting_stops_at_count_up_to_and_says_the_total_is_approximate(store, query):
    expected = CAPPED[query]
    result = store.search(query, limit=2, count_up_to=2)
    assert result.approximate == (len(expected) > 2)
    assert result.total == min(len(expected), 2) and len(result.hits) == min(len(expected), 2)
    assert keys(result) <= expected
    assert result.to_dict()["approximate"] is result.approximate
    assert result.total_text() == ("2+" if len(expected) > 2 else str(len(expected)))


def test_exactly_count_up_to_matches_is_exact(store):
    result = store.search("opioid", limit=0, count_up_to=6)
    assert result.total == 6 and not result.approximate and result.total_text() == "6"


def test_count_up_to_never_below_the_hits_asked_for(store):
    result = store.search("opioid", limit=50, count_up_to=2)
    assert result.total == 6 and not result.approximate and keys(result) == EXPECTED["opioid"]


@pytest.mark.parametrize("query", list(FACETS_EXPECTED))
def test_facet_counts_in_order(store, query):
    facets = store.search(query, limit=0).facets
    assert {name: list(counts.items()) for name, counts in facets.items()} == FACETS_EXPECTED[query]


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_bad_queries_are_clear_errors(store, query):
    with pytest.raises(QueryError):
        store.search(query)


def test_country_names_and_repeated_terms_find_what_the_codes_find(store):
    assert keys(store.search("to:Germany")) == keys(store.search("to:DEU")) == EXPECTED["to:DE"]
    assert keys(store.search("fentanyl fentanyl FENTANYL to:DE to:de")) == keys(store.search("fentanyl to:DE"))


def test_vendor_listings_match_market_and_handle_exactly(store):
    by_vendor: dict[tuple[str, str], set[str]] = {}
    for listing in corpus_listings():
        if listing.vendor:
            by_vendor.setdefault((listing.market, listing.vendor), set()).add(f"{listing.market}/{listing.listing_id}")
    for (market, handle), expected in by_vendor.items():
        found = store.vendor_listings(market, handle)
        assert found.total == len(expected) and keys(found) == expected, (market, handle)
        assert store.vendor_listings(market, handle.swapcase()).total == 0  # exact, not folded
    assert store.vendor_listings("empire", '",-*(\\').total == 0


def test_a_search_past_its_time_limit_is_stopped_with_a_clear_error(store):
    if not isinstance(store, SqliteStore):
        pytest.skip("Elasticsearch answers this corpus within its 1 ms minimum search timeout")
    with pytest.raises(SearchTimeout, match="took longer than"):
        store.search("opioid", timeout=1e-6)
    assert store.search("opioid", timeout=60).total == 6  # the store goes on answering


def test_limit_caps_hits_not_total(store):
    result = store.search("opioid", limit=2)
    assert result.total == 6 and len(result.hits) == 2
    assert keys(result) <= EXPECTED["opioid"]


def test_hits_carry_evidence_and_normalised_time(store):
    (hit,) = store.search("crystals").hits
    assert hit["evidence"]["record_id"] == "<urn:uuid:10>" and hit["evidence"]["digest"] == "sha256:AAAA"
    assert hit["seen_at"] == "2026-01-15T11:00:00Z"
    assert hit["ships_to"] == ["WW"] and hit["price_usd"] == 90.0


def test_hits_carry_terms_stock_and_category(store):
    (hit,) = store.search("crystals").hits
    assert (hit["escrow"], hit["finalize_early"], hit["stock"], hit["in_stock"]) == (True, None, 5, True)
    assert "category" in hit
    (unknown,) = store.search("cocaine").hits
    assert (unknown["escrow"], unknown["finalize_early"], unknown["stock"], unknown["in_stock"]) == (None,) * 4


def test_hostile_text_is_stored_verbatim(store):
    doc = store.get_listing("hydra", "20")
    assert doc["description"] == "<script>alert(1)</script> best k"
    assert store.counts()["listings"] == len(CORPUS)
