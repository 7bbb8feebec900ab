"""Alias resolution: which vendor accounts are one actor, with a score and the evidence per link.

Candidate pairs come only from blocking, never from comparing all pairs of accounts:

- each identifier node (PGP fingerprint, crypto address, contact, e-mail, photo hash) is a block
  of the accounts using it;
- photo hashes a few bits apart meet in the bands of :func:`graph.photos.near_duplicate_pairs`;
- handles meet on their :func:`~graph.identifiers.handle_key` (``dr.white`` / ``DrWhite_``);
- texts meet in the MinHash LSH buckets of :class:`graph.text.TextIndex`;
- writing style is scored only on pairs another block proposed.

An identifier is worth less the more accounts show it: full weight up to ``actor_accounts``
accounts, then ``actor_accounts / n``; one seen on more than ``common_share`` of a market's
accounts (the market's escrow address, a stock photo) counts as common and links nothing.
Signals combine by noisy-OR of ``weight * strength``; pairs scoring at least ``threshold``
are linked, and actors are the connected components of the links.

>>> from graph.build import GraphBuilder
>>> b = GraphBuilder().add_all([
...     {"market": "m1", "handle": "DrWhite", "contacts": ["Wickr: whiteline"]},
...     {"market": "m2", "handle": "dr.white", "contacts": ["Wickr: whiteline"]},
...     {"market": "m2", "handle": "Other", "contacts": ["Wickr: other1"]}])
>>> result = resolve_aliases(b.graph, texts=b.texts)
>>> [(l.a, l.b, sorted(l.signals)) for l in result.links]
[('m1/DrWhite', 'm2/dr.white', ['contact', 'handle'])]
>>> result.actor_of["m1/DrWhite"] == result.actor_of["m2/dr.white"] != result.actor_of["m2/Other"]
True
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Iterable, Mapping

import networkx as nx

from .actors import assign_actor_ids
from .identifiers import handle_key, handle_skeleton
from .photos import near_duplicate_pairs
from .tables import SIGNAL_WEIGHTS, STRONG_SIGNALS
from .text import TextIndex

__all__ = ["Link", "Resolution", "resolve_aliases", "combine", "add_alias_edges"]


@dataclass
class Link:
    """A scored candidate pair of accounts: per-signal strengths (0-1) and the evidence of each."""

    a: str
    b: str
    score: float = 0.0
    signals: dict[str, float] = field(default_factory=dict)
    evidence: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "score": round(self.score, 6),
                "signals": {k: round(v, 6) for k, v in sorted(self.signals.items())},
                "evidence": self.evidence}


@dataclass
class Resolution:
    """Every scored candidate pair, the accepted ones, the actors and how the work went."""

    candidates: list[Link]
    links: list[Link]
    clusters: list[set[str]]
    actor_of: dict[str, str]
    stats: dict[str, int] = field(default_factory=dict)


def combine(signals: Mapping[str, float], weights: Mapping[str, float] = SIGNAL_WEIGHTS) -> float:
    """Noisy-OR of the signals: ``1 - prod(1 - weight[s] * strength[s])``.

    >>> round(combine({"pgp": 1.0}), 3), round(combine({"handle": 1.0, "text": 0.9}), 3)
    (0.995, 0.852)
    """
    miss = 1.0
    for name, strength in signals.items():
        miss *= 1.0 - weights.get(name, 0.0) * max(0.0, min(1.0, strength))
    return 1.0 - miss


class _Pairs:
    def __init__(self, max_evidence: int) -> None:
        self.links: dict[tuple[str, str], Link] = {}
        self.max_evidence = max_evidence

    def add(self, a: str, b: str, signal: str, strength: float, evidence: dict[str, Any]) -> None:
        if a == b or strength <= 0:
            return
        if b < a:
            a, b = b, a
            evidence = _swap(evidence)
        link = self.links.get((a, b))
        if link is None:
            link = self.links[(a, b)] = Link(a, b)
        if strength > link.signals.get(signal, 0.0):
            link.signals[signal] = strength
        same = [e for e in link.evidence if e["signal"] == signal]
        if len(same) < self.max_evidence:
            link.evidence.append({"signal": signal, "strength": round(strength, 6), **evidence})


def _swap(evidence: dict[str, Any]) -> dict[str, Any]:
    out = dict(evidence)
    for left, right in (("a_evidence", "b_evidence"), ("a_listings", "b_listings"), ("a_value", "b_value")):
        if left in out or right in out:
            out[left], out[right] = evidence.get(right), evidence.get(left)
    return out


def _account_nodes(G: nx.Graph, node: str) -> list[str]:
    return [n for n in G[node] if G.nodes[n].get("type") == "account"]


def _specificity(G: nx.Graph, members: list[str], market_size: Counter, *, actor_accounts: int,
                 common_share: float, common_min: int) -> tuple[float, bool]:
    per_market = Counter(G.nodes[m]["market"] for m in members)
    for market, count in per_market.items():
        if count >= common_min and count > common_share * market_size[market]:
            return 0.0, True
    n = len(members)
    return (1.0 if n <= actor_accounts else actor_accounts / n), False


def resolve_aliases(G: nx.Graph, *, texts: TextIndex | None = None,
                    weights: Mapping[str, float] = SIGNAL_WEIGHTS, threshold: float = 0.9,
                    signals: Iterable[str] | None = None, actor_accounts: int = 4,
                    common_share: float = 0.3, common_min: int = 3, max_block: int = 50,
                    handle_similarity: float = 0.88, text_similarity: float = 0.6,
                    photo_distance: int = 4, style_floor: float = 0.6, max_evidence: int = 3,
                    previous: Mapping[str, str] | None = None) -> Resolution:
    """Score candidate account pairs, link those scoring at least ``threshold`` and name actors.

    ``signals`` restricts the signals used (default: all in ``weights``); ``previous`` is the last
    run's ``account -> actor id`` map, for stable ids. Identifier nodes get ``accounts`` and
    ``common`` attributes (whether the identifier was too common to link anything).
    """
    use = set(signals) if signals is not None else set(weights)
    pairs = _Pairs(max_evidence)
    stats: Counter = Counter()
    account_list = [n for n, t in G.nodes(data="type") if t == "account"]
    market_size = Counter(G.nodes[n]["market"] for n in account_list)
    spec = dict(actor_accounts=actor_accounts, common_share=common_share, common_min=common_min)

    photo_nodes: dict[str, str] = {}
    for node, data in G.nodes(data=True):
        if data.get("type") != "identifier":
            continue
        kind = data["kind"]
        members = _account_nodes(G, node)
        data["accounts"] = len(members)
        if kind == "origin" or len(members) < 2:
            if kind == "photo" and members:
                photo_nodes[node] = data["value"]
            continue
        factor, common = _specificity(G, members, market_size, **spec)
        data["common"] = common
        if kind == "photo" and not common:
            photo_nodes[node] = data["value"]
        if common or kind not in use:
            stats[f"common_{kind}" if common else "unused"] += 1
            continue
        if len(members) > max_block:
            stats["skipped_blocks"] += 1
            continue
        for a, b in combinations(sorted(members), 2):
            stats["comparisons"] += 1
            pairs.add(a, b, kind, factor, {
                "identifier": node, "shared_by": len(members), "specificity": round(factor, 6),
                "a_evidence": G.edges[a, node]["evidence"][:1],
                "b_evidence": G.edges[b, node]["evidence"][:1],
                "a_listings": G.edges[a, node]["listings"][:3],
                "b_listings": G.edges[b, node]["listings"][:3]})

    if "photo" in use and photo_nodes:
        _photo_pairs(G, pairs, photo_nodes, market_size, spec, photo_distance, max_block, stats)
    if "handle" in use:
        _handle_pairs(G, pairs, account_list, market_size, spec, handle_similarity, max_block, stats)
    if "text" in use and texts is not None:
        for a, b, score, refs in texts.pairs(threshold=text_similarity):
            stats["comparisons"] += 1
            pairs.add(a, b, "text", score, {"similarity": round(score, 6),
                                            "a_listings": [r[0] for r in refs],
                                            "b_listings": [r[1] for r in refs]})
    if "style" in use and texts is not None:
        scorer = texts.style_scorer()
        for (a, b), link in pairs.links.items():
            similarity = scorer(a, b)
            stats["style_comparisons"] += 1
            if similarity > style_floor:
                pairs.add(a, b, "style", (similarity - style_floor) / (1 - style_floor),
                          {"similarity": round(similarity, 6)})

    fingerprints = {n: {o for o in G[n] if o.startswith("pgp:")} for n in account_list}
    candidates = sorted(pairs.links.values(), key=lambda l: (l.a, l.b))
    for link in candidates:
        link.score = combine(link.signals, weights)
        strong = any(s in STRONG_SIGNALS for s in link.signals)
        fa, fb = fingerprints[link.a], fingerprints[link.b]
        if not strong and fa and fb and not fa & fb:
            link.score *= 0.5  # two different published PGP keys: weak signals are not enough
            link.evidence.append({"signal": "conflict", "detail": "different PGP keys"})
    links = [l for l in candidates if l.score >= threshold]
    stats.update(candidates=len(candidates), links=len(links), accounts=len(account_list))
    clusters = _clusters(account_list, links)
    actor_of = assign_actor_ids(clusters, previous=previous)
    return Resolution(candidates, links, clusters, actor_of, dict(stats))


def _photo_pairs(G, pairs, photo_nodes, market_size, spec, distance, max_block, stats) -> None:
    groups = {node: tuple(sorted(_account_nodes(G, node))) for node in photo_nodes}
    known: dict[tuple[str, ...], tuple[float, bool]] = {}
    for p, q, fraction in near_duplicate_pairs(photo_nodes, max_distance=distance, groups=groups):
        members = tuple(sorted(set(groups[p]) | set(groups[q])))
        if len(members) > max_block:
            continue
        if members not in known:
            known[members] = _specificity(G, list(members), market_size, **spec)
        factor, common = known[members]
        if common:
            continue
        for a in groups[p]:
            for b in groups[q]:
                stats["comparisons"] += 1
                pairs.add(a, b, "photo", factor * (1 - fraction), {
                    "a_value": p, "b_value": q, "distance_bits": round(fraction * 64),
                    "a_listings": G.edges[a, p]["listings"][:3],
                    "b_listings": G.edges[b, q]["listings"][:3]})


def _handle_pairs(G, pairs, account_list, market_size, spec, minimum, max_block, stats) -> None:
    blocks: dict[str, list[str]] = defaultdict(list)
    for node in account_list:
        key = handle_key(G.nodes[node]["handle"])
        if len(key) >= 4:
            blocks[key].append(node)
    for key, members in blocks.items():
        if len(members) < 2 or len(members) > max_block:
            continue
        factor = 1.0 if len(members) <= spec["actor_accounts"] else spec["actor_accounts"] / len(members)
        for a, b in combinations(sorted(members), 2):
            stats["comparisons"] += 1
            sa, sb = handle_skeleton(G.nodes[a]["handle"]), handle_skeleton(G.nodes[b]["handle"])
            # same skeleton: the same name written differently; same key only: digits/affixes differ
            similarity = 1.0 if sa == sb else 0.9
            if similarity >= minimum:
                pairs.add(a, b, "handle", factor * similarity,
                          {"key": key, "a_value": G.nodes[a]["handle"], "b_value": G.nodes[b]["handle"],
                           "similarity": round(similarity, 6)})


def _clusters(account_list: list[str], links: list[Link]) -> list[set[str]]:
    H = nx.Graph()
    H.add_nodes_from(account_list)
    H.add_edges_from((l.a, l.b) for l in links)
    return [set(c) for c in nx.connected_components(H)]


def add_alias_edges(G: nx.Graph, resolution: Resolution, *, attr: str = "actor") -> nx.Graph:
    """Write the resolution into ``G``: an ``alias`` edge per link (score, signals, evidence) and
    each account's actor id in node attribute ``attr``. Old alias edges are replaced.

    >>> from graph.build import build_graph
    >>> G = build_graph([{"market": "m", "handle": "a", "contacts": ["Wickr: z"]},
    ...                  {"market": "n", "handle": "b", "contacts": ["Wickr: z"]}])
    >>> _ = add_alias_edges(G, resolve_aliases(G))
    >>> G.edges["m/a", "n/b"]["type"], G.nodes["m/a"]["actor"] == G.nodes["n/b"]["actor"]
    ('alias', True)
    """
    G.remove_edges_from([(u, v) for u, v, t in G.edges(data="type") if t == "alias"])
    for link in resolution.links:
        G.add_edge(link.a, link.b, type="alias", score=link.score, signals=dict(link.signals),
                   evidence=link.evidence, count=1)
    for account, actor in resolution.actor_of.items():
        G.nodes[account][attr] = actor
    return G
