"""Docstring examples run, and the PGP fixture script still works where GnuPG is installed."""
from __future__ import annotations

import doctest
import importlib
import json
import pkgutil
import shutil

import pytest

import onionwatch.sandbox
from scripts import make_pgp_fixtures

MODULES = sorted(m.name for m in pkgutil.walk_packages(onionwatch.sandbox.__path__,
                                                        "onionwatch.sandbox."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0


@pytest.mark.skipif(shutil.which("gpg") is None, reason="GnuPG not installed")
def test_make_pgp_fixtures_writes_a_key(tmp_path):
    out = tmp_path / "keys.jsonl"
    assert make_pgp_fixtures.main(["--count", "1", "--out", str(out)]) == 0
    (record,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert record["uid"] == "drwhite <drwhite@sandbox.invalid>"
    assert len(record["fingerprint"]) == 40
    assert record["armored"].startswith("-----BEGIN PGP PUBLIC KEY BLOCK-----")
