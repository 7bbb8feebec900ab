"""Alias resolution: which vendor accounts are one actor, with a score and the evidence per link.

Candidate pairs come only from blocking (:mod:`graph.blocking`), never from comparing all pairs of
accounts: accounts sharing an identifier node (PGP fingerprint, crypto address, contact, e-mail,
photo hash), near-duplicate photos, handles with the same key, near-duplicate texts; writing style
is scored only on pairs another block proposed.

An identifier is worth less the more accounts show it: full weight up to ``actor_accounts``
accounts, then ``actor_accounts / n``; one seen on more than ``common_share`` of a market's
accounts (the market's escrow address, a stock photo) counts as common and links nothing.
Signals combine by noisy-OR of ``weight * strength``; pairs scoring at least ``threshold``
are linked, and actors are the connected components of the links. Every number is a field of
:class:`~graph.params.ResolveParams`.

The functions read the graph and never change it; :func:`add_alias_edges` writes a resolution
into a graph when asked to.

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
>>> strict = resolve_aliases(b.graph, texts=b.texts, params=ResolveParams(signals={"handle"}))
>>> [sorted(l.signals) for l in strict.candidates], strict.links
([['handle']], [])
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, Iterable, Iterator, Mapping

import networkx as nx

from .actors import assign_actor_ids
from .blocking import (IdentifierUse, Signal, account_nodes, handle_signals, identifier_signals, identifier_uses,
                       photo_signals, style_signals, text_signals)
from .params import DEFAULT_PARAMS, ResolveParams
from .tables import SIGNAL_WEIGHTS, STRONG_SIGNALS
from .text import TextIndex

__all__ = ["Link", "Resolution", "ResolveParams", "resolve_aliases", "candidate_links", "score_links",
           "actor_clusters", "combine", "add_alias_edges"]


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
    """Every scored candidate pair, the accepted ones, the actors and how the work went;
    ``identifiers`` says, per identifier node, how many accounts show it and whether it was too
    common to link anything."""

    candidates: list[Link]
    links: list[Link]
    clusters: list[set[str]]
    actor_of: dict[str, str]
    stats: dict[str, int] = field(default_factory=dict)
    identifiers: dict[str, IdentifierUse] = field(default_factory=dict)


def combine(signals: Mapping[str, float], weights: Mapping[str, float] = SIGNAL_WEIGHTS) -> float:
    """Noisy-OR of the signals: ``1 - prod(1 - weight[s] * strength[s])``.

    >>> round(combine({"pgp": 1.0}), 3), round(combine({"handle": 1.0, "text": 0.9}), 3)
    (0.995, 0.852)
    """
    miss = 1.0
    for name, strength in signals.items():
        miss *= 1.0 - weights.get(name, 0.0) * max(0.0, min(1.0, strength))
    return 1.0 - miss


def _swap(evidence: dict[str, Any]) -> dict[str, Any]:
    out = dict(evidence)
    for left, right in (("a_evidence", "b_evidence"), ("a_listings", "b_listings"), ("a_value", "b_value")):
        if left in out or right in out:
            out[left], out[right] = evidence.get(right), evidence.get(left)
    return out


def _gather(links: dict[tuple[str, str], Link], signals: Iterable[Signal], max_evidence: int) -> None:
    """Fold signals into the links of their pairs (``a < b``): the strongest strength of each
    signal, and at most ``max_evidence`` evidence items of each."""
    for a, b, name, strength, evidence in signals:
        if a == b or strength <= 0:
            continue
        if b < a:
            a, b = b, a
            evidence = _swap(evidence)
        link = links.get((a, b))
        if link is None:
            link = links[(a, b)] = Link(a, b)
        if strength > link.signals.get(name, 0.0):
            link.signals[name] = strength
        if sum(e["signal"] == name for e in link.evidence) < max_evidence:
            link.evidence.append({"signal": name, "strength": round(strength, 6), **evidence})


def candidate_links(G: nx.Graph, *, texts: TextIndex | None = None, params: ResolveParams = DEFAULT_PARAMS,
                    uses: Mapping[str, IdentifierUse] | None = None, stats: Counter | None = None) -> list[Link]:
    """Every pair of accounts a block of ``params.used`` proposes, with its signals and evidence
    (not scored yet), sorted. ``uses`` are :func:`~graph.blocking.identifier_uses` when already made.

    >>> from graph.build import build_graph
    >>> G = build_graph([{"market": "m", "handle": "a", "contacts": ["Wickr: z"]},
    ...                  {"market": "n", "handle": "b", "contacts": ["Wickr: z"]}])
    >>> [(l.a, l.b, l.signals) for l in candidate_links(G)]
    [('m/a', 'n/b', {'contact': 1.0})]
    """
    use = params.used
    uses = identifier_uses(G, params) if uses is None else uses
    stats = Counter() if stats is None else stats
    blocks: list[Iterator[Signal]] = [identifier_signals(G, uses, params, stats=stats)]
    if "photo" in use:
        blocks.append(photo_signals(G, uses, params, stats=stats))
    if "handle" in use:
        blocks.append(handle_signals(G, params, stats=stats))
    if "text" in use and texts is not None:
        blocks.append(text_signals(texts, params, stats=stats))
    links: dict[tuple[str, str], Link] = {}
    _gather(links, chain.from_iterable(blocks), params.max_evidence)
    if "style" in use and texts is not None:
        _gather(links, style_signals(texts, list(links), params, stats=stats), params.max_evidence)
    return sorted(links.values(), key=lambda l: (l.a, l.b))


def score_links(G: nx.Graph, candidates: Iterable[Link], params: ResolveParams = DEFAULT_PARAMS) -> list[Link]:
    """Scored copies of ``candidates``: the noisy-OR of their signals, halved (with a ``conflict``
    evidence item) when only weak signals link two accounts that publish different PGP keys."""
    fingerprints: dict[str, set[str]] = {}

    def keys(account: str) -> set[str]:
        if account not in fingerprints:
            fingerprints[account] = {o for o in G[account] if o.startswith("pgp:")}
        return fingerprints[account]

    scored = []
    for link in candidates:
        link = Link(link.a, link.b, combine(link.signals, params.weights), dict(link.signals), list(link.evidence))
        strong = any(s in STRONG_SIGNALS for s in link.signals)
        fa, fb = keys(link.a), keys(link.b)
        if not strong and fa and fb and not fa & fb:
            link.score *= 0.5  # two different published PGP keys: weak signals are not enough
            link.evidence.append({"signal": "conflict", "detail": "different PGP keys"})
        scored.append(link)
    return scored


def actor_clusters(accounts: Iterable[str], links: Iterable[Link]) -> list[set[str]]:
    """The actors: connected components of the accounts joined by ``links``.

    >>> sorted(sorted(c) for c in actor_clusters(["a", "b", "c"], [Link("a", "b")]))
    [['a', 'b'], ['c']]
    """
    H = nx.Graph()
    H.add_nodes_from(accounts)
    H.add_edges_from((l.a, l.b) for l in links)
    return [set(c) for c in nx.connected_components(H)]


def resolve_aliases(G: nx.Graph, *, texts: TextIndex | None = None, params: ResolveParams = DEFAULT_PARAMS,
                    previous: Mapping[str, str] | None = None) -> Resolution:
    """Score candidate account pairs, link those scoring at least ``params.threshold`` and name
    actors. ``previous`` is the last run's ``account -> actor id`` map, for stable ids. ``G`` is
    not changed: :func:`add_alias_edges` writes the result into a graph."""
    stats: Counter = Counter()
    accounts = account_nodes(G)
    uses = identifier_uses(G, params)
    candidates = score_links(G, candidate_links(G, texts=texts, params=params, uses=uses, stats=stats), params)
    links = [l for l in candidates if l.score >= params.threshold]
    stats.update(candidates=len(candidates), links=len(links), accounts=len(accounts))
    clusters = actor_clusters(accounts, links)
    actor_of = assign_actor_ids(clusters, previous=previous)
    return Resolution(candidates, links, clusters, actor_of, dict(stats), uses)


def add_alias_edges(G: nx.Graph, resolution: Resolution, *, attr: str = "actor") -> nx.Graph:
    """Write the resolution into ``G``: an ``alias`` edge per link (score, signals, evidence),
    each account's actor id in node attribute ``attr``, and on each identifier node the number
    of ``accounts`` showing it and (when judged) whether it was ``common``. Old alias edges are
    replaced.

    >>> from graph.build import build_graph
    >>> G = build_graph([{"market": "m", "handle": "a", "contacts": ["Wickr: z"]},
    ...                  {"market": "n", "handle": "b", "contacts": ["Wickr: z"]}])
    >>> _ = add_alias_edges(G, resolve_aliases(G))
    >>> G.edges["m/a", "n/b"]["type"], G.nodes["m/a"]["actor"] == G.nodes["n/b"]["actor"]
    ('alias', True)
    >>> G.nodes["contact:wickr:z"]["accounts"], G.nodes["contact:wickr:z"]["common"]
    (2, False)
    """
    for node, use in resolution.identifiers.items():
        if node in G:
            G.nodes[node]["accounts"] = len(use.accounts)
            if use.common is not None:
                G.nodes[node]["common"] = use.common
    G.remove_edges_from([(u, v) for u, v, t in G.edges(data="type") if t == "alias"])
    for link in resolution.links:
        G.add_edge(link.a, link.b, type="alias", score=link.score, signals=dict(link.signals),
                   evidence=link.evidence, count=1)
    for account, actor in resolution.actor_of.items():
        G.nodes[account][attr] = actor
    return G
