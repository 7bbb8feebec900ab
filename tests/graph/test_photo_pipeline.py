"""The graph build hashes the listing photos the crawler archived: records carry
``photos: [{"url", "evidence"}]`` (or ``fields.photos``, as a store keeps them), the build reads the
bytes from the WARC, and the photo signal links accounts that reuse a re-encoded photo."""
from __future__ import annotations

import io

from PIL import Image

from graph.pipeline import build_vendor_graph
from onionwatch.evidence import EvidenceWriter

from .test_photos import jpeg, picture


def archived_listings(tmp_path):
    shared = picture(3)
    other = picture(4)
    reencoded = jpeg(Image.open(io.BytesIO(jpeg(shared, 80))), 40)
    with EvidenceWriter(tmp_path / "photos.warc.gz") as w:
        ev = {name: w.write_response(f"http://m.onion/img/{name}.jpg", 200, [("Content-Type", "image/jpeg")], body,
                                     fetched_at="2026-01-01T00:00:00Z").to_dict()
              for name, body in (("a", jpeg(shared, 80)), ("b", reencoded), ("c", jpeg(other, 80)))}
    gone = {**ev["c"], "record_id": "<urn:uuid:00000000-0000-0000-0000-000000000000>", "offset": None}
    return [
        {"kind": "vendor", "market": "m1", "handle": "alpha"},
        {"kind": "vendor", "market": "m2", "handle": "bravo"},
        {"kind": "vendor", "market": "m2", "handle": "charlie"},
        # a records file's shape (top-level photos) and a store's (fields.photos)
        {"kind": "listing", "market": "m1", "listing_id": "1", "vendor": "alpha",
         "photos": [{"url": "http://m.onion/img/a.jpg", "evidence": ev["a"]}]},
        {"kind": "listing", "market": "m2", "listing_id": "2", "vendor": "bravo",
         "fields": {"photos": [{"url": "http://m.onion/img/b.jpg", "evidence": ev["b"]}]}},
        {"kind": "listing", "market": "m2", "listing_id": "3", "vendor": "charlie",
         "fields": {"photos": [{"url": "http://m.onion/img/c.jpg", "evidence": ev["c"]},
                               {"url": "http://m.onion/img/gone.jpg", "evidence": gone}]}},
    ]


def photo_accounts(G) -> list[set[str]]:
    return [{n for n in G[node] if G.nodes[n].get("type") == "account"}
            for node, data in G.nodes(data=True) if data.get("type") == "identifier" and data["kind"] == "photo"]


def test_archived_photos_are_hashed_and_feed_the_photo_signal(tmp_path):
    G, result = build_vendor_graph(archived_listings(tmp_path))
    assert G.graph["photos_hashed"] == 3 and G.graph["photo_errors"] == 1  # the missing record is reported
    accounts = photo_accounts(G)
    assert any({"m1/alpha", "m2/bravo"} <= group for group in accounts) or \
        ({"m1/alpha"} in accounts and {"m2/bravo"} in accounts)  # one hash, or two near ones
    photo_links = {tuple(sorted((c.a, c.b))) for c in result.candidates if c.signals.get("photo", 0) > 0}
    assert photo_links == {("m1/alpha", "m2/bravo")}  # the re-encoded reuse, not the other picture


def test_without_photos_the_signal_is_silent(tmp_path):
    G, result = build_vendor_graph(archived_listings(tmp_path), photos=False)
    assert photo_accounts(G) == []
    assert not [c for c in result.candidates if c.signals.get("photo", 0) > 0]
