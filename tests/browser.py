"""Debian's Chromium for the browser tests, driven by Playwright (no browser download): where it
is, the flags it runs with, and one way to launch it.

A missing browser skips a test on a developer's machine; in CI (or with the test node's
``ONIONWATCH_TEST_ES_URL`` set, as ``make test`` does) it fails, since ``make test`` installs both.
"""
from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from typing import Iterator

import pytest

__all__ = ["CHROMIUM", "FLAGS", "needs", "chromium"]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


def needs(what: str, ok: bool) -> None:
    """Skip (fail in CI) with what is missing when ``ok`` is false."""
    if not ok:
        message = f"{what} is missing: `make test` installs it"
        if os.environ.get("CI") or os.environ.get("ONIONWATCH_TEST_ES_URL"):
            pytest.fail(message)
        pytest.skip(message)


@contextmanager
def chromium() -> Iterator:
    """A headless Chromium (Playwright's ``Browser``), closed on exit."""
    needs("Debian's chromium", os.path.exists(CHROMIUM))
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        needs("the playwright package", False)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
