"""Real market pages through the real crawler: the saved Dream and Apollon pages, served in place
on 127.0.0.1 under ``.onion`` names only a SOCKS5 relay (pproxy) resolves, crawled with the
bundled ``dream`` and ``apollon`` profiles, and what the crawl records hold checked against the
hand-checked values of ``labels.jsonl``.

This is an integration test of the profiles and the crawler on real markup, not the accuracy
measure (that is extraction's, profiles off, on markets kept aside). Every score is printed with
its n (``pytest -s``). The pages are read where they are (``../shared/data/dev/real-pages``) and
never copied; without them the test skips.

The checks are a table (:data:`CHECKS`): label key -> what the crawl record says, and how the
label is normalised. The index-level check (the profile fields reaching the index and winning,
issue 13 item 3) indexes each crawl into a SQLite store and reads the same keys from the stored
listing and vendor documents (:data:`STORED`, :func:`stored_values`), scored against the same
normalised labels.
"""
from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from scrapy.http import HtmlResponse

from onionwatch.pipeline.field_values import FieldValueError, parse_field
from crawlers.netaudit import find_leaks, read_events
from crawlers.pages import records_from_page
from crawlers.pipelines.jsonl import record_dict, record_key
from crawlers.profile import bundled_profiles, load_profile
from crawlers.saved_site import html_content_type, saved_pages, serve_folder

from .crawl_helpers import run_onionwatch
from .socks_server import RecordingSocksServer

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "dev" / "real-pages"
ONIONS = {"dream": "gd66gwfti5zn4fa6cg5fthri7h2evkak5cnk6jb3optltoplzcle5lyd.onion",
          "apollon": "c7lirouii6bwogghwx4cnh7lhxkke3dpyzalgbnhcnoscmnj333u3iid.onion"}

pytestmark = pytest.mark.skipif(not (REAL / "labels.jsonl").exists(),
                                reason=f"the real development pages are not at {REAL} (shared/data/dev/real-pages)")


def _parsed(name: str, value: Any) -> Any:
    try:
        return parse_field(name, value)
    except FieldValueError:
        return None


def _places(value: Any) -> list[str] | None:
    """Country codes of a place list (a label's list of names, or a field's text)."""
    if value is None:
        return None
    return list(dict.fromkeys(_parsed("ships_to", value if isinstance(value, list) else [value]) or []))


def _term(record: dict, name: str) -> bool | None:
    fields = record["fields"]
    if fields.get(name) is not None:
        return _parsed(name, fields[name])
    payment = _parsed("payment", fields.get("payment"))
    return payment.get(name) if payment else None


def _contact(label: str) -> Callable[[dict], str | None]:
    def read(record: dict) -> str | None:
        for contact in record.get("contacts") or []:
            kind, _, value = contact.partition(":")
            if kind.strip().lower().replace("-", "") == label:
                return value.strip()
        return None
    return read


#: label key -> (what the record says, what the label says), both normalised the same way
CHECKS: dict[str, tuple[Callable[[dict], Any], Callable[[Any], Any]]] = {
    "vendor": (lambda r: r.get("vendor") if r["kind"] == "listing" else r.get("handle"), lambda v: v),
    "price": (lambda r: (_parsed("price", r["fields"].get("price")) or {}).get("amount"), lambda v: v),
    "currency": (lambda r: (_parsed("price", r["fields"].get("price")) or {}).get("currency"), lambda v: v),
    "ships_from": (lambda r: (_places(r["fields"].get("ships_from")) or [None])[0], lambda v: (_places(v) or [None])[0]),
    "ships_to": (lambda r: _places(r["fields"].get("ships_to")), _places),
    "escrow": (lambda r: _term(r, "escrow"), lambda v: v),
    "finalize_early": (lambda r: _term(r, "finalize_early"), lambda v: v),
    "quantity_in_stock": (lambda r: (_parsed("stock", r["fields"].get("stock")) or {}).get("count"), lambda v: v),
    "accepted_currencies": (lambda r: r["fields"].get("currencies"), lambda v: v),
    "has_pgp_key": (lambda r: bool(r.get("pgp_key")), lambda v: v),
    "email": (_contact("email"), lambda v: v),
    "jabber": (_contact("jabber"), lambda v: v),
}


def record_values(record: dict) -> dict[str, Any]:
    """What a crawl record says for every label key (:func:`stored_values` reads a stored
    document the same way)."""
    return {key: read(record) for key, (read, _) in CHECKS.items()}


def _stored_contact(label: str) -> Callable[[dict], str | None]:
    def read(doc: dict) -> str | None:
        found = [c["value"] for c in (doc.get("extracted") or {}).get("contacts") or [] if c.get("kind") == label]
        return found[0] if found else None
    return read


def _listing_only(read: Callable[[dict], Any]) -> Callable[[str, dict], Any]:
    return lambda kind, doc: read(doc) if kind == "listing" else None


def _vendor_only(read: Callable[[dict], Any]) -> Callable[[str, dict], Any]:
    return lambda kind, doc: read(doc) if kind == "vendor" else None


