"""Compile a parsed :class:`~search_index.query.Query` to Elasticsearch query DSL.

Only structured queries are built (``multi_match``, ``prefix``, ``terms``, ``range``): user text is
never given to ``query_string`` or any other parser with a syntax of its own.

>>> from search_index.query import parse
>>> to_es(parse("*"))
{'match_all': {}}
>>> to_es(parse("fent* -vendor:x price<200"))["bool"]["filter"]
[{'range': {'price_usd': {'lt': 200.0}}}]
"""
from __future__ import annotations

from typing import Any

from .base import FACET_SIZE, FACETS, TEXT_FIELDS
from .query import Flag, Query, Range, Terms, Text

__all__ = ["to_es", "facet_aggs", "FACET_FIELDS"]

#: Facet name -> the keyword field it counts.
FACET_FIELDS = {"market": "market.keyword", "vendor": "vendor.keyword", "drug": "drugs", "ships_from": "ships_from",
                "currency": "currencies"}


def to_es(query: Query) -> dict[str, Any]:
    """The ``query`` object of a search request."""
    must: list[dict] = []
    must_not: list[dict] = []
    filters: list[dict] = []
    for clause in query.clauses:
        if isinstance(clause, Text):
            (must_not if clause.negated else must).append(_text(clause))
        elif isinstance(clause, Terms):
            (must_not if clause.negated else filters).append({"terms": {clause.field: list(clause.values)}})
        elif isinstance(clause, Range):
            filters.append({"range": {clause.field: {clause.op: clause.value}}})
        elif isinstance(clause, Flag):  # escrow:yes, fe:no, instock:yes
            (must_not if clause.negated else filters).append({"term": {clause.field: clause.value}})
    if not (must or must_not or filters):
        return {"match_all": {}}
    boolean: dict[str, Any] = {}
    if must:
        boolean["must"] = must
    if filters:
        boolean["filter"] = filters
    if must_not:
        boolean["must_not"] = must_not
    return {"bool": boolean}


def _text(clause: Text) -> dict[str, Any]:
    if clause.prefix:
        return {"bool": {"should": [{"prefix": {field: {"value": clause.words[0]}}} for field in TEXT_FIELDS],
                         "minimum_should_match": 1}}
    kind = "phrase" if len(clause.words) > 1 else "best_fields"
    return {"multi_match": {"query": " ".join(clause.words), "fields": list(TEXT_FIELDS), "type": kind,
                            "operator": "and"} if kind == "best_fields" else
            {"query": " ".join(clause.words), "fields": list(TEXT_FIELDS), "type": kind}}


def facet_aggs(size: int = FACET_SIZE) -> dict[str, Any]:
    """Terms aggregations for :data:`~search_index.base.FACETS`, ``size`` buckets each: the default
    order (most frequent first, ties by name) needs no compound order."""
    return {name: {"terms": {"field": FACET_FIELDS[name], "size": size}} for name in FACETS}
