"""Configuration: where data lives and which store to use, from the environment or the command line.

Settings (environment variables, each overridable by a command-line flag):

- ``ONIONWATCH_DATA_DIR``: folder holding WARC evidence, crawled items and the embedded store
  (default ``./onionwatch-data``).
- ``ONIONWATCH_ES_URL``: an Elasticsearch URL, or a comma-separated list of a cluster's node URLs
  (the client spreads requests over them and fails over when one is down); when set, the
  Elasticsearch backend is used instead of the embedded SQLite store. Credentials come from the
  environment, never from code (and never belong in the URL).
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

from onionwatch.core import layout

__all__ = ["Config", "load_config", "es_credentials", "split_urls"]

DEFAULT_DATA_DIR = "onionwatch-data"
DEFAULT_ES_PREFIX = "onionwatch"


@dataclass(frozen=True)
class Config:
    data_dir: Path
    es_url: str | None = None
    es_prefix: str = DEFAULT_ES_PREFIX

    @property
    def warc_dir(self) -> Path:
        return self.data_dir / layout.WARC_DIR

    @property
    def items_dir(self) -> Path:
        return self.data_dir / layout.ITEMS_DIR

    @property
    def store_path(self) -> Path:
        return self.data_dir / "onionwatch.sqlite3"

    @property
    def jobs_dir(self) -> Path:
        """Resumable crawl state, a folder a crawl (see :func:`job_dir`)."""
        return self.data_dir / "jobs"

    @property
    def sessions_dir(self) -> Path:
        """Session cookies and the markets marked down."""
        return self.data_dir / "sessions"

    @property
    def schedule_dir(self) -> Path:
        """Scheduled runs: their history and one report a run."""
        return self.data_dir / "schedule"

    @property
    def watches_dir(self) -> Path:
        """Saved searches and the alerts they raised."""
        return self.data_dir / "watches"

    @property
    def es_urls(self) -> list[str]:
        """Every node URL ``es_url`` names (it may list several, comma-separated)."""
        return split_urls(self.es_url or "")

    def es_spool_dir(self, prefix: str | None = None) -> Path:
        """Elasticsearch writes waiting for the cluster, for one index prefix (default: this one's)."""
        return self.data_dir / "es-spool" / (prefix or self.es_prefix)

    def records_path(self, market: str, crawl_id: str) -> Path:
        """The records file of one crawl.

        >>> Config(Path("d")).records_path("empire", "c1").as_posix()
        'd/items/empire-c1.jsonl'
        """
        return self.items_dir / layout.records_file_name(market, crawl_id)

    def records_files(self) -> list[Path]:
        """Every records file of the data directory, sorted by name."""
        return sorted(self.items_dir.glob(layout.records_glob())) if self.items_dir.is_dir() else []

    def job_dir(self, market: str, crawl_id: str) -> Path:
        """The resumable state of one crawl."""
        return layout.job_dir(self.jobs_dir, market, crawl_id)

    def warc_files(self, market: str | None = None, crawl_id: str | None = None) -> list[Path]:
        """The WARC files of one crawl, or of every crawl, sorted by name."""
        return sorted(self.warc_dir.glob(layout.warc_glob(market, crawl_id)))


def load_config(data_dir: str | os.PathLike | None = None, es_url: str | None = None) -> Config:
    """Build the configuration: explicit arguments first, then the environment, then defaults.

    >>> load_config("/tmp/x").store_path.name
    'onionwatch.sqlite3'
    """
    chosen = data_dir or os.environ.get("ONIONWATCH_DATA_DIR") or DEFAULT_DATA_DIR
    return Config(data_dir=Path(chosen).expanduser(), es_url=es_url or os.environ.get("ONIONWATCH_ES_URL") or None,
                  es_prefix=os.environ.get("ONIONWATCH_ES_PREFIX") or DEFAULT_ES_PREFIX)


def split_urls(value: str) -> list[str]:
    """The URLs of a comma-separated list (``ONIONWATCH_ES_URL`` may name every node of a cluster).

    >>> split_urls("http://127.0.0.1:9210, http://127.0.0.1:9211,")
    ['http://127.0.0.1:9210', 'http://127.0.0.1:9211']
    """
    return [url.strip() for url in value.split(",") if url.strip()]


def es_credentials() -> dict[str, str]:
    """Elasticsearch credentials from the environment (only the ones that are set), as keyword
    arguments of :func:`search_index.es_store.make_client`."""
    names = {"api_key": "ONIONWATCH_ES_API_KEY", "username": "ONIONWATCH_ES_USERNAME",
             "password": "ONIONWATCH_ES_PASSWORD", "ca_certs": "ONIONWATCH_ES_CA_CERTS"}
    return {key: os.environ[name] for key, name in names.items() if os.environ.get(name)}
