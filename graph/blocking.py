"""Blocking: the candidate pairs of vendor accounts, and the signal each block gives them.

Alias resolution never compares all pairs of accounts; each function here is one way two
accounts can meet, and yields a :class:`Signal` for each pair it proposes (they read ``G`` and
never change it):

- :func:`identifier_signals`: each identifier node (PGP fingerprint, crypto address, contact,
  e-mail, photo hash) is a block of the accounts using it, worth :func:`identifier_uses`'s weight;
- :func:`photo_signals`: photo hashes a few bits apart meet in the bands of
  :func:`graph.photos.near_duplicate_pairs`;
- :func:`handle_signals`: handles meet on their :func:`~graph.identifiers.handle_key`;
- :func:`text_signals`: texts meet in the MinHash LSH buckets of :class:`graph.text.TextIndex`;
- :func:`style_signals`: writing style, scored only on pairs another block proposed.

``stats``, when given, counts the comparisons made and the blocks skipped.

>>> import networkx as nx
>>> G = nx.Graph()
>>> G.add_nodes_from(["m/a", "n/b"], type="account")
>>> G.add_nodes_from([("m/a", {"market": "m", "handle": "a"}), ("n/b", {"market": "n", "handle": "b"})])
>>> G.add_node("contact:wickr:z", type="identifier", kind="contact", value="wickr:z")
>>> for a in ("m/a", "n/b"): G.add_edge(a, "contact:wickr:z", evidence=[], listings=[])
>>> [(s.a, s.b, s.name, s.strength) for s in identifier_signals(G, identifier_uses(G))]
[('m/a', 'n/b', 'contact', 1.0)]
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations
from typing import Any, Iterable, Iterator, Mapping, NamedTuple

import networkx as nx

from .identifiers import handle_key, handle_skeleton
from .params import DEFAULT_PARAMS, ResolveParams
from .photos import near_duplicate_pairs
from .text import TextIndex

__all__ = ["Signal", "IdentifierUse", "account_nodes", "identifier_uses", "identifier_signals", "photo_signals",
           "handle_signals", "text_signals", "style_signals"]


class Signal(NamedTuple):
    """One block's vote that accounts ``a`` and ``b`` are one actor: a strength (0-1) and why."""

    a: str
    b: str
    name: str
    strength: float
    evidence: dict[str, Any]


@dataclass(frozen=True)
class IdentifierUse:
    """The accounts showing an identifier and what it is worth: ``weight`` is 1 up to
    ``actor_accounts`` accounts, then ``actor_accounts / n``; ``common`` says it was seen on too
    many of a market's accounts to link anything (None: not judged, as an origin or an identifier
    of one account is not a block)."""

    kind: str
    value: str
    accounts: tuple[str, ...]
    weight: float = 0.0
    common: bool | None = None


def account_nodes(G: nx.Graph, node: str | None = None) -> list[str]:
    """The account nodes of ``G`` (in ``G``'s order), or those linked to ``node``."""
    if node is None:
        return [n for n, t in G.nodes(data="type") if t == "account"]
    return [n for n in G[node] if G.nodes[n].get("type") == "account"]


def _market_sizes(G: nx.Graph) -> Counter:
    return Counter(G.nodes[n]["market"] for n in account_nodes(G))


def _specificity(G: nx.Graph, members: Iterable[str], market_size: Mapping[str, int],
                 params: ResolveParams) -> tuple[float, bool]:
    members = list(members)
    per_market = Counter(G.nodes[m]["market"] for m in members)
    for market, count in per_market.items():
        if count >= params.common_min and count > params.common_share * market_size[market]:
            return 0.0, True
    n = len(members)
    return (1.0 if n <= params.actor_accounts else params.actor_accounts / n), False


def identifier_uses(G: nx.Graph, params: ResolveParams | None = None) -> dict[str, IdentifierUse]:
    """Each identifier node of ``G``, in ``G``'s order, with its accounts, weight and commonness."""
    params = params or DEFAULT_PARAMS
    market_size = _market_sizes(G)
    uses: dict[str, IdentifierUse] = {}
    for node, data in G.nodes(data=True):
        if data.get("type") != "identifier":
            continue
        members = account_nodes(G, node)
        if data["kind"] == "origin" or len(members) < 2:
            uses[node] = IdentifierUse(data["kind"], data["value"], tuple(members))
            continue
        weight, common = _specificity(G, members, market_size, params)
        uses[node] = IdentifierUse(data["kind"], data["value"], tuple(members), weight, common)
    return uses


