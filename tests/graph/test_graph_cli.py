"""`onionwatch graph build|vendor|export` on record files and on a real SQLite store."""
from __future__ import annotations

import json

import pytest
from stix2validator import ValidationOptions, validate_file

from onionwatch.app.cli import main
from onionwatch.core.config import load_config
from onionwatch.core.models import Listing, VendorAccount
from search_index import open_store


@pytest.fixture
def records_file(world, tmp_path):
    records, _ = world
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n{broken line\n", encoding="utf-8")
    return path


def test_build_vendor_export_from_records(records_file, tmp_path, capsys):
    data = ["--data-dir", str(tmp_path / "data")]
    assert main(["graph", "build", "--records", str(records_file), *data]) == 0
    out = capsys.readouterr()
    assert "16 accounts, 13 actors (3 with more than one account)" in out.out
    assert "1 unreadable record line(s) skipped" in out.err

    assert main(["graph", "vendor", "empire/drwhite", *data]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith("empire/DrWhite  (actor actor-")
    assert "versus/dr.white  score 0.99" in shown and "pgp; shares pgp:" + "A" * 40 in shown
    assert main(["graph", "vendor", "empire/GhostPharma", "--json", *data]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["markets"] == ["bohemia", "empire"]
    assert set(report["aliases"][0]["signals"]) >= {"handle", "text", "photo"}

    for fmt in ("gexf", "graphml", "json", "stix"):
        out_file = tmp_path / f"export.{fmt}.json"
        assert main(["graph", "export", "--format", fmt, "--out", str(out_file), *data]) == 0
        assert out_file.stat().st_size > 0
    assert validate_file(str(tmp_path / "export.stix.json"), ValidationOptions(version="2.1")).is_valid


def test_actor_ids_survive_a_rebuild(records_file, tmp_path, capsys):
    data = ["--data-dir", str(tmp_path / "data")]
    main(["graph", "build", "--records", str(records_file), *data])
    main(["graph", "vendor", "empire/DrWhite", "--json", *data])
    capsys.readouterr()
    main(["graph", "build", "--records", str(records_file), *data])
    main(["graph", "vendor", "empire/DrWhite", "--json", *data])
    lines = capsys.readouterr().out.strip().splitlines()
    assert json.loads(lines[-1])["actor"].startswith("actor-")


def test_build_from_the_store(tmp_path, capsys):
    config = load_config(tmp_path / "data")
    with open_store(config) as store:
        store.add_vendors([VendorAccount("m1", "DrWhite", contacts=["Wickr: whiteline"]),
                           VendorAccount("m2", "dr.white", contacts=["Wickr: whiteline"])])
        store.add_listings([Listing("m1", "1", "http://m1.invalid/1", title="Fentanyl", vendor="DrWhite",
                                    extracted={"drugs": [{"name": "fentanyl", "class": "fentanyl"}],
                                               "ships_from": "CA", "ships_to": ["US"]})])
    assert main(["graph", "build", "--data-dir", str(config.data_dir)]) == 0
    assert "2 accounts, 1 actors" in capsys.readouterr().out


def test_errors_say_what_to_do(tmp_path, capsys):
    data = ["--data-dir", str(tmp_path / "empty")]
    assert main(["graph", "vendor", "m/x", *data]) == 2
    assert "run `onionwatch graph build` first" in capsys.readouterr().err
    assert main(["graph", "build", *data]) == 2
    assert "pass --records FILE" in capsys.readouterr().err
    assert main(["graph", "build", "--records", str(tmp_path / "nope.jsonl"), *data]) == 2
    assert "no such record file" in capsys.readouterr().err
