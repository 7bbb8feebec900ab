"""The report: generated from fresh demo data, opened in headless Chromium, read as a browser
renders it, and checked against the sandbox's ground truth."""
from __future__ import annotations

import shutil
import subprocess
import sys

import lxml.html
import pytest

from tests.browser import CHROMIUM, FLAGS




@pytest.fixture(scope="module")
def report(demo_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "report.html"
    run = subprocess.run([sys.executable, "-m", "onionwatch.app.cli", "report", "--data-dir", str(demo_dir),
                          "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == str(out)
    return out


@pytest.fixture(scope="module")
def rendered(report):
    if not shutil.which(CHROMIUM):
        pytest.fail("headless Chromium is needed: apt-get install -y chromium")
    dom = subprocess.run([CHROMIUM, *FLAGS, "--dump-dom", report.as_uri()], capture_output=True,
                         text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    return lxml.html.fromstring(dom.stdout)


def test_report_is_self_contained(report):
    page = lxml.html.fromstring(report.read_text(encoding="utf-8"))
    assert not page.xpath("//script | //link | //iframe | //object")
    sources = page.xpath("//img/@src")
    assert len(sources) >= 4 and all(s.startswith("data:image/png;base64,") for s in sources)
    csp = page.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert "default-src 'none'" in csp


def test_browser_shows_the_top_fentanyl_vendors_of_the_truth(rendered, check_top_watch_vendors):
    rows = rendered.xpath("//table[@id='watch-vendors']//tr[td]")
    check_top_watch_vendors([row.xpath("./td")[2].text_content() for row in rows])


def test_browser_shows_the_markets_and_listing_counts(rendered, truth):
    text = rendered.text_content()
    for market in (r for r in truth if r["type"] == "market"):
        assert market["market"] in text
    rows = {row.xpath("./td")[0].text_content(): int(row.xpath("./td")[1].text_content())
            for row in rendered.xpath("//h2[@id='overview']/following-sibling::table[1]//tr[td]")}
    assert rows == {m["market"]: m["listings"] for m in truth if m["type"] == "market"}


def test_script_in_a_listing_is_shown_as_text_and_never_runs(rendered, truth):
    hostile = [r for r in truth if r["type"] == "listing" and "<script>" in r["description"]]
    assert hostile, "the sandbox should serve a listing with a script injection"
    text = rendered.text_content()
    for listing in hostile:
        assert listing["listing_id"] in text
        script_line = next(p for p in listing["description_paragraphs"] if "<script>" in p)
        assert script_line in text  # the browser shows the characters, escaped in the source
    # the DOM the browser built holds no element the market wrote: no script, no onerror image
    assert not rendered.xpath("//script")
    assert not rendered.xpath("//*[@onerror or @onload or @onclick]")
    assert not rendered.xpath("//img[not(starts-with(@src, 'data:image/png;base64,'))]")


def test_browser_shows_the_top_vendor_clusters_of_the_truth(rendered, truth):
    actor_of = {f"{r['market']}/{r['handle']}": r["actor_id"] for r in truth if r["type"] == "vendor"}
    several = {a for a in set(actor_of.values()) if sum(1 for x in actor_of.values() if x == a) > 1}
    rows = rendered.xpath("//table[@id='clusters-table']//tr[td]")
    assert len(rows) == min(10, len(several))
    for row in rows:  # each cluster is all the accounts of one true actor, and only them
        accounts = set(row.xpath("./td[@class='accounts']")[0].text_content().split(", "))
        actors = {actor_of[a] for a in accounts}
        assert len(actors) == 1, accounts
        assert accounts == {a for a, actor in actor_of.items() if actor in actors}
    picture = rendered.xpath("//h2[@id='clusters']/following-sibling::img[1]/@alt")[0]
    assert "vendor clusters" in picture
    # the demo saved its graph after indexing: the report uses it rather than building another
    assert "Vendor graph: saved graph" in rendered.text_content()
