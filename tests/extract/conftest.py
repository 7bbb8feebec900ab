"""Fixtures shared by the extraction tests: one pipeline a session (building it takes a second)."""
from __future__ import annotations

import pytest

from extract import load_pipeline


@pytest.fixture(scope="session")
def nlp():
    return load_pipeline()
