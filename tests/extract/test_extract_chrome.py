"""Chrome learned from a crawl: blocks on many vendors' pages go, a vendor's own boilerplate and
the listing's fields stay. Pages are the sandbox's (served over a socket) and small hand-made ones;
the real development pages are read in place when present."""
from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

from extract import extract_many, load_pipeline
from extract.chrome import ChromeModel, learn_chrome, page_blocks, strip_chrome
from extract.html import html_to_text
from onionwatch.sandbox import ALL_FAMILIES, build_world, serve_world, truth_records

REAL_PAGES = Path(__file__).resolve().parents[3] / "shared" / "data" / "dev" / "real-pages"

MENU = ('<div class="c1"><div class="c1g"><span>Opioids</span> <a href="/s?q=f">Fentanyl</a> (12) '
        '<a href="/s?q=h">Heroin</a> (3)</div><div class="c1g"><span>Stimulants</span> '
        '<a href="/s?q=c">Cocaine</a> (9)</div></div>')
FEATURED = '<div class="bx"><p class="bi">Carfentanil 1g $120.00 by kingpin, ships from Canada</p></div>'


def listing(vendor: str, title: str, price: str, ships_to: str = "Worldwide", extra: str = "",
            signoff: str = "") -> str:
    return (f"<html><body>{MENU}<div class='main'><div class='item'><h1>{title}</h1>{extra}"
            f"<table class='d'><tr><th>Vendor</th><td>{vendor}</td></tr>"
            f"<tr><th>Price</th><td>{price}</td></tr><tr><th>Ships to</th><td>{ships_to}</td></tr>"
            f"<tr><th>Escrow</th><td>Yes</td></tr></table>"
            f"<div class='txt'><p>{title}, fresh batch.</p><p>{signoff}</p></div></div></div>"
            f"{FEATURED}<p class='ft'>Warning: fentanyl in pressed pills, United States.</p></body></html>")


def crawl(vendors: int = 5, per_vendor: int = 2) -> list[tuple[str, str]]:
    pages = []
    for v in range(vendors):
        for k in range(per_vendor):
            pages.append((listing(f"vendor{v}", f"MDMA {v}{k}0g", f"${v}{k}5.00",
                                  signoff=f"Stay safe from vendor{v}'s crew"), f"vendor{v}"))
    return pages


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def test_blocks_on_many_vendors_pages_are_chrome_and_go():
    model = learn_chrome(crawl())
    page = listing("newcomer", "Ketamine shards 5g", "$80.00")
    out = strip_chrome(page, model)
    text = html_to_text(out.html)
    for gone in ("Fentanyl", "Heroin", "Cocaine", "Carfentanil", "Canada", "United States"):
        assert gone not in text
    for stays in ("Ketamine shards 5g", "$80.00", "newcomer", "Ships to\tWorldwide", "Escrow\tYes"):
        assert stays in text
    assert {text for _, text in out.removed} >= {"Opioids Fentanyl (12) Heroin (3)",
                                                 "Carfentanil 1g $120.00 by kingpin, ships from Canada"}


def test_a_vendors_own_boilerplate_is_not_chrome():
    pages = crawl(vendors=5, per_vendor=6)  # each sign-off is on all 6 of its vendor's pages
    model = learn_chrome(pages)
    out = strip_chrome(pages[0][0], model)
    assert "Stay safe from vendor0's crew" in html_to_text(out.html)
    assert not any("Stay safe" in text for _, text in out.removed)


def test_few_vendors_learn_nothing_and_say_so():
    model = learn_chrome(crawl(vendors=2, per_vendor=10))
    assert not model.learned and model.pages == 20 and model.vendors == 2
    assert model.note == "learned nothing: pages of 2 vendors, at least 3 needed"
    page = crawl(vendors=1)[0][0]
    assert strip_chrome(page, model).html == page


def test_thresholds_are_parameters():
    pages = crawl(vendors=10, per_vendor=1)
    shared = "<p class='x'>Shared by three</p>"
    pages = [(html.replace("<h1>", shared + "<h1>") if i < 3 else html, v) for i, (html, v) in enumerate(pages)]
    strict = learn_chrome(pages, min_vendors=3, min_vendor_share=0.5)  # needs 5 vendors
    loose = learn_chrome(pages, min_vendors=3, min_vendor_share=0.2, path_share=1.0)
    key = ("html/body/div.main/div.item/p.x", "Shared by three")
    assert key not in strip_chrome(pages[0][0], strict).removed
    assert key in strip_chrome(pages[0][0], loose).removed
    with pytest.raises(ValueError):
        learn_chrome(pages, min_vendors=0)


