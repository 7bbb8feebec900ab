"""Extraction runs batches with Python's cyclic garbage collector paused
(extract.components._pipe.collector_paused): that is safe only while the pipeline makes no cyclic
garbage, which these tests check on every kind of input, and it must leave the collector as it
found it."""
from __future__ import annotations

import gc
from pathlib import Path

import pytest

from extract import extract_many
from extract.components._pipe import collector_paused

_DEV_PAGES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "dev" / "real-pages"

_RECORDS = [
    {"id": "text", "text": "10x 20mg oxycodone M30 pressed, ships from Germany to EU, US. Escrow only, no FE.\n"
                           "Price: $120 or 0.002 BTC (1 BTC = 60,000 USD). Contact: wickr bob_the_vendor"},
    {"id": "title", "title": "5g China White (Fentanyl)", "text": "Vendor: DragonLabs\nShips to: worldwide"},
    {"id": "html", "html": "<html><body><nav><a href='/c/fent'>Fentanyl</a></nav><table><tr><th>Ships from</th>"
                           "<td>Netherlands</td></tr><tr><th>Price</th><td>0.5 XMR</td></tr></table>"
                           "<dl><dt>Escrow</dt><dd>yes</dd></dl><p>1 QP of kush, 100 tabs</p></body></html>"},
    {"id": "deep", "html": "<div>" * 3000 + "Ships from: Canada" + "</div>" * 3000},
    {"id": "questions", "text": "Do you ship to US? " * 200 + "?" * 5000},
    {"id": "bad"},
]


def _pages() -> list[dict]:
    if not _DEV_PAGES.is_dir():
        return []
    return [{"id": str(p), "html": p.read_text(encoding="utf-8", errors="replace")}
            for p in sorted(_DEV_PAGES.rglob("*"))[:20] if p.is_file() and p.suffix in ("", ".html", ".htm")]


def test_extraction_makes_no_cyclic_garbage(nlp):
    records = _RECORDS + _pages()
    list(extract_many(nlp, records[:2]))  # (what the first run builds once stays)
    gc.collect()
    gc.disable()
    try:
        results = list(extract_many(nlp, records, batch_size=4, details=True))
        found = gc.collect()
    finally:
        gc.enable()
    assert [r.get("id") for r in results] == [r.get("id") for r in records]
    assert any(r.get("ships_from") == "DE" for r in results), results[0]
    assert found == 0, f"{found} objects in reference cycles: the collector can't stay paused during a batch"


def test_a_long_text_is_extracted_without_a_collection(nlp):
    text = "10x 20mg 5 g " * 20_000
    collections = sum(s["collections"] for s in gc.get_stats())
    result = next(extract_many(nlp, [{"id": 1, "text": text}], max_input_bytes=10_000_000,
                               max_text_chars=10_000_000))
    assert "error" not in result and result["quantities"]
    # at most the one pass that follows when the collector is turned back on (without the pause, hundreds)
    assert sum(s["collections"] for s in gc.get_stats()) - collections <= 1


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_left_as_it_was(enabled):
    (gc.enable if enabled else gc.disable)()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(ValueError), collector_paused():
            raise ValueError("a component failed")
        assert gc.isenabled() is enabled
    finally:
        gc.enable()