def identifier_signals(G: nx.Graph, uses: Mapping[str, IdentifierUse], params: ResolveParams | None = None,
                       *, stats: Counter | None = None) -> Iterator[Signal]:
    """The pairs of accounts sharing an identifier that is neither common nor in too big a block."""
    params = params or DEFAULT_PARAMS
    stats = Counter() if stats is None else stats
    for node, use in uses.items():
        if use.common is None:
            continue
        if use.common or use.kind not in params.used:
            stats[f"common_{use.kind}" if use.common else "unused"] += 1
            continue
        if len(use.accounts) > params.max_block:
            stats["skipped_blocks"] += 1
            continue
        for a, b in combinations(sorted(use.accounts), 2):
            stats["comparisons"] += 1
            yield Signal(a, b, use.kind, use.weight, {
                "identifier": node, "shared_by": len(use.accounts), "specificity": round(use.weight, 6),
                "a_evidence": G.edges[a, node]["evidence"][:1],
                "b_evidence": G.edges[b, node]["evidence"][:1],
                "a_listings": G.edges[a, node]["listings"][:3],
                "b_listings": G.edges[b, node]["listings"][:3]})


def photo_signals(G: nx.Graph, uses: Mapping[str, IdentifierUse], params: ResolveParams | None = None,
                  *, stats: Counter | None = None) -> Iterator[Signal]:
    """Pairs of accounts showing photos at most ``params.photo_distance`` bits apart (the same
    photo too), weighted by how many accounts show the two and by their distance."""
    params = params or DEFAULT_PARAMS
    stats = Counter() if stats is None else stats
    photo_nodes = {node: use.value for node, use in uses.items()
                   if use.kind == "photo" and use.accounts and not use.common}
    if not photo_nodes:
        return
    market_size = _market_sizes(G)
    groups = {node: tuple(sorted(uses[node].accounts)) for node in photo_nodes}
    known: dict[tuple[str, ...], tuple[float, bool]] = {}
    for p, q, fraction in near_duplicate_pairs(photo_nodes, max_distance=params.photo_distance, groups=groups):
        members = tuple(sorted(set(groups[p]) | set(groups[q])))
        if len(members) > params.max_block:
            continue
        if members not in known:
            known[members] = _specificity(G, members, market_size, params)
        factor, common = known[members]
        if common:
            continue
        for a in groups[p]:
            for b in groups[q]:
                stats["comparisons"] += 1
                yield Signal(a, b, "photo", factor * (1 - fraction), {
                    "a_value": p, "b_value": q, "distance_bits": round(fraction * 64),
                    "a_listings": G.edges[a, p]["listings"][:3],
                    "b_listings": G.edges[b, q]["listings"][:3]})


def handle_signals(G: nx.Graph, params: ResolveParams | None = None, *,
                   stats: Counter | None = None) -> Iterator[Signal]:
    """Pairs of accounts whose handles have the same blocking key (1.0 for the same skeleton,
    0.9 when only digits or affixes differ), kept when at least ``params.handle_similarity``."""
    params = params or DEFAULT_PARAMS
    stats = Counter() if stats is None else stats
    blocks: dict[str, list[str]] = defaultdict(list)
    for node in account_nodes(G):
        key = handle_key(G.nodes[node]["handle"])
        if len(key) >= 4:
            blocks[key].append(node)
    for key, members in blocks.items():
        if len(members) < 2 or len(members) > params.max_block:
            continue
        n = len(members)
        factor = 1.0 if n <= params.actor_accounts else params.actor_accounts / n
        for a, b in combinations(sorted(members), 2):
            stats["comparisons"] += 1
            sa, sb = handle_skeleton(G.nodes[a]["handle"]), handle_skeleton(G.nodes[b]["handle"])
            # same skeleton: the same name written differently; same key only: digits/affixes differ
            similarity = 1.0 if sa == sb else 0.9
            if similarity >= params.handle_similarity:
                yield Signal(a, b, "handle", factor * similarity,
                             {"key": key, "a_value": G.nodes[a]["handle"], "b_value": G.nodes[b]["handle"],
                              "similarity": round(similarity, 6)})


def text_signals(texts: TextIndex, params: ResolveParams | None = None, *,
                 stats: Counter | None = None) -> Iterator[Signal]:
    """Pairs of accounts with near-duplicate listing texts (at least ``params.text_similarity``)."""
    params = params or DEFAULT_PARAMS
    stats = Counter() if stats is None else stats
    for a, b, score, refs in texts.pairs(threshold=params.text_similarity):
        stats["comparisons"] += 1
        yield Signal(a, b, "text", score, {"similarity": round(score, 6),
                                           "a_listings": [r[0] for r in refs],
                                           "b_listings": [r[1] for r in refs]})


def style_signals(texts: TextIndex, pairs: Iterable[tuple[str, str]], params: ResolveParams | None = None,
                  *, stats: Counter | None = None) -> Iterator[Signal]:
    """Writing-style similarity of ``pairs`` (proposed by the other blocks), rescaled above
    ``params.style_floor`` (pairs at or below it give nothing)."""
    params = params or DEFAULT_PARAMS
    stats = Counter() if stats is None else stats
    scorer = texts.style_scorer()
    floor = params.style_floor
    for a, b in pairs:
        similarity = scorer(a, b)
        stats["style_comparisons"] += 1
        if similarity > floor:
            yield Signal(a, b, "style", (similarity - floor) / (1 - floor), {"similarity": round(similarity, 6)})