def test_profile_fields_and_labelled_fields_are_never_dropped():
    pages = crawl(vendors=6)
    model = learn_chrome(pages)
    page = listing("vendor9", "Speed 10g", "$40.00")
    kept = strip_chrome(page, model, keep=["Opioids", "Worldwide"])
    text = html_to_text(kept.html)
    # "Ships to Worldwide" and "Escrow Yes" repeat on every vendor's pages: labelled fields, kept
    assert "Ships to\tWorldwide" in text and "Escrow\tYes" in text
    # a menu naming the listing's own category among other drugs is still chrome
    assert "Fentanyl" not in text
    # a profile field's exact text is kept even where the whole path is chrome
    featured = "Carfentanil 1g $120.00 by kingpin, ships from Canada"
    assert featured in html_to_text(strip_chrome(page, model, keep=[featured]).html)


def test_a_box_whose_items_rotate_goes_with_its_path():
    pages = []
    for v in range(8):
        box = "".join(f"<li>Top item {n}</li>" for n in range(3))  # the same three everywhere...
        if v == 7:
            box = "<li>Rotated in today: Heroin 1g</li>"  # ...but one page shows a new one
        pages.append((f"<body><ul class='tp'>{box}</ul><h1>Own {v}</h1></body>", f"v{v}"))
    model = learn_chrome(pages[:7])
    out = strip_chrome(pages[7][0], model)
    assert out.removed == (("html/body/ul.tp/li", "Rotated in today: Heroin 1g"),)
    assert "Own 7" in out.html


def test_nested_content_inside_a_chrome_block_stays():
    pages = [(f"<body><div class='w'>Site news<div class='c'><p>Listing {v} text</p></div>"
              f"more news</div></body>", f"v{v}") for v in range(5)]
    model = learn_chrome(pages)
    out = strip_chrome(pages[0][0], model)
    assert out.removed == (("html/body/div.w", "Site news more news"),)
    assert html_to_text(out.html) == "Listing 0 text"


def test_the_model_is_frozen_and_round_trips_through_json():
    model = learn_chrome(crawl())
    again = ChromeModel.from_dict(json.loads(model.to_json()))
    assert again == model and again.learned
    with pytest.raises(AttributeError):
        model.pages = 0  # type: ignore[misc]


def test_hostile_and_broken_pages_are_left_alone_or_cleaned_never_run():
    model = learn_chrome(crawl())
    deep = "<html><body>" + "<div>" * 20000 + "Fentanyl (12)" + "</div>" * 20000 + "</body></html>"
    out = strip_chrome(deep, model)
    assert out.html == deep and "deep" in out.note
    assert strip_chrome("", model).html == ""
    scripted = listing("v", "X 1g", "$1.00", extra="<script>fetch('http://evil.invalid')</script>")
    cleaned = strip_chrome(scripted.encode(), model)
    assert "<script>" in cleaned.html and cleaned.removed  # markup is kept as is, text never run
    assert page_blocks("<p>a<script>b</script>c</p>") == [("html/body/p", "a c")]


def test_learning_reads_pairs_only():
    with pytest.raises(TypeError, match="pairs"):
        learn_chrome(["<html></html>"])  # type: ignore[list-item]


@pytest.fixture(scope="module")
def sandbox_pages():
    world = build_world(5, vendors=10, listings=60, families=ALL_FAMILIES)
    truth = [t for t in truth_records(world) if t["type"] in ("listing", "vendor")]
    with serve_world(world) as served:
        pages = []
        for t in truth:
            with urllib.request.urlopen(served.urls[t["market"]] + t["url_path"], timeout=30) as resp:
                pages.append((t, resp.read().decode("utf-8")))
    return pages


