"""Writing a profile without trial and error: selectors that return strings, ``re`` post-filters,
several rules a page kind merged into one record, ``match`` and ``content``; ``onionwatch profile
check`` on saved pages; ``onionwatch crawl --from-dir`` on a saved site (a real crawl over a real
socket); ``onionwatch extract`` on the crawl's records. The pages are written here, by the test."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from scrapy.http import HtmlResponse

from crawlers.pages import merge_records, read_fields, records_from_page
from crawlers.pipelines.jsonl import record_dict, record_key
from crawlers.profile import parse_profile
from crawlers.replay import crawl_warcs, replay_records

from .crawl_helpers import run_onionwatch

LISTING = """<html><head><title>Shop - Pills 10x</title></head><body>
<ul class="menu"><li>Fentanyl</li><li>Heroin</li></ul>
<div class="offer"><h1>Pills 10x</h1><input name="offer" value="771"/>
<table class="facts"><tr><th>Vendor</th><td>bob [rank 3]</td></tr>
<tr><th>Price</th><td>USD 12.50</td></tr><tr><th>Ships</th><td>Germany -> EU, United Kingdom</td></tr>
<tr><th>Stock</th><td>12 left</td></tr><tr><th>Escrow</th><td>Yes</td></tr></table></div>
<div class="related">Featured: Cocaine 1g $80</div></body></html>"""
VENDOR_TAB = """<html><body><div class="user"><h2>bob <span>(99%)</span></h2>
<ul class="tabs"><li class="on">Profile</li><li>PGP</li></ul><p class="about">Fast shipping.</p>
<p class="contact">Jabber: bob@xmpp.example</p></div></body></html>"""
PGP_TAB = """<html><body><div class="user"><h2>bob <span>(99%)</span></h2>
<ul class="tabs"><li>Profile</li><li class="on">PGP</li></ul><pre class="key">-----BEGIN PGP PUBLIC KEY BLOCK-----
not a real key
-----END PGP PUBLIC KEY BLOCK-----</pre></div></body></html>"""
OTHER = "<html><body><ul class='menu'><li>Fentanyl</li></ul><p>Welcome</p></body></html>"

PROFILE = {
    "name": "toy", "base_url": "http://b5jrgphfpsuore33wsy4cwrt56kzi4codqi2xvmolgf3qnrpooc63fad.onion", "family": "table",
    "pages": {
        "listing": {
            "match": "div.offer table.facts", "content": "div.offer", "required": ["title", "vendor", "price"],
            "fields": {
                "listing_id": {"css": "input[name=offer]", "attr": "value"},
                "title": {"xpath": "normalize-space(//div[@class='offer']/h1/text())"},
                "vendor": {"xpath": "//tr[th='Vendor']/td/text()", "re": r"^(\S+)"},
                "price": {"xpath": "//tr[th='Price']/td"},
                "ships_from": {"xpath": "substring-before(//tr[th='Ships']/td, ' ->')"},
                "ships_to": {"xpath": "substring-after(//tr[th='Ships']/td, '-> ')"},
                "stock": {"xpath": "//tr[th='Stock']/td"},
                "escrow": {"xpath": "//tr[th='Escrow']/td"},
            }},
        "vendor": [
            {"name": "profile-tab", "match": {"xpath": "//ul[@class='tabs']/li[@class='on'][.='Profile']"},
             "required": ["handle"],
             "fields": {"handle": {"xpath": "//div[@class='user']/h2/text()[1]", "re": r"\S+"},
                        "profile_text": "p.about", "contacts": {"css": "p.contact", "all": True}}},
            {"name": "pgp-tab", "match": {"xpath": "//ul[@class='tabs']/li[@class='on'][.='PGP']"},
             "required": ["handle"],
             "fields": {"handle": {"xpath": "//div[@class='user']/h2/text()[1]", "re": r"\S+"},
                        "pgp_key": {"css": "pre.key", "keep_whitespace": True}}},
        ]}}


def _page(path: str, html: str) -> HtmlResponse:
    return HtmlResponse("http://b5jrgphfpsuore33wsy4cwrt56kzi4codqi2xvmolgf3qnrpooc63fad.onion" + path, body=html.encode(), encoding="utf-8")


def test_string_xpaths_and_re_filters_read_values():
    profile = parse_profile(PROFILE)
    [listing] = records_from_page(profile, _page("/p/1", LISTING), None)
    assert (listing.listing_id, listing.title, listing.vendor) == ("771", "Pills 10x", "bob")
    assert (listing.fields["ships_from"], listing.fields["ships_to"]) == ("Germany", "EU, United Kingdom")
    assert listing.fields["content"]["xpath"]  # where the listing's own area is, for extraction
    assert read_fields(_page("/p/1", LISTING), profile.pages["listing"][0].fields[:1]) == {"listing_id": "771"}
    assert list(records_from_page(profile, _page("/", OTHER), None)) == []  # no rule's match selector finds it


def test_a_vendors_tabs_are_one_vendor_record():
    profile = parse_profile(PROFILE)
    [profile_tab] = records_from_page(profile, _page("/u/bob", VENDOR_TAB), None)
    [pgp_tab] = records_from_page(profile, _page("/u/bob/pgp", PGP_TAB), None)
    a, b = record_dict(profile_tab), record_dict(pgp_tab)
    assert record_key(a) == record_key(b) == ("vendor", "toy", "bob")
    merged = merge_records(a, b)
    assert merged["pgp_key"].startswith("-----BEGIN PGP") and merged["profile_text"] == "Fast shipping."
    assert merged["contacts"] == ["Jabber: bob@xmpp.example"] and merged["url"].endswith("/u/bob")
    assert [p["url"] for p in merged["fields"]["pages"]] == ["http://b5jrgphfpsuore33wsy4cwrt56kzi4codqi2xvmolgf3qnrpooc63fad.onion/u/bob/pgp"]
    assert merge_records(merged, b) is None  # the same tab again adds nothing


@pytest.fixture(scope="module")
def saved_site(tmp_path_factory):
    """A saved site (written here), crawled with --from-dir; its folder, profile and data dir."""
    root = tmp_path_factory.mktemp("saved")
    site = root / "site"
    for path, html in {"item/1.html": LISTING, "user/bob": VENDOR_TAB, "user/bob-pgp": PGP_TAB,
                       "index.html": OTHER, "logo.png": "\x89PNG"}.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(html, encoding="utf-8")
    profile = root / "toy.yaml"
    profile.write_text(yaml.safe_dump(PROFILE, sort_keys=False))
    data = root / "data"
    done = run_onionwatch("crawl", "--profile", str(profile), "--from-dir", str(site), "--no-index",
                          "--data-dir", str(data), "--delay", "0")
    assert done.returncode == 0, done.stderr[-3000:]
    [items] = (data / "items").glob("toy-*.jsonl")
    return {"site": site, "profile": profile, "data": data, "items": items, "stderr": done.stderr}


def test_crawl_from_dir_reads_every_saved_page(saved_site):
    lines = [json.loads(line) for line in saved_site["items"].read_text().splitlines()]
    last = {record_key(r): r for r in lines}
    assert set(last) == {("listing", "toy", "771"), ("vendor", "toy", "bob")}
    vendor = last[("vendor", "toy", "bob")]
    assert vendor["pgp_key"] and vendor["contacts"] and len(vendor["fields"]["pages"]) == 1
    assert all(r["url"].startswith("http://127.0.0.1:") for r in lines)
    # the archive alone gives the same records, merged the same way
    crawl_id = saved_site["items"].stem.split("-", 1)[1]
    replayed = {record_key(record_dict(r)): json.loads(json.dumps(record_dict(r)))
                for r in replay_records(crawl_warcs(saved_site["data"] / "warc", "toy", crawl_id),
                                        parse_profile(PROFILE))}
    assert replayed == last


def test_extract_reads_crawl_records_with_title_and_stock(saved_site):
    done = run_onionwatch("extract", str(saved_site["items"]))
    assert done.returncode == 0, done.stderr[-2000:]
    results = {r["id"]: r for r in map(json.loads, done.stdout.splitlines())}
    listing = results["toy/771"]
    assert listing["title"] == "Pills 10x"
    assert (listing["stock"]["count"], listing["stock"]["source"]) == (12, "field")
    assert listing["price"]["amount"] == 12.5
    # only the listing's area was read: the menu's and the featured box's drugs are not the listing's
    assert {d["name"] for d in listing["drugs"]}.isdisjoint({"fentanyl", "heroin", "cocaine"})
    assert "toy/vendor/bob" in results


def test_profile_check_shows_rules_fields_and_failures(saved_site, tmp_path):
    done = run_onionwatch("profile", "check", str(saved_site["profile"]), str(saved_site["site"]), "--json")
    assert done.returncode == 1  # index.html is taken by no rule
    checks = {Path(c["page"]).name: c for c in map(json.loads, done.stdout.splitlines())}
    assert set(checks) == {"1.html", "bob", "bob-pgp", "index.html"}  # the picture is no page
    listing = checks["1.html"]
    assert listing["ok"] and listing["rule"] == "listing"
    fields = {f["name"]: f for f in listing["fields"]}
    assert fields["price"]["parsed"] == {"amount": 12.5, "currency": "USD", "usd": 12.5}
    assert fields["ships_to"]["parsed"] == ["EU", "GB"] and fields["escrow"]["parsed"] is True
    assert fields["vendor"]["raw"] == ["bob [rank 3]"] and fields["vendor"]["value"] == "bob"
    assert checks["bob-pgp"]["rule"] == "pgp-tab" and "profile-tab" in checks["bob-pgp"]["not_taken"]
    assert checks["index.html"]["failures"] == ["no page rule takes this page"]
    text = run_onionwatch("profile", "check", str(saved_site["profile"]), str(saved_site["site"] / "item"))
    assert text.returncode == 0 and "'USD 12.50' -> 12.5 USD" in text.stdout


def test_profile_check_fails_on_a_required_field_and_escapes_page_text(tmp_path):
    page = tmp_path / "p.html"
    page.write_text("<div class='offer'><table class='facts'><tr><th>Vendor</th><td>ev\x1b[2Jil</td></tr>"
                    "<tr><th>Price</th><td>ask me</td></tr></table><h1>x</h1></div>")
    profile = tmp_path / "toy.yaml"
    profile.write_text(yaml.safe_dump(PROFILE))
    done = run_onionwatch("profile", "check", str(profile), str(page))
    assert done.returncode == 1
    assert "FAILED: required field price: does not parse" in done.stdout
    assert "\x1b" not in done.stdout and "\\x1b[2Jil" in done.stdout


@pytest.mark.parametrize("command", [["crawl", "--no-index", "--from-dir", "."], ["profile", "check"]])
def test_a_bad_selector_is_one_clear_error(tmp_path, command):
    bad = {**PROFILE, "pages": {"listing": {**PROFILE["pages"]["listing"],
                                            "fields": {"title": "h1", "price": {"xpath": "//td[@class='p'"}}}}}
    bad["pages"]["listing"]["required"] = ["title"]
    profile = tmp_path / "bad.yaml"
    profile.write_text(yaml.safe_dump(bad, sort_keys=False))
    args = [*command[:1], "--profile", str(profile), *command[1:]] if command[0] == "crawl" \
        else [*command, str(profile), str(tmp_path)]
    done = run_onionwatch(*args, "--data-dir", str(tmp_path / "d")) if command[0] == "crawl" \
        else run_onionwatch(*args)
    assert done.returncode == 2
    assert "pages.listing.fields.price.xpath: bad XPath" in done.stderr and ", line " in done.stderr
    assert "Traceback" not in done.stderr


def test_a_crawl_whose_pages_no_rule_takes_says_so(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "a.html").write_text(LISTING)
    wrong = {**PROFILE, "pages": {"listing": {**PROFILE["pages"]["listing"], "match": "div.offering"}}}
    profile = tmp_path / "toy.yaml"
    profile.write_text(yaml.safe_dump(wrong, sort_keys=False))
    done = run_onionwatch("crawl", "--profile", str(profile), "--from-dir", str(site), "--no-index",
                          "--data-dir", str(tmp_path / "d"))
    assert done.returncode == 2
    assert "no page was taken by a listing or vendor rule" in done.stderr and "profile check" in done.stderr
