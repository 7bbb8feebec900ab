"""Elasticsearch mappings, declared in code and versioned, installed as composable index templates.

Each kind of document (listings, vendors, observations) lives in versioned indices
``<prefix>-<kind>-v<N>`` behind the alias ``<prefix>-<kind>``, which is the indices' write alias
(``is_write_index``); readers and writers only use the alias. Each kind has one composable index
template ``<prefix>-<kind>`` (``_index_template``) matching ``<prefix>-<kind>-v*``, whose ``version``
and ``_meta`` say which mapping version it holds.

A mapping change bumps :data:`VERSIONS` and is rolled out by :func:`search_index.es_migrate.migrate`
(scan the old index, bulk into the new one, switch the alias).

Only what Elasticsearch's core offers is used (the ``standard`` and ``whitespace`` analyzers): the
``q_*`` fields hold text already folded by :mod:`search_index.text`.

>>> index_name("ow", "listings"), alias_name("ow", "listings")
('ow-listings-v4', 'ow-listings')
>>> template("ow", "listings")["index_patterns"]
['ow-listings-v*']
"""
from __future__ import annotations

import copy
from typing import Any

from .base import TEXT_FIELDS

__all__ = ["KINDS", "VERSIONS", "MAPPINGS", "index_name", "alias_name", "template", "settings"]

KINDS = ("listings", "vendors", "observations")

#: Current mapping version of each kind; bump it when its mapping changes.
#: listings v3: escrow/fe/stock flags, facet ordinals at refresh; v4: ``currencies`` (currency:, its facet).
VERSIONS = {"listings": 4, "vendors": 1, "observations": 1}

_KEYWORD = {"type": "keyword"}
_TEXT_KEYWORD = {"type": "text", "fields": {"keyword": {"type": "keyword", "ignore_above": 1024}}}
# Facet fields: their global ordinals are built at refresh, not by the first search after it.
_FACET_KEYWORD = {"type": "keyword", "eager_global_ordinals": True}
_FACET_TEXT_KEYWORD = {"type": "text", "fields": {"keyword": {**_FACET_KEYWORD, "ignore_above": 1024}}}
_FOLDED = {"type": "text", "analyzer": "whitespace", "position_increment_gap": 100}
_EVIDENCE = {"properties": {"warc_file": _KEYWORD, "record_id": _KEYWORD, "digest": _KEYWORD,
                            "fetched_at": {"type": "date"}, "url": _KEYWORD, "offset": {"type": "long"}}}

MAPPINGS: dict[str, dict[str, Any]] = {
    "listings": {
        "dynamic": "strict",
        "properties": {
            "market": _FACET_TEXT_KEYWORD, "listing_id": _KEYWORD, "url": _KEYWORD, "title": _TEXT_KEYWORD,
            "vendor": _FACET_TEXT_KEYWORD, "description": {"type": "text"}, "category": _TEXT_KEYWORD,
            "drugs": _FACET_KEYWORD, "drug_classes": _KEYWORD, "drug_keys": _KEYWORD, "class_keys": _KEYWORD,
            "price_amount": {"type": "double"}, "price_currency": _KEYWORD, "price_usd": {"type": "double"},
            "ships_from": _FACET_KEYWORD, "ships_to": _KEYWORD,  # ISO 3166-1 alpha-2, plus WW and EU
            "currencies": _FACET_KEYWORD,  # v4: the coins the listing accepts (BTC, XMR, ...)
            "entities": {"type": "nested", "properties": {"type": _KEYWORD, "name": _KEYWORD,
                                                           "class": _KEYWORD, "text": {"type": "text"}}},
            "market_key": _KEYWORD, "vendor_key": _KEYWORD, "category_key": _KEYWORD,
            "seen_at": {"type": "date"}, "indexed_at": {"type": "date"},
            "fields": {"type": "object", "enabled": False},
            "evidence": _EVIDENCE,
            **{name: _FOLDED for name in TEXT_FIELDS},
            # v3: payment terms, stock and feedback (escrow:, fe:, instock: filter them), and where
            # every fact came from (onionwatch.pipeline.facts)
            "escrow": {"type": "boolean"}, "finalize_early": {"type": "boolean"}, "in_stock": {"type": "boolean"},
            "stock": {"type": "long"}, "feedback_count": {"type": "long"},
            "sources": {"type": "object", "enabled": False},
        },
    },
    "vendors": {
        "dynamic": "strict",
        "properties": {
            "market": _KEYWORD, "handle": _TEXT_KEYWORD, "url": _KEYWORD, "pgp_key": {"type": "text", "index": False},
            "btc_addresses": _KEYWORD, "xmr_addresses": _KEYWORD, "contacts": _KEYWORD,
            "profile_text": {"type": "text"}, "fields": {"type": "object", "enabled": False},
            "extracted": {"type": "object", "enabled": False}, "evidence": _EVIDENCE,
            "indexed_at": {"type": "date"},
        },
    },
    "observations": {
        "dynamic": "strict",
        "properties": {
            "market": _KEYWORD, "listing_id": _KEYWORD, "observed_at": {"type": "date"},
            "price_usd": {"type": "double"}, "stock": {"type": "long"}, "feedback_count": {"type": "long"},
            "available": {"type": "boolean"}, "evidence": _EVIDENCE, "indexed_at": {"type": "date"},
        },
    },
}


def index_name(prefix: str, kind: str, version: int | None = None) -> str:
    """The concrete index of one mapping version (default: the current one)."""
    return f"{prefix}-{kind}-v{VERSIONS[kind] if version is None else version}"


def alias_name(prefix: str, kind: str) -> str:
    """The alias every reader and writer uses."""
    return f"{prefix}-{kind}"


#: Replicas when none are asked for: one on a cluster, none on a single node (Elasticsearch adjusts
#: the count as data nodes come and go).
AUTO_EXPAND_REPLICAS = "0-1"

#: How long a node that left has to come back before its shard copies are rebuilt elsewhere
#: (Elasticsearch's default is 1m; a restarted node is usually back sooner, and tests wait for it).
NODE_LEFT_DELAYED_TIMEOUT = "20s"


def settings(shards: int = 1, replicas: int | None = None) -> dict[str, Any]:
    """Index settings; with ``replicas`` None, one replica on a cluster and none on a single node.

    >>> settings()["auto_expand_replicas"], settings(replicas=2)["number_of_replicas"]
    ('0-1', 2)
    """
    chosen = {"number_of_replicas": replicas} if replicas is not None else {"auto_expand_replicas": AUTO_EXPAND_REPLICAS}
    return {"number_of_shards": shards, **chosen, "refresh_interval": "1s",
            "unassigned.node_left.delayed_timeout": NODE_LEFT_DELAYED_TIMEOUT}


def template(prefix: str, kind: str, *, shards: int = 1, replicas: int | None = None) -> dict[str, Any]:
    """The composable index template body for one kind (applies to every version's index)."""
    return {
        "index_patterns": [f"{prefix}-{kind}-v*"],
        "priority": 200,
        "version": VERSIONS[kind],
        "template": {"settings": settings(shards, replicas), "mappings": copy.deepcopy(MAPPINGS[kind])},
        "_meta": {"managed_by": "onionwatch", "kind": kind, "mapping_version": VERSIONS[kind]},
    }
