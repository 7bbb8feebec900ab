"""Configuration: where data lives and which store to use, from the environment or the command line.

Settings (environment variables, each overridable by a command-line flag):

- ``ONIONWATCH_DATA_DIR``: folder holding WARC evidence, crawled items and the embedded store
  (default ``./onionwatch-data``).
- ``ONIONWATCH_ES_URL``: an Elasticsearch URL; when set, the Elasticsearch backend is used instead
  of the embedded SQLite store. Credentials come from the environment, never from code.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Config", "load_config"]

DEFAULT_DATA_DIR = "onionwatch-data"


@dataclass(frozen=True)
class Config:
    data_dir: Path
    es_url: str | None = None

    @property
    def warc_dir(self) -> Path:
        return self.data_dir / "warc"

    @property
    def items_dir(self) -> Path:
        return self.data_dir / "items"

    @property
    def store_path(self) -> Path:
        return self.data_dir / "onionwatch.sqlite3"


def load_config(data_dir: str | os.PathLike | None = None, es_url: str | None = None) -> Config:
    """Build the configuration: explicit arguments first, then the environment, then defaults.

    >>> load_config("/tmp/x").store_path.name
    'onionwatch.sqlite3'
    """
    chosen = data_dir or os.environ.get("ONIONWATCH_DATA_DIR") or DEFAULT_DATA_DIR
    return Config(data_dir=Path(chosen).expanduser(), es_url=es_url or os.environ.get("ONIONWATCH_ES_URL") or None)
