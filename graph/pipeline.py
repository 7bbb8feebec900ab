"""The graph job end to end: records in (a store or JSON Lines files), resolved graph out, saved.

``build_vendor_graph`` is what ``onionwatch graph build`` and the notebooks call. The saved graph
(node-link JSON, gzipped) keeps every account's actor id, so the next build keeps the ids.
Listing photos the crawler archived (``photos: [{"url", "evidence"}]`` on a record, or in its
``fields`` as a store keeps them) are read from the WARC and hashed on the way in
(:func:`with_photo_hashes`), so the photo signal works on crawled data.

>>> G, result = build_vendor_graph([
...     {"market": "m1", "handle": "a", "contacts": ["Wickr: z"]},
...     {"market": "m2", "handle": "b", "contacts": ["Wickr: z"]}])
>>> G.nodes["m1/a"]["actor"] == G.nodes["m2/b"]["actor"], result.stats["links"]
(True, 1)
"""
from __future__ import annotations

import gzip
import json
import os
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import networkx as nx

from onionwatch.core.jsonl import read_jsonl

from .build import GraphBuilder
from .photos import hash_listing_photos
from .params import DEFAULT_PARAMS, ResolveParams
from .resolve import Resolution, add_alias_edges, resolve_aliases

__all__ = ["build_vendor_graph", "records_from_store", "read_record_files", "save_graph",
           "load_graph", "actor_map", "with_photo_hashes", "GRAPH_FILE"]

#: Where ``onionwatch graph build`` keeps the graph inside the data directory.
GRAPH_FILE = Path("graph") / "vendor-graph.json.gz"


def records_from_store(store) -> Iterator[dict[str, Any]]:
    """Every vendor document, then every listing document, of a store (either backend)."""
    yield from store.iter_vendors()
    yield from store.iter_listings()


def read_record_files(paths: Iterable[str | os.PathLike],
                      problems: list[str] | None = None) -> Iterator[dict[str, Any]]:
    """Records from JSON Lines files (``.gz`` too); a broken line is reported in ``problems``
    (or raises ValueError naming the file and line when no list is given) and skipped."""
    on_error = None if problems is None else (lambda bad: problems.append(str(bad)))
    for path in paths:
        yield from read_jsonl(path, on_error=on_error)


def with_photo_hashes(records: Iterable[dict[str, Any]], *, stats: dict[str, int] | None = None,
                      read: Callable[[dict[str, Any]], bytes] | None = None,
                      data_dir: Any = None) -> Iterator[dict[str, Any]]:
    """Records with a ``phash`` on each archived listing photo (read from its WARC evidence by
    :func:`graph.photos.hash_listing_photos`). A listing whose photos sit in ``fields["photos"]``
    (a store's document) gets them as ``photos``; other records pass unchanged. ``stats`` counts
    ``photos_hashed`` and ``photo_errors`` (a photo not in the archive is kept, with its error).

    >>> import io
    >>> from PIL import Image
    >>> png = io.BytesIO(); Image.linear_gradient("L").save(png, "PNG")
    >>> docs = [{"kind": "listing", "fields": {"photos": [{"url": "u", "evidence": {"x": 1}}]}}]
    >>> counts = {}
    >>> [len(d["photos"][0]["phash"]) for d in with_photo_hashes(docs, stats=counts, read=lambda ev: png.getvalue())]
    [16]
    >>> counts
    {'photos_hashed': 1, 'photo_errors': 0}
    """
    counts = stats if stats is not None else {}
    counts.setdefault("photos_hashed", 0)
    counts.setdefault("photo_errors", 0)

    def lifted() -> Iterator[dict[str, Any]]:
        for record in records:
            photos = record.get("photos") or (record.get("fields") or {}).get("photos")
            if record.get("kind", "listing") == "listing" and isinstance(photos, list) and photos:
                record = {**record, "photos": [dict(p) if isinstance(p, dict) else p for p in photos]}
            yield record

    for record in hash_listing_photos(lifted(), read=read, data_dir=data_dir):
        for photo in record.get("photos") or []:
            if isinstance(photo, dict):
                counts["photos_hashed"] += bool(photo.get("phash") and photo.get("evidence"))
                counts["photo_errors"] += bool(photo.get("error"))
        yield record


def build_vendor_graph(records: Iterable[dict[str, Any]], *, previous: dict[str, str] | None = None,
                       progress: Callable[[str], None] | None = None, scan_text: bool = True,
                       photos: bool = True, params: ResolveParams = DEFAULT_PARAMS,
                       data_dir: Any = None) -> tuple[nx.Graph, Resolution]:
    """Build the graph of ``records``, resolve aliases with ``params`` and write them in (``alias``
    edges, the ``actor`` node attribute). ``previous`` is the last run's ``account -> actor`` map;
    with ``photos`` (the default) archived listing photos are hashed for the photo signal, read from
    the data directory ``data_dir`` (default: the configured one)."""
    say = progress or (lambda message: None)
    builder = GraphBuilder(scan_text=scan_text)
    photo_stats: dict[str, int] = {}
    if photos:
        records = with_photo_hashes(records, stats=photo_stats, data_dir=data_dir)
    builder.add_all(records, progress=lambda n: say(f"  read {n:,} records"))
    if photo_stats.get("photos_hashed") or photo_stats.get("photo_errors"):
        say(f"  hashed {photo_stats['photos_hashed']:,} archived listing photos"
            + (f" ({photo_stats['photo_errors']:,} unreadable: see the photo's 'error')"
               if photo_stats["photo_errors"] else ""))
    G = builder.graph
    say(f"  graph: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges; resolving aliases")
    result = resolve_aliases(G, texts=builder.texts, params=params, previous=previous)
    add_alias_edges(G, result)
    G.graph.update(skipped_records=builder.skipped, **photo_stats,
                   **{f"resolve_{k}": v for k, v in result.stats.items()})
    return G, result


def actor_map(G: nx.Graph, *, attr: str = "actor") -> dict[str, str]:
    """``account -> actor id`` as stored in ``G``.

    >>> G = nx.Graph(); G.add_node("m/a", type="account", actor="actor-1")
    >>> actor_map(G)
    {'m/a': 'actor-1'}
    """
    return {n: d[attr] for n, d in G.nodes(data=True) if d.get("type") == "account" and attr in d}


def save_graph(G: nx.Graph, path: str | os.PathLike) -> Path:
    """Write ``G`` as gzipped node-link JSON (written to a temporary file, then renamed)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    with gzip.open(temporary, "wt", encoding="utf-8") as fh:
        json.dump(nx.node_link_data(G, edges="edges"), fh, ensure_ascii=False)
    temporary.replace(path)
    return path


def load_graph(path: str | os.PathLike) -> nx.Graph:
    """Read a graph written by :func:`save_graph`.

    >>> import tempfile
    >>> G = nx.Graph(); G.add_edge("a", "b", type="uses")
    >>> p = save_graph(G, Path(tempfile.mkdtemp()) / "g.json.gz")
    >>> load_graph(p).edges["a", "b"]["type"]
    'uses'
    """
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return nx.node_link_graph(json.load(fh), edges="edges")

