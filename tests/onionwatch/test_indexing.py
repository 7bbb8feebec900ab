"""Indexing crawl records: extraction reads the archived page; nothing is dropped on bad input."""
from __future__ import annotations

import json

import pytest

from extract import load_pipeline
from onionwatch.evidence import EvidenceWriter
from onionwatch.pipeline.indexing import index_paths
from onionwatch.core.models import Listing, VendorAccount
from search_index import SqliteStore

PAGE = """<html><body><h1>Fentanyl HCl 2g</h1><table>
<tr><td>Price</td><td>$180.00</td></tr><tr><td>Ships from</td><td>Netherlands</td></tr>
<tr><td>Ships to</td><td>Worldwide</td></tr></table><p>Pure powder, 2 g, stealth shipping.</p></body></html>"""


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def write_crawl(tmp_path, *, tamper=False):
    warc = tmp_path / "c.warc.gz"
    with EvidenceWriter(warc, compress=not tamper) as writer:
        ev = writer.write_response("http://m/listing/1", 200, [("Content-Type", "text/html")], PAGE.encode(),
                                   fetched_at="2026-01-01T00:00:00Z")
        vendor_ev = writer.write_response("http://m/vendor/v1", 200, [], b"<h1>v1</h1><p>Wickr: v1shop</p>",
                                          fetched_at="2026-01-01T00:00:01Z")
    if tamper:
        warc.write_bytes(warc.read_bytes().replace(b"$180.00", b"$999.00"))
    records = tmp_path / "c.jsonl"
    lines = [
        Listing("m", "1", "http://m/listing/1", title="Fentanyl HCl 2g", vendor="v1",
                description="Pure powder, 2 g", evidence=ev).to_dict(),
        VendorAccount("m", "v1", url="http://m/vendor/v1", evidence=vendor_ev).to_dict(),
        {"kind": "parse_error", "market": "m", "url": "http://m/listing/2", "missing": ["title"]},
    ]
    records.write_text("\n".join(json.dumps(l) for l in lines) + "\n{not json\n")
    return records


def test_extraction_reads_the_archived_page(tmp_path, nlp):
    records = write_crawl(tmp_path)
    with SqliteStore(":memory:") as store:
        report = index_paths([records], store, nlp, quiet=True)
        doc = store.get_listing("m", "1")
        assert store.get_vendor("m", "v1")["extracted"]["id"] == "m/vendor/v1"
        assert store.counts()["observations"] == 1
    assert (report.listings, report.vendors) == (1, 1)
    assert doc["drugs"] == ["fentanyl"]
    assert doc["price_usd"] == 180.0  # from the archived page, not from the record's description
    assert doc["ships_from"] == "NL" and doc["ships_to"] == ["WW"]


def test_bad_lines_and_parse_errors_are_counted_not_fatal(tmp_path, nlp):
    records = write_crawl(tmp_path)
    with SqliteStore(":memory:") as store:
        report = index_paths([records], store, nlp, quiet=True)
    assert report.parse_errors == 1 and report.bad_lines == 1
    assert any("http://m/listing/2" in p for p in report.problems)


def test_tampered_evidence_is_reported_and_the_listing_still_indexed(tmp_path, nlp):
    records = write_crawl(tmp_path, tamper=True)
    with SqliteStore(":memory:") as store:
        report = index_paths([records], store, nlp, quiet=True)
        doc = store.get_listing("m", "1")
    assert report.evidence_errors == 1
    assert any("does not match" in p for p in report.problems)
    assert doc["drugs"] == ["fentanyl"] and doc["price_usd"] is None  # read from the record's own text


def test_observations_carry_stock_feedback_and_availability(tmp_path, nlp):
    from onionwatch.pipeline.indexing import observe_gone

    warc = tmp_path / "o.warc.gz"
    with EvidenceWriter(warc) as writer:
        ev = writer.write_response("http://m/listing/1", 200, [("Content-Type", "text/html")], PAGE.encode(),
                                   fetched_at="2026-01-02T00:00:00Z")
        sold = writer.write_response("http://m/listing/2", 200, [("Content-Type", "text/html")], PAGE.encode(),
                                     fetched_at="2026-01-02T00:00:01Z")
    records = tmp_path / "o.jsonl"
    records.write_text("\n".join(json.dumps(r.to_dict()) for r in [
        Listing("m", "1", "http://m/listing/1", title="Fentanyl HCl 2g", evidence=ev,
                fields={"price": "$180.00", "stock": "1,204", "feedback_count": "37 reviews"}),
        Listing("m", "2", "http://m/listing/2", title="Fentanyl HCl 2g", evidence=sold,
                fields={"price": "$180.00", "stock": "0"}),
    ]) + "\n")
    with SqliteStore(":memory:") as store:
        index_paths([records], store, nlp, quiet=True)
        assert observe_gone(store, "m", ["1"], "2026-01-09T00:00:00Z") == 1
        first, gone = store.price_history("m", "1")
        [sold_out] = store.price_history("m", "2")
    assert (first["stock"], first["feedback_count"], first["available"]) == (1204, 37, True)
    assert first["price_usd"] == 180.0
    assert (gone["available"], gone["price_usd"], gone["observed_at"]) == (False, None, "2026-01-09T00:00:00Z")
    assert (sold_out["stock"], sold_out["available"]) == (0, False)


