"""Configuration: where data lives and which store to use, from the environment or the command line.

Settings (environment variables, each overridable by a command-line flag):

- ``ONIONWATCH_DATA_DIR``: folder holding WARC evidence, crawled items and the embedded store
  (default ``./onionwatch-data``).
- ``ONIONWATCH_ES_URL``: an Elasticsearch URL; when set, the Elasticsearch backend is used instead
  of the embedded SQLite store. Credentials come from the environment, never from code.
- ``ONIONWATCH_ES_PREFIX``: the prefix of every index, alias and template onionwatch manages on
  that cluster (default ``onionwatch``), so several deployments or test runs can share one cluster.
- ``ONIONWATCH_ES_API_KEY``, or ``ONIONWATCH_ES_USERNAME`` and ``ONIONWATCH_ES_PASSWORD``: the
  cluster's credentials, if it wants them; ``ONIONWATCH_ES_CA_CERTS``: a CA bundle for https.
  They are read when a client is made and never printed or logged.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Config", "load_config", "es_credentials"]

DEFAULT_DATA_DIR = "onionwatch-data"
DEFAULT_ES_PREFIX = "onionwatch"


@dataclass(frozen=True)
class Config:
    data_dir: Path
    es_url: str | None = None
    es_prefix: str = DEFAULT_ES_PREFIX

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
    return Config(data_dir=Path(chosen).expanduser(), es_url=es_url or os.environ.get("ONIONWATCH_ES_URL") or None,
                  es_prefix=os.environ.get("ONIONWATCH_ES_PREFIX") or DEFAULT_ES_PREFIX)


def es_credentials() -> dict[str, str]:
    """Elasticsearch credentials from the environment (only the ones that are set), as keyword
    arguments of :func:`search_index.es_store.make_client`."""
    names = {"api_key": "ONIONWATCH_ES_API_KEY", "username": "ONIONWATCH_ES_USERNAME",
             "password": "ONIONWATCH_ES_PASSWORD", "ca_certs": "ONIONWATCH_ES_CA_CERTS"}
    return {key: os.environ[name] for key, name in names.items() if os.environ.get(name)}