@pytest.mark.parametrize("family", ALL_FAMILIES)
def test_the_sandboxs_chrome_is_learned_and_its_listings_facts_stay(family, sandbox_pages, nlp):
    market = {"table": "empire-sandbox", "grid": "vitrine-sandbox", "forum": "backroom-sandbox",
              "markt": "schattenmarkt-sandbox"}[family]
    mine = [(t, html) for t, html in sandbox_pages if t["market"] == market]
    model = learn_chrome((html, t.get("vendor") or t.get("handle")) for t, html in mine)
    assert model.learned, model.note
    listings = [(t, html) for t, html in mine if t["type"] == "listing" and t["product"] not in
                {"fentanyl", "carfentanil", "acetylfentanyl", "furanylfentanyl", "m30_pressed"}]
    assert listings
    records, stripped = [], []
    for t, html in listings:
        assert "fentanyl" in html_to_text(html).lower(), "the chrome names fentanyl on every page"
        keep = [v for value in t["labelled"].values() for v in (value if isinstance(value, list) else [value])]
        out = strip_chrome(html, model, keep=keep + t["description_paragraphs"])
        stripped.append(out)
        records.append({"id": t["listing_id"], "title": t["labelled"]["title"], "html": out.html})
    for (t, _), out, result in zip(listings, stripped, extract_many(nlp, records)):
        text = html_to_text(out.html)
        assert "fentanyl" not in text.lower(), (t["listing_id"], [r for r in out.removed][:3])
        for paragraph in t["description_paragraphs"]:
            assert " ".join(paragraph.split()) in " ".join(text.split())
        assert result["ships_from"] == t["ships_from"], t["listing_id"]


def test_real_pages_lose_their_menus_not_their_facts(nlp):
    if not (REAL_PAGES / "labels.jsonl").exists():
        pytest.skip(f"the real development pages are not at {REAL_PAGES}")
    labels = {(lab["market"], lab["page"]): lab
              for lab in map(json.loads, (REAL_PAGES / "labels.jsonl").read_text(encoding="utf-8").splitlines())}
    for market in ("dream", "apollon"):
        files = sorted(f for f in (REAL_PAGES / market).rglob("*") if f.is_file())
        pages = {f: f.read_bytes().decode("utf-8", errors="replace") for f in files}
        whole = {r["id"]: r for r in extract_many(nlp, [{"id": str(f), "html": h} for f, h in pages.items()])}
        # few pages carry a vendor label: the vendor extraction reads stands in, else the page itself
        vendor = {f: (labels.get((market, str(f.relative_to(REAL_PAGES / market)))) or {}).get("vendor")
                  or whole[str(f)]["vendor"] or str(f) for f in files}
        model = learn_chrome((pages[f], vendor[f]) for f in files)
        assert model.learned, model.note
        stripped = {f: strip_chrome(pages[f], model) for f in files}
        assert all(s.removed for s in stripped.values()), "the menus are on every page"
        after = {r["id"]: r for r in extract_many(nlp, [{"id": str(f), "html": s.html} for f, s in stripped.items()])}
        for f in files:
            lab = labels.get((market, str(f.relative_to(REAL_PAGES / market)))) or {}
            before, now = whole[str(f)], after[str(f)]
            for fact in ("escrow", "finalize_early", "ships_from"):
                if lab.get(fact) is not None and before[fact] is not None:
                    assert now[fact] == before[fact], (market, f.name, fact)
            if lab.get("ships_to"):
                assert set(now["ships_to"]) == set(before["ships_to"]), (market, f.name)
            if lab.get("price") is not None and before["price"]:
                assert now["price"] == before["price"], (market, f.name)
            if lab.get("vendor"):
                assert now["vendor"] == before["vendor"], (market, f.name)


def test_indexing_learns_each_markets_chrome_and_extracts_without_it(tmp_path, nlp):
    from onionwatch.evidence import EvidenceWriter
    from onionwatch.pipeline.indexing import index_paths
    from onionwatch.core.models import Listing
    from search_index import SqliteStore

    lines = []
    with EvidenceWriter(tmp_path / "c.warc.gz") as writer:
        for n, (html, vendor) in enumerate(crawl(vendors=5, per_vendor=2)):
            url = f"http://m/listing/{n}"
            evidence = writer.write_response(url, 200, [("Content-Type", "text/html")], html.encode(),
                                             fetched_at="2026-01-01T00:00:00Z")
            title = title_of(html)
            lines.append(Listing("m", str(n), url, title=title, vendor=vendor, evidence=evidence,
                                 fields={"title": title, "vendor": vendor, "ships_to": "Worldwide"}).to_dict())
    records = tmp_path / "c.jsonl"
    records.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    with SqliteStore(":memory:") as store:
        report = index_paths([records], store, nlp, quiet=True)
        docs = list(store.iter_listings())
    assert report.listings == 10 and "chrome blocks" in report.chrome["m"]
    assert report.chrome_pages == 10 and report.chrome_blocks_removed >= 30
    assert all(doc["drugs"] == ["mdma"] for doc in docs), [doc["drugs"] for doc in docs]
    assert all(doc["ships_to"] == ["WW"] for doc in docs)


def title_of(html: str) -> str:
    return html.split("<h1>")[1].split("</h1>")[0]