CHROME_PAGE = """<html><body><div id="menu">Fentanyl | Heroin | Featured: Cocaine 1g $40.00, ships from Germany</div>
<div id="item"><h1>MDMA crystals 5g</h1><table>
<tr><td>Price</td><td>0.01 BTC ($95.00)</td></tr><tr><td>Origin</td><td>Netherlands</td></tr>
<tr><td>Payment</td><td>Escrow</td></tr><tr><td>Quantity</td><td>97 Available</td></tr></table>
<p>Clean crystals. Tracked post. Also see our $12.00 sample.</p></div></body></html>"""


def test_profile_fields_win_and_extraction_reads_only_the_content_area(tmp_path, nlp):
    warc = tmp_path / "p.warc.gz"
    with EvidenceWriter(warc) as writer:
        ev = writer.write_response("http://m/listing/5", 200, [("Content-Type", "text/html")], CHROME_PAGE.encode(),
                                   fetched_at="2026-01-03T00:00:00Z")
    fields = {"title": "MDMA crystals 5g", "vendor": "v5", "price": "0.01 BTC ($95.00)", "ships_from": "Netherlands",
              "payment": "Escrow", "stock": "97 Available", "category": "Ecstasy / MDMA",
              "feedback_count": "not a number", "content": {"xpath": "//div[@id='item']"}}
    records = tmp_path / "p.jsonl"
    records.write_text(json.dumps(Listing("m", "5", "http://m/listing/5", title="MDMA crystals 5g", vendor="v5",
                                          category="Ecstasy / MDMA", fields=fields, evidence=ev).to_dict()) + "\n")
    with SqliteStore(":memory:") as store:
        report = index_paths([records], store, nlp, quiet=True)
        doc = store.get_listing("m", "5")
        found = store.search("escrow:yes fe:no instock:yes from:NL")
        assert store.search("fentanyl").total == 0  # the menu is outside the content area
        assert store.search("escrow:no").total == 0 and store.search("instock:no").total == 0
        [observation] = store.price_history("m", "5")
    assert report.listings == 1 and report.extraction_errors == 0
    assert doc["drugs"] == ["mdma"]
    assert (doc["price_amount"], doc["price_currency"]) == (0.01, "BTC")  # the profile's price, not $12 or $40
    assert doc["ships_from"] == "NL"
    assert (doc["escrow"], doc["finalize_early"], doc["stock"], doc["in_stock"]) == (True, False, 97, True)
    assert doc["sources"]["price"] == {"source": "profile", "field": "price"}
    assert doc["sources"]["escrow"] == {"source": "profile", "field": "payment"}
    assert observation["price_usd"] == doc["price_usd"] and observation["stock"] == 97
    [hit] = found.hits
    assert {k: hit[k] for k in ("escrow", "finalize_early", "stock", "in_stock", "category")} == \
        {"escrow": True, "finalize_early": False, "stock": 97, "in_stock": True, "category": "Ecstasy / MDMA"}


def test_without_profile_fields_extraction_is_used_and_its_spans_kept(tmp_path, nlp):
    records = write_crawl(tmp_path)
    with SqliteStore(":memory:") as store:
        index_paths([records], store, nlp, quiet=True)
        doc = store.get_listing("m", "1")
    assert doc["price_usd"] == 180.0
    source = doc["sources"]["price"]
    assert source["source"] == "text" and PAGE.count("$180.00") == 1
    assert source["span"][1] > source["span"][0]


LABEL_PAGE = """<html><body><div class="item"><h2>Speed paste 100g</h2>
<div class="specs"><span class="k">Sent from</span><span class="v">Belgium</span>
<span class="k">Shipping area</span><span class="v">Europe</span></div>
<p><b>Escrow protection:</b> yes</p><p><b>FE allowed:</b> no</p>
<p>Price $90. We also ship from the Netherlands sometimes, 100% FE for regulars.</p></div></body></html>"""


def _label_crawl(tmp_path):
    warc = tmp_path / "l.warc.gz"
    with EvidenceWriter(warc) as writer:
        ev = writer.write_response("http://m/listing/9", 200, [("Content-Type", "text/html")], LABEL_PAGE.encode(),
                                   fetched_at="2026-01-04T00:00:00Z")
    records = tmp_path / "l.jsonl"
    records.write_text(json.dumps(Listing("m", "9", "http://m/listing/9", title="Speed paste 100g", vendor="v9",
                                          fields={"ships_to": "Worldwide"}, evidence=ev).to_dict()) + "\n")
    return records


def _check_labelled(doc) -> None:
    assert (doc["ships_from"], doc["escrow"], doc["finalize_early"]) == ("BE", True, False)
    assert doc["ships_to"] == ["WW"]  # the profile's field wins over the labelled "Europe"
    assert doc["sources"]["ships_to"] == {"source": "profile", "field": "ships_to"}
    assert doc["sources"]["ships_from"] == {"source": "label", "label": "Sent from", "text": "Belgium"}
    assert doc["sources"]["finalize_early"] == {"source": "label", "label": "FE allowed", "text": "no"}


def test_labelled_fields_reach_the_sqlite_index_below_profile_fields(tmp_path, nlp):
    with SqliteStore(":memory:") as store:
        report = index_paths([_label_crawl(tmp_path)], store, nlp, quiet=True)
        doc = store.get_listing("m", "9")
        assert store.search("from:BE escrow:yes fe:no").total == 1
    assert report.listings == 1 and report.extraction_errors == 0
    _check_labelled(doc)