#: label key -> what the index holds: read from a stored listing document (``store.get_listing``,
#: flat: :func:`search_index.base.listing_document`) or vendor document (``store.get_vendor``:
#: the account with its ``extracted`` facts). Every key of :data:`CHECKS` has a reader.
STORED: dict[str, Callable[[str, dict], Any]] = {
    "vendor": lambda kind, doc: doc.get("vendor") if kind == "listing" else doc.get("handle"),
    "price": _listing_only(lambda d: d.get("price_amount")),
    "currency": _listing_only(lambda d: d.get("price_currency")),
    "ships_from": _listing_only(lambda d: d.get("ships_from")),
    "ships_to": _listing_only(lambda d: list(dict.fromkeys(d.get("ships_to") or [])) or None),
    "escrow": lambda kind, d: d.get("escrow") if kind == "listing" else (d.get("extracted") or {}).get("escrow"),
    "finalize_early": lambda kind, d: (d.get("finalize_early") if kind == "listing"
                                       else (d.get("extracted") or {}).get("finalize_early")),
    "quantity_in_stock": _listing_only(lambda d: d.get("stock")),
    "accepted_currencies": _listing_only(lambda d: (d.get("fields") or {}).get("currencies")),
    "has_pgp_key": _vendor_only(lambda d: bool(d.get("pgp_key"))),
    "email": _vendor_only(_stored_contact("email")),
    "jabber": _vendor_only(_stored_contact("jabber")),
}
assert STORED.keys() == CHECKS.keys()


def stored_values(kind: str, doc: dict) -> dict[str, Any]:
    """What the index holds for every label key, read from a stored listing or vendor document."""
    return {key: read(kind, doc) for key, read in STORED.items()}


def _price_on_page(label: dict) -> bool:
    """Whether the labelled price is written on the page at all ("4.0" as "4.00", "0.000787").
    A label whose price the page does not show cannot be read from the page: it is reported
    apart (with its n), not held against the profile."""
    if not isinstance(label.get("price"), (int, float)):
        return True
    digits = f"{label['price']:f}".rstrip("0").rstrip(".")
    tail = "0*" if "." in digits else r"(?:\.0+)?"
    html = (REAL / label["market"] / label["page"]).read_text(encoding="utf-8", errors="replace")
    return re.search(r"(?<![\d.])" + re.escape(digits) + tail + r"(?!\d)", html) is not None


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-6)
    return a == b


@pytest.fixture(scope="module")
def crawl_root(tmp_path_factory) -> Path:
    """The folder the crawls write to: one data directory a market (``<root>/<market>/items``)."""
    return tmp_path_factory.mktemp("real-pages")


@pytest.fixture(scope="module")
def crawled(crawl_root):
    """market -> {page path in the market's folder: record}, each market crawled through the relay."""
    root = crawl_root
    out: dict[str, dict[str, dict]] = {}
    for market, onion in ONIONS.items():
        folder = REAL / market
        data = yaml.safe_load(bundled_profiles()[market].read_text())
        # the saved site: every saved page is a start page, at its path in the folder
        data.update(base_url=f"http://{onion}", start_paths=[p.url_path for p in saved_pages([folder])], follow=[])
        profile = root / f"{market}.yaml"
        profile.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
        with serve_folder(folder) as base_url, \
                RecordingSocksServer({onion: int(base_url.rsplit(":", 1)[1])}, [f"{market}:public"]) as proxy:
            audit = root / f"{market}.audit.jsonl"
            done = run_onionwatch("crawl", "--profile", str(profile), "--proxy", proxy.url, "--no-index",
                                  "--delay", "0", "--concurrency", "4", "--data-dir", str(root / market),
                                  audit=audit)
            assert done.returncode == 0, done.stderr[-3000:]
            assert find_leaks(read_events(audit), ("127.0.0.1", proxy.port)) == [], market
            assert proxy.connects and {c.host for c in proxy.connects} == {onion}
        [items] = (root / market / "items").glob("*.jsonl")
        records = [json.loads(line) for line in items.read_text(encoding="utf-8").splitlines()]
        assert not [r for r in records if r["kind"] == "parse_error"], market
        by_key = {record_key(r): r for r in records}  # the last line of a key is the whole (merged) record
        by_page: dict[str, dict] = {}
        for record in by_key.values():
            for url in [record["url"], *(p["url"] for p in record["fields"].get("pages") or [])]:
                by_page[url.split(onion, 1)[1].lstrip("/")] = record
        out[market] = _with_duplicates(by_page, by_key, market, folder)
    return out


def _with_duplicates(by_page: dict[str, dict], by_key: dict[tuple, dict], market: str, folder: Path) -> dict:
    """A page the crawl wrote no line for was the same record as an earlier page (the same vendor
    saved twice): map it to that record, by the key the profile reads from it."""
    profile = load_profile(market)
    for page in saved_pages([folder]):
        path = page.url_path.lstrip("/")
        if path in by_page:
            continue
        response = HtmlResponse(f"http://{ONIONS[market]}{page.url_path}", body=page.file.read_bytes(),
                                headers={"Content-Type": html_content_type(page.file.read_bytes())})
        for record in records_from_page(profile, response, None):
            data = record_dict(record)
            if record_key(data) in by_key:
                by_page[path] = by_key[record_key(data)]
    return by_page


