"""Issue 14, item 4: `evidence verify` over damaged archives and side files. Every archive gets one
verdict line, the others are still checked, and the summary agrees with the details."""
from __future__ import annotations

import gzip
import json
import re

import pytest

from onionwatch.app.cli import main
from onionwatch.core.layout import digest_log_path, manifest_path
from onionwatch.evidence import EvidenceWriter, verify_archive


def _archive(folder, name, records=20):
    path = folder / "warc" / name
    with EvidenceWriter(path, info={"onionwatch-market": "m", "onionwatch-crawl-id": name[:8]}) as writer:
        for i in range(records):
            ev = writer.write_response(f"http://m.onion/{i}", 200, [("Content-Type", "text/html")],
                                       f"<p>page {i} {'x' * (i * 37)}</p>".encode(), fetched_at="2026-01-01T00:00:00Z")
            writer.write_request(f"http://m.onion/{i}", "GET", [], concurrent_to=ev.record_id)
    return path


def _flip(path, at):
    data = bytearray(path.read_bytes())
    data[at] ^= 0xFF
    path.write_bytes(bytes(data))


DAMAGE = {
    "manifest-not-json": lambda p: manifest_path(p).write_text("{ not json"),
    "manifest-not-utf8": lambda p: manifest_path(p).write_bytes(b"\xff\xfe\x00{"),
    "manifest-a-list": lambda p: manifest_path(p).write_text("[1, 2]"),
    "manifest-deleted": lambda p: manifest_path(p).unlink(),
    "log-line-not-json": lambda p: _edit_log(p, 3, b"{damaged"),
    "log-line-not-utf8": lambda p: _edit_log(p, 3, b"\xff\xfe\xfd"),
    "log-line-wrong-shape": lambda p: _edit_log(p, 3, b'{"record_id": 5, "offset": "x"}'),
    "log-line-a-list": lambda p: _edit_log(p, 3, b"[1, 2]"),
    "log-deleted": lambda p: digest_log_path(p).unlink(),
    "gzip-byte-flipped": lambda p: _flip(p, p.stat().st_size // 2),
    "file-truncated-after-close": lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]),
    "file-emptied": lambda p: p.write_bytes(b""),
    "not-gzip-at-all": lambda p: p.write_bytes(b"this is not a WARC file\n" * 100),
}


def _edit_log(path, line, text):
    log = digest_log_path(path)
    lines = log.read_bytes().splitlines(keepends=True)
    lines[line - 1] = text + b"\n"
    log.write_bytes(b"".join(lines))


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_each_damage_is_one_failed_verdict_and_the_other_archives_are_checked(tmp_path, capsys, damage):
    data = tmp_path / "case"
    paths = [_archive(data, f"m-c{i}-00000.warc.gz") for i in range(3)]
    DAMAGE[damage](paths[1])
    status = main(["evidence", "--data-dir", str(data), "verify"])  # the option at the command's level
    out, err = capsys.readouterr()
    assert status == 1, out
    verdicts = [line for line in out.splitlines() if not line.startswith("  ")]
    assert [v.split()[0] for v in verdicts] == ["OK", "FAILED", "OK"], out
    assert [re.search(r"  (warc/\S+)  ", v).group(1) for v in verdicts] == [p.relative_to(data).as_posix() for p in paths]
    problems = [line for line in out.splitlines() if line.startswith("  problem: ")]
    assert int(re.search(r"FAILED \((\d+) problem", verdicts[1]).group(1)) == len(problems) <= 4, out
    assert "2 of 3 WARC file(s) verified, 1 FAILED" in err
    assert "Traceback" not in out + err


def test_a_flipped_byte_names_the_decompression_error_and_the_rest_is_checked(tmp_path):
    path = _archive(tmp_path, "m-c1-00000.warc.gz", records=200)
    log = [json.loads(line) for line in digest_log_path(path).read_text().splitlines()]
    target = log[100]
    _flip(path, target["offset"] + target["length"] // 2)
    check = verify_archive(path)
    assert not check.ok and len(check.problems) <= 3, check.problems
    assert any(("gzip: " in p or "digest failed" in p) and target["record_id"] in p for p in check.problems), \
        check.problems
    assert check.records >= 398  # every record but the damaged one was read and checked


def test_a_crash_cut_file_still_verifies_and_a_deleted_manifest_does_not(tmp_path):
    path = _archive(tmp_path, "m-c1-00000.warc.gz")
    assert verify_archive(path).ok
    manifest_path(path).unlink()
    assert not verify_archive(path).ok  # the digest log remembers the file was closed
    with gzip.open(tmp_path / "unused.gz", "wb"):
        pass
    writer = EvidenceWriter(tmp_path / "warc" / "m-c2-00000.warc.gz")
    writer.write_response("http://m.onion/x", 200, [], b"x", fetched_at="2026-01-01T00:00:00Z")
    writer._file.close()  # killed: no manifest, no closing line
    cut = verify_archive(writer.path)
    assert cut.ok and not cut.closed, cut.problems


@pytest.mark.parametrize("argv", [["evidence", "--data-dir", "{d}", "verify"], ["evidence", "verify", "--data-dir", "{d}"],
                                  ["--data-dir", "{d}", "evidence", "verify"]])
def test_data_dir_works_at_every_level(tmp_path, capsys, argv):
    data = tmp_path / "case"
    _archive(data, "m-c1-00000.warc.gz", records=2)
    assert main([a.format(d=data) for a in argv]) == 0
    assert capsys.readouterr().out.startswith("OK  warc/m-c1-00000.warc.gz")


def test_every_command_takes_common_options_at_each_level():
    import argparse

    from onionwatch.app.cli import build_parser

    def walk(parser, path):
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        takes = "--data-dir" in parser._option_string_actions
        for sub in subs:
            for name, child in sub.choices.items():
                child_takes = walk(child, path + [name])
                assert takes or not child_takes, f"{' '.join(path)} does not take --data-dir but {name} does"
        return takes

    walk(build_parser(), ["onionwatch"])
    ns = build_parser().parse_args(["graph", "--data-dir", "X", "build"])
    assert ns.data_dir == "X"
    ns = build_parser().parse_args(["graph", "build", "--data-dir", "Y"])
    assert ns.data_dir == "Y"
    assert build_parser().parse_args(["search", "q"]).data_dir is None
