"""Exit statuses: one table, shown by ``crawl --help`` and the same as the documentation says."""
from __future__ import annotations

import re
from pathlib import Path

from onionwatch.app.cli import build_parser, main
from onionwatch.core import exits

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_crawl_help_teaches_every_exit_status():
    help_text = build_parser()._subparsers._group_actions[0].choices["crawl"].format_help()
    flat = " ".join(help_text.split())
    for status, meaning in exits.MEANINGS.items():
        assert f"{status} {' '.join(meaning.split())}" in flat


def test_documented_statuses_are_the_named_ones():
    said = {}
    for page in ("crawling-through-tor.md", "market-profiles.md"):
        text = " ".join((DOCS / page).read_text(encoding="utf-8").split())
        for found in re.finditer(r"(CAPTCHA|down)[^.]{0,80}?exit status (\d)", text):
            said.setdefault(found.group(1), set()).add(int(found.group(2)))
    assert said == {"CAPTCHA": {exits.CAPTCHA}, "down": {exits.MARKET_DOWN}}


def test_errors_exit_with_error(tmp_path, capsys):
    assert main(["crawl", "--profile", "no-such-profile", "--data-dir", str(tmp_path)]) == exits.ERROR
    assert "error" in capsys.readouterr().err
