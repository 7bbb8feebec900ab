"""Issue 14, item 5: market text never drives the analyst's terminal, and a reader that goes away
(`| head`) ends a command quietly."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from onionwatch.app.cli import main
from onionwatch.app.terminal import inert
from tests.hostile.case import MARKET, make_case

HOSTILE_TITLES = {0: "Powder 1g \x1b]0;pwned\x07 now", 1: "Powder 2g \x1b[2J\x1b[H cleared", 2: "Powder 3g \u202egpj.exe",
                  3: "Powder 4g \x9b31m C1 CSI \x85 NEL", 4: "Powder 5g \r overwritten line"}
HOSTILE_VENDORS = {0: "vendor\x1b[8m_hidden", 1: "\u202evendor", 2: "ven\u200bdor"}
#: What a terminal acts on: none may reach it raw.
CONTROLS = ["\x1b", "\x07", "\x9b", "\x85", "\r", "\u202e", "\u200b"]


@pytest.fixture(scope="module")
def hostile_case(tmp_path_factory):
    data = make_case(tmp_path_factory.mktemp("hostile-terminal"), titles=HOSTILE_TITLES, vendors=HOSTILE_VENDORS)
    # titles that are 6-8% control characters fail extraction's text check (exit 1, each named); the
    # listings are stored all the same, with their market text exactly as it came
    assert main(["index", "--data-dir", str(data)]) == 1
    return data


def test_search_output_shows_controls_as_escapes(hostile_case, capsys):
    assert main(["search", "powder", "--limit", "20", "--data-dir", str(hostile_case)]) == 0
    out = capsys.readouterr().out
    assert not [c for c in CONTROLS if c in out], repr(out)
    assert "\\u001b]0;pwned\\u0007" in out and "\\u202egpj.exe" in out


def test_json_output_is_inert_and_still_the_same_data(hostile_case, capsys):
    assert main(["search", "powder", "--limit", "20", "--json", "--data-dir", str(hostile_case)]) == 0
    out = capsys.readouterr().out
    assert not [c for c in CONTROLS if c in out]
    titles = {hit["title"] for hit in json.loads(out)["hits"]}
    assert set(HOSTILE_TITLES.values()) <= titles  # the exact market text, escaped only on the way out


def test_evidence_show_and_errors_are_inert_too(hostile_case, capsys):
    assert main(["evidence", "show", f"{MARKET}/vendor\x1b[8m_hidden", "--data-dir", str(hostile_case)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert main(["search", "\x1b]0;x\x07 from:", "--data-dir", str(hostile_case)]) in (0, 2)
    captured = capsys.readouterr()
    assert "\x1b" not in captured.out + captured.err


@pytest.mark.parametrize("args", [["search", "*", "--limit", "50"], ["evidence", "show", f"{MARKET}/3", "--json"]])
def test_a_closed_pipe_ends_quietly(hostile_case, args):
    proc = subprocess.Popen([sys.executable, "-m", "onionwatch.app.cli", *args, "--data-dir", str(hostile_case)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # `| head` that has read what it wanted
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 1
    assert "Traceback" not in err and "BrokenPipe" not in err, err


def test_shell_pipe_into_head(hostile_case):
    done = subprocess.run(f"{sys.executable} -m onionwatch.app.cli search '*' --limit 50 --data-dir"
                          f" {hostile_case} | head -1", shell=True, capture_output=True, timeout=120)
    assert done.stdout.count(b"\n") == 1 and b"Traceback" not in done.stderr


def test_inert_leaves_ordinary_text_alone():
    text = "Café crème 5g — 20 € · 東京 · Доставка\n\tnext line 🙂"
    assert inert(text) == text
