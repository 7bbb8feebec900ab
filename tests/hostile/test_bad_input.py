"""Issue 14, item 3: bad lines, runaway lines, pipes, devices and foreign charsets through `index`
and `extract`: each bad input an error naming its file and line, the rest read, a truthful exit."""
from __future__ import annotations

import json
import os

import pytest

from onionwatch.app.cli import main
from onionwatch.core.jsonl import MAX_LINE_BYTES
from tests.hostile.case import make_case, onionwatch

#: Lines that are JSON but not a record, or not JSON, or not UTF-8.
BAD_LINES = [b"[1,2]", b"null", b'"a string"', b"42", b"\xff\xfe not utf-8 \x80", b"{\"kind\": \"listing\"",
             b"{\"kind\": \"listing\", \"market\": 5}", b"\x00\x00\x00"]


def test_index_reports_each_bad_line_and_indexes_the_rest(tmp_path, capsys):
    data = make_case(tmp_path)
    items = next((data / "items").glob("*.jsonl"))
    good = items.read_bytes().splitlines(keepends=True)
    items.write_bytes(b"".join(good[:3] + [line + b"\n" for line in BAD_LINES] + good[3:]))
    assert main(["index", "--data-dir", str(data)]) == 1
    err = capsys.readouterr().err
    for number in range(4, 4 + len(BAD_LINES)):
        assert f"{items}:{number}:" in err, (number, err)
    assert f"{len(BAD_LINES)} bad line(s)" in err and "indexed 12 listings" in err


def test_a_runaway_line_is_refused_by_its_file_and_line(tmp_path):
    data = make_case(tmp_path, listings=2)
    items = next((data / "items").glob("*.jsonl"))
    with open(items, "ab") as fh:  # one line over the cap (the 99 MB line took 417 MB)
        fh.write(b'{"kind": "listing", "title": "')
        chunk = b"x" * (1 << 20)
        for _ in range(MAX_LINE_BYTES // len(chunk) + 1):
            fh.write(chunk)
        fh.write(b'"}\n')
        fh.write(open(items, "rb").readline())  # and a good line after it is still read
    done = onionwatch("index", "--data-dir", str(data))
    err = done.stderr.decode()
    assert done.returncode == 1, err[-2000:]
    assert f"{items}:5: unreadable record (longer than {MAX_LINE_BYTES:,} bytes: refused)" in err, err[-2000:]
    assert "indexed 3 listings" in err  # the line after it is read


def test_named_pipes_and_devices_are_refused_not_waited_on(tmp_path):
    data = make_case(tmp_path, listings=2)
    fifo = tmp_path / "records.jsonl"
    os.mkfifo(fifo)
    done = onionwatch("index", str(fifo), "/dev/zero", "--data-dir", str(data), timeout=120)
    err = done.stderr.decode()
    assert done.returncode == 1, err
    assert "a named pipe, not a regular file" in err and "a character device, not a regular file" in err
    page = tmp_path / "page.html"
    os.mkfifo(page)
    done = onionwatch("extract", str(page), "/dev/zero", timeout=120)
    assert done.returncode == 1
    errors = [json.loads(line)["error"]["code"] for line in done.stdout.splitlines()]
    assert errors == ["unreadable_file", "unsupported_file"] or errors == ["unreadable_file", "unreadable_file"]


def test_extract_exits_non_zero_when_records_fail_and_zero_when_none_do(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b"".join(line + b"\n" for line in BAD_LINES))
    assert main(["extract", str(bad)]) == 1
    out, err = capsys.readouterr()
    results = [json.loads(line) for line in out.splitlines()]
    assert len(results) == len(BAD_LINES) and all("error" in r for r in results)
    # each line that is not a record is named by file:line (the 7th is a crawl record with no page to read)
    assert {r["id"] for r in results} >= {f"{bad}:{n}" for n in (1, 2, 3, 4, 5, 6, 8)}
    assert f"extracted 0 of {len(BAD_LINES)} record(s)" in err
    good = tmp_path / "good.txt"
    good.write_text("Test powder 5g\nShips from: Germany")
    assert main(["extract", str(good)]) == 0


def test_pages_are_decoded_by_their_charset(tmp_path, capsys):
    cp1252 = tmp_path / "cp1252.html"  # no declaration: detected as Scrapy does
    cp1252.write_bytes("<html><body><h1>Café crème 5g</h1><p>Preis: 20 €</p></body></html>".encode("cp1252"))
    koi8 = tmp_path / "koi8.html"
    koi8.write_bytes('<html><head><meta charset="koi8-r"></head><body><p>Доставка 5g</p></body></html>'
                     .encode("koi8-r"))
    mixed = tmp_path / "mixed.html"  # UTF-8 with one stray windows-1252 byte: read, not refused
    mixed.write_bytes("<html><body><p>Café 5g ".encode("utf-8") + b"\x93quoted\x94</p></body></html>")
    assert main(["extract", "--details", str(cp1252), str(koi8), str(mixed)]) == 0
    results = {json.loads(line)["id"]: json.loads(line) for line in capsys.readouterr().out.splitlines()}
    assert results[str(cp1252)]["price"]["currency"] == "EUR"
    assert all("error" not in r for r in results.values())


def test_markup_bombs_end_in_a_result_or_a_clear_error(tmp_path, capsys):
    bombs = {
        "deep.html": b"<html><body>" + b"<div>" * 50_000 + b"5g powder" + b"</div>" * 50_000 + b"</body></html>",
        # 3,000 repeats: at 100,000 the shipping component (quadratic, being rewritten) runs for minutes
        "entities.html": b"<html><body><p>" + b"&amp;&#x1F600;&lt;" * 3_000 + b"</p></body></html>",
        "attribute.html": b'<html><body><p title="' + b"a" * 2_000_000 + b'">5g</p></body></html>',
        "comments.html": b"<html><body>" + b"<!--" * 100_000 + b"5g</body></html>",
        "tables.html": b"<html><body>" + b"<table><tr><td>" * 5_000 + b"5g" + b"</body></html>",
        "nul.html": b"<html><body>\x00\x00\x00 5g</body></html>",
    }
    for name, data in bombs.items():
        (tmp_path / name).write_bytes(data)
    status = main(["extract", *[str(tmp_path / name) for name in bombs]])
    results = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(results) == len(bombs)
    failed = [r for r in results if "error" in r]
    assert status == (1 if failed else 0)
    assert all(r["error"]["code"] in ("binary_input", "bad_html", "empty_input", "text_too_long") for r in failed)


@pytest.mark.parametrize("handle", ["Dr\u200bWhite", "\u202eetihWrD", "Dr\u2066White\u2069", "Dr\u00adWhite"])
def test_zero_width_and_bidi_handles_are_indexed_and_searchable(tmp_path, handle, capsys):
    data = make_case(tmp_path, listings=3, vendors={0: handle, 1: handle})
    assert main(["index", "--data-dir", str(data)]) == 0
    capsys.readouterr()
    assert main(["search", "*", "--json", "--data-dir", str(data)]) == 0
    hits = json.loads(capsys.readouterr().out)["hits"]
    assert sorted(h["vendor"] for h in hits).count(handle) == 2  # kept exactly, never merged or dropped
