"""The hostile-input suite: inputs an attacker or an accident could hand onionwatch, each of which
must give a clear error, an exit status that tells the truth, and lose nothing."""
from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_outside_data_dir(monkeypatch):
    monkeypatch.delenv("ONIONWATCH_DATA_DIR", raising=False)
    monkeypatch.delenv("ONIONWATCH_ES_URL", raising=False)
