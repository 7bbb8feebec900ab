"""Facts the label reader gives (extract.label_fields) reach Elasticsearch documents as they reach
SQLite's, with their source, below the profile's fields. Needs the test node (see conftest)."""
from __future__ import annotations

import pytest

from extract import load_pipeline
from onionwatch.pipeline.indexing import index_paths
from tests.onionwatch.test_indexing import _check_labelled, _label_crawl


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def test_labelled_fields_reach_the_elasticsearch_index(tmp_path, nlp, es_store_factory):
    store = es_store_factory("labels")
    report = index_paths([_label_crawl(tmp_path)], store, nlp, quiet=True)
    store.flush()
    [hit] = store.search("from:BE escrow:yes fe:no").hits
    doc = store.get_listing("m", "9")
    assert report.listings == 1 and report.extraction_errors == 0
    assert (hit["ships_from"], hit["escrow"], hit["finalize_early"]) == ("BE", True, False)
    _check_labelled(doc)
