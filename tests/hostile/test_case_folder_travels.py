"""Issue 14, item 1 and 2: a case folder copied anywhere gives the same search results, evidence
and verification; a rebuild that cannot read its evidence never replaces the store it has."""
from __future__ import annotations

import json
import shutil
import sqlite3

from tests.hostile.case import MARKET, make_case, onionwatch


def _views(data, cwd):
    """What an analyst sees of a case folder: a search, the evidence behind a listing, verify."""
    search = onionwatch("search", "to:DE", "--json", "--limit", "100", "--data-dir", str(data), cwd=cwd)
    show = onionwatch("evidence", "show", f"{MARKET}/3", "--json", "--data-dir", str(data), cwd=cwd)
    verify = onionwatch("evidence", "--data-dir", str(data), "verify", cwd=cwd)  # the option before the action
    for done in (search, show, verify):
        assert done.returncode == 0, done.stderr.decode()[-2000:]
    return json.loads(search.stdout), json.loads(show.stdout), verify.stdout.decode()


def test_a_copied_case_folder_gives_identical_results_there(tmp_path):
    crawled_in = tmp_path / "analyst-a"
    data = make_case(crawled_in, legacy=True)  # pointers as older crawls wrote them: relative to their cwd
    indexed = onionwatch("index", "--data-dir", "onionwatch-data", cwd=crawled_in)
    assert indexed.returncode == 0, indexed.stderr.decode()[-2000:]
    before = _views(data, crawled_in)
    assert before[0]["total"] >= 4 and before[1][0]["records"] and before[2].startswith("OK  warc/")

    copy = tmp_path / "court" / "case-17"
    shutil.copytree(data, copy)
    shutil.rmtree(crawled_in)  # the original is gone: the copy must stand on its own
    elsewhere = tmp_path / "somewhere-else"
    elsewhere.mkdir()
    rebuilt = onionwatch("reindex", "--data-dir", str(copy), cwd=elsewhere)
    assert rebuilt.returncode == 0, rebuilt.stderr.decode()[-2000:]
    assert b"evidence unreadable" not in rebuilt.stderr
    assert _views(copy, elsewhere) == before


def test_pointers_are_stored_relative_to_the_data_directory(tmp_path):
    data = make_case(tmp_path, legacy=True)
    assert onionwatch("index", "--data-dir", str(data), cwd=tmp_path).returncode == 0
    with sqlite3.connect(data / "onionwatch.sqlite3") as db:
        texts = " ".join(str(row) for row in db.execute("SELECT * FROM listings"))
    assert "warc/testmarket-" in texts and "onionwatch-data/warc" not in texts  # migrated as indexed


def test_reindex_keeps_the_old_store_when_evidence_cannot_be_read(tmp_path):
    data = make_case(tmp_path)
    assert onionwatch("index", "--data-dir", str(data)).returncode == 0
    before = json.loads(onionwatch("search", "to:DE", "--json", "--data-dir", str(data)).stdout)
    shutil.move(data / "warc", tmp_path / "warc-moved-away")
    refused = onionwatch("reindex", "--data-dir", str(data))
    err = refused.stderr.decode()
    assert refused.returncode == 1, err[-2000:]
    assert "the old store is kept" in err and "15 page(s) of evidence" in err  # 12 listings, 3 vendor pages
    assert json.loads(onionwatch("search", "to:DE", "--json", "--data-dir", str(data)).stdout) == before
    assert not list(data.glob("*.rebuild*"))
    forced = onionwatch("reindex", "--force", "--data-dir", str(data))
    assert forced.returncode == 0, forced.stderr.decode()[-2000:]


def test_reindex_prints_a_per_field_diff_and_keeps_the_richer_store(tmp_path):
    data = make_case(tmp_path)
    assert onionwatch("index", "--data-dir", str(data)).returncode == 0
    items = next((data / "items").glob("*.jsonl"))
    lines = items.read_text().splitlines(keepends=True)
    items.write_text("".join(lines[:-4]))  # a records file that lost its last listings
    refused = onionwatch("reindex", "--data-dir", str(data))
    err = refused.stderr.decode()
    assert refused.returncode == 1, err[-2000:]
    assert "LOST" in err and "listings" in err and "the old store is kept" in err
    assert json.loads(onionwatch("search", "*", "--json", "--data-dir", str(data)).stdout)["total"] == 12
    forced = onionwatch("reindex", "--force", "--data-dir", str(data))
    assert forced.returncode == 0, forced.stderr.decode()[-2000:]
    assert json.loads(onionwatch("search", "*", "--json", "--data-dir", str(data)).stdout)["total"] < 12
