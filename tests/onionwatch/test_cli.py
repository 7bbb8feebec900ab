"""The command line: every command is listed with a description, and errors say what to do."""
from __future__ import annotations

import subprocess
import sys

import pytest

from onionwatch.app.cli import build_parser, main

COMMANDS = ("demo", "sandbox", "crawl", "extract", "index", "search")


def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "onionwatch.app.cli", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def test_help_lists_each_command_with_a_description():
    done = run_cli("--help")
    assert done.returncode == 0
    for command in COMMANDS:
        line = next((l for l in done.stdout.splitlines() if l.strip().startswith(command + " ")), None)
        assert line is not None, f"{command} missing from --help"
        assert len(line.split(None, 1)[1]) > 15, f"{command} has no one-line description"


@pytest.mark.parametrize("command", ["demo", "crawl", "extract", "index", "search"])
def test_each_command_help_has_an_example(command):
    help_text = build_parser()._subparsers._group_actions[0].choices[command].format_help()
    assert "example" in help_text


def test_search_without_a_store_says_what_to_do(tmp_path, capsys):
    assert main(["search", "fentanyl", "--data-dir", str(tmp_path)]) == 2
    assert "run `onionwatch demo`" in capsys.readouterr().err


def test_unknown_profile_is_a_clear_error(tmp_path, capsys):
    assert main(["crawl", "--profile", "nope", "--data-dir", str(tmp_path)]) == 2
    assert "no profile file 'nope'" in capsys.readouterr().err


def test_index_without_records_says_what_to_do(tmp_path, capsys):
    assert main(["index", "--data-dir", str(tmp_path)]) == 2
    assert "run `onionwatch crawl` first" in capsys.readouterr().err


def test_search_help_teaches_the_currency_field():
    help_text = build_parser()._subparsers._group_actions[0].choices["search"].format_help()
    assert "currency:xmr" in help_text and "accepts" in help_text


def test_search_in_a_store_of_the_previous_schema_says_to_reindex(tmp_path, capsys):
    import sqlite3

    from search_index.sqlite_store import SCHEMA_VERSION

    from onionwatch.core.config import load_config

    path = load_config(tmp_path).store_path
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as db:  # a store written before currencies were searchable
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION - 1),))
    assert main(["search", "currency:xmr", "--data-dir", str(tmp_path)]) == 2
    assert "rebuild it from the evidence with `onionwatch reindex`" in capsys.readouterr().err
