"""Fixtures for the search tests: the real Elasticsearch node `make test` starts, and a private prefix.

The node's URL comes from ONIONWATCH_TEST_ES_URL (set by `make test`; `make es` starts the same node
on 127.0.0.1:9200). ONIONWATCH_ES_URL, the product's setting, is never used here: the tests only
create and delete indices under their own `owtest-...` prefix, whatever cluster they talk to.
"""
from __future__ import annotations

import os
import uuid

import pytest

DEFAULT_TEST_ES_URL = "http://127.0.0.1:9200"


def _healthy(client) -> bool:
    try:
        return client.cluster.health(timeout="5s")["status"] in ("green", "yellow")
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False


@pytest.fixture(scope="session")
def es_url() -> str:
    """The test node's URL; the ES tests are skipped (failed under CI) when no node answers."""
    from elasticsearch import Elasticsearch

    url = os.environ.get("ONIONWATCH_TEST_ES_URL") or DEFAULT_TEST_ES_URL
    client = Elasticsearch(url, request_timeout=10, max_retries=0)
    try:
        if not _healthy(client):
            message = (f"no Elasticsearch answers at {url}: start the test node with `make es` "
                       "(or run `make test`, which starts it)")
            if os.environ.get("CI") or os.environ.get("ONIONWATCH_TEST_ES_URL"):
                pytest.fail(message)
            pytest.skip(message)
    finally:
        client.close()
    return url


@pytest.fixture(scope="session")
def es_client(es_url):
    from elasticsearch import Elasticsearch

    client = Elasticsearch(es_url, request_timeout=30, max_retries=2, retry_on_timeout=True)
    yield client
    client.close()


def new_prefix(tag: str = "t") -> str:
    """A prefix no other test run uses (lower case, as index names must be)."""
    return f"owtest-{tag}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="session")
def prefix_factory():
    """:func:`new_prefix` as a fixture (test modules cannot import this conftest)."""
    return new_prefix


@pytest.fixture
def es_store_factory(es_client, tmp_path):
    """Make ElasticsearchStores under fresh prefixes; delete exactly their indices afterwards."""
    from search_index.es_store import ElasticsearchStore

    made = []

    def make(tag: str = "t", client=None, **options):
        store = ElasticsearchStore(client or es_client, prefix=new_prefix(tag),
                                   spool_dir=tmp_path / f"spool-{len(made)}", **options)
        made.append(store)
        return store

    yield make
    for store in made:
        ElasticsearchStore(es_client, prefix=store.prefix, spool_dir=tmp_path / "cleanup").delete_indices()