def _labels() -> list[dict]:
    return [json.loads(line) for line in (REAL / "labels.jsonl").read_text(encoding="utf-8").splitlines() if line]


def test_profiles_tell_listing_vendor_and_other_pages_apart(crawled):
    right, wrong = 0, []
    for label in _labels():
        record = crawled[label["market"]].get(label["page"])
        kind = record["kind"] if record else "other"
        if kind == label["kind"]:
            right += 1
        else:
            wrong.append(f"{label['market']}/{label['page']}: {kind}, labelled {label['kind']}")
    print(f"\npage kind: {right}/{right + len(wrong)} right")
    assert not wrong, wrong


def _score(crawled: dict, said_of: Callable[[dict], dict[str, Any] | None], what: str) -> list[str]:
    """Score what ``said_of(record)`` says against every labelled value, print each score with its
    n, and return the mismatches. A labelled page whose record ``said_of`` cannot read counts as
    wrong on every labelled key."""
    scores: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    wrong, not_on_page = [], []
    for label in _labels():
        record = crawled[label["market"]].get(label["page"])
        if record is None or label["kind"] == "other":
            continue
        said = said_of(record) or dict.fromkeys(CHECKS)
        for key, expected in label.items():
            if key in ("market", "page", "kind"):
                continue
            if key in ("price", "currency") and not _price_on_page(label):
                not_on_page.append(f"{label['market']}/{label['page']} {key}: label {expected!r}, {what} {said[key]!r}")
                continue
            score = scores[(label["market"], key)]
            score[1] += 1
            if _same(said[key], CHECKS[key][1](expected)):
                score[0] += 1
            else:
                wrong.append(f"{label['market']}/{label['page']} {key}: {what} {said[key]!r}, label {expected!r}")
    print(f"\nwhat the {what} holds:")
    for (market, key), (right, n) in sorted(scores.items()):
        print(f"{market:8} {key:20} {right}/{n}")
    total = sum(r for r, _ in scores.values()), sum(n for _, n in scores.values())
    print(f"all fields: {total[0]}/{total[1]}")
    for line in wrong:
        print("  mismatch:", line)
    print(f"labels the page does not show (not scored): {len(not_on_page)}")
    for line in not_on_page:
        print("  not on the page:", line)
    assert total[1] >= 40  # every labelled field was compared
    return wrong


def test_crawl_records_hold_the_labelled_values(crawled):
    wrong = _score(crawled, record_values, "record")
    assert not wrong, wrong


@pytest.fixture(scope="module")
def index(crawled, crawl_root):
    """Each market's crawl indexed (extraction on the archived pages) into one SQLite store."""
    from extract import load_pipeline
    from onionwatch.pipeline.indexing import index_paths
    from search_index import SqliteStore

    store = SqliteStore(crawl_root / "index.sqlite")
    nlp = load_pipeline()
    for market in ONIONS:
        report = index_paths(sorted((crawl_root / market / "items").glob("*.jsonl")), store, nlp, quiet=True,
                             data_dir=crawl_root / market)
        assert report.extraction_errors == report.evidence_errors == report.bad_lines == 0, report.problems
    yield store
    store.close()


def test_the_index_holds_the_labelled_values(crawled, index):
    """The profile's fields reach the index and win over what extraction reads elsewhere on the page."""
    def stored(record: dict) -> dict[str, Any] | None:
        if record["kind"] == "listing":
            doc = index.get_listing(record["market"], record["listing_id"])
        else:
            doc = index.get_vendor(record["market"], record["handle"])
        return stored_values(record["kind"], doc) if doc is not None else None

    wrong = _score(crawled, stored, "index")
    assert not wrong, wrong


def test_every_profile_field_the_crawl_read_reaches_the_index(crawled, index):
    """Beyond the labels: on every crawled listing and vendor, each value the profile read (parsed
    as ``profile check`` parses it) is what the index holds."""
    records = {(r["kind"], r["market"], r.get("listing_id") or r.get("handle")): r
               for pages in crawled.values() for r in pages.values()}
    scores: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    wrong = []
    for (kind, market, key), record in sorted(records.items()):
        doc = index.get_listing(market, key) if kind == "listing" else index.get_vendor(market, key)
        held = stored_values(kind, doc) if doc is not None else dict.fromkeys(STORED)
        for name, value in record_values(record).items():
            if value is None or (name == "has_pgp_key" and kind != "vendor"):
                continue
            scores[name][1] += 1
            if _same(held[name], value):
                scores[name][0] += 1
            else:
                wrong.append(f"{market}/{kind}/{key} {name}: index {held[name]!r}, profile {value!r}")
    print(f"\nprofile values held by the index ({len(records)} records):")
    for name, (right, n) in sorted(scores.items()):
        print(f"{name:20} {right}/{n}")
    for line in wrong:
        print("  mismatch:", line)
    assert sum(n for _, n in scores.values()) >= 40
    assert not wrong, wrong
