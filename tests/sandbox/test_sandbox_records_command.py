"""`onionwatch sandbox records`: crawler-shaped records straight to files, matching the truth."""
from __future__ import annotations

import json
import subprocess
import sys

from onionwatch.core.models import record_from_dict


def test_records_command_writes_every_listing_and_vendor_of_the_truth(tmp_path):
    done = subprocess.run([sys.executable, "-m", "onionwatch.app.cli", "sandbox", "records", "--seed", "3",
                           "--families", "all", "--vendors", "6", "--listings", "25", "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    read = lambda name: [json.loads(line) for line in (tmp_path / name).read_text().splitlines()]  # noqa: E731
    listings, vendors, truth = read("listings.jsonl"), read("vendors.jsonl"), read("truth.jsonl")
    truth_listings = {(t["market"], t["listing_id"]) for t in truth if t["type"] == "listing"}
    truth_vendors = {(t["market"], t["handle"]) for t in truth if t["type"] == "vendor"}
    assert {(r["market"], r["listing_id"]) for r in listings} == truth_listings
    assert {(r["market"], r["handle"]) for r in vendors} == truth_vendors
    assert len(listings) == len(truth_listings) and len({r["market"] for r in listings}) == 4
    for record in listings[:20] + vendors[:20]:  # the pipeline's own model reads them back unchanged
        assert record_from_dict(record).to_dict() == record
