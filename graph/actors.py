"""Stable actor ids: a resolved actor (a cluster of accounts) keeps its id from run to run.

Without history an actor's id is derived from its first account (sorted), so rebuilding the same
data gives the same ids. With the previous run's ``account -> actor id`` map, each cluster takes
the previous id most of its accounts had (each old id goes to at most one cluster, the one that
keeps most of its accounts), so ids survive new accounts joining, clusters merging (the larger
part's id wins) and splitting (the larger part keeps it).

>>> first = assign_actor_ids([{"m/a", "n/a2"}, {"m/b"}])
>>> first["m/a"] == first["n/a2"] != first["m/b"]
True
>>> again = assign_actor_ids([{"m/a", "n/a2", "o/a3"}, {"m/0new", "m/b"}], previous=first)
>>> again["o/a3"] == first["m/a"], again["m/0new"] == first["m/b"]
(True, True)
"""
from __future__ import annotations

import hashlib
from collections import Counter
from typing import Iterable, Mapping

__all__ = ["assign_actor_ids", "new_actor_id"]


def new_actor_id(members: Iterable[str], *, prefix: str = "actor-") -> str:
    """The id of a new actor: a hash of its first account.

    >>> new_actor_id(["m/b", "m/a"]) == new_actor_id(["m/a"])
    True
    """
    first = min(members)
    return prefix + hashlib.sha256(first.encode("utf-8")).hexdigest()[:12]


def assign_actor_ids(clusters: Iterable[Iterable[str]], *, previous: Mapping[str, str] | None = None,
                     prefix: str = "actor-") -> dict[str, str]:
    """``account -> actor id`` for every account of ``clusters`` (disjoint sets of accounts)."""
    groups = sorted((sorted(c) for c in clusters), key=lambda c: (-len(c), c[0]))
    previous = previous or {}
    claims: list[tuple[int, str, int]] = []  # (-overlap, old id, cluster index)
    for index, members in enumerate(groups):
        for old, overlap in Counter(previous[m] for m in members if m in previous).items():
            claims.append((-overlap, old, index))
    chosen: dict[int, str] = {}
    taken: set[str] = set()
    for _neg, old, index in sorted(claims):
        if index not in chosen and old not in taken:
            chosen[index], _ = old, taken.add(old)
    out: dict[str, str] = {}
    for index, members in enumerate(groups):
        actor = chosen.get(index)
        if actor is None:
            actor, salt = new_actor_id(members, prefix=prefix), 1
            while actor in taken:
                salt += 1
                actor = new_actor_id([f"{members[0]}#{salt}"], prefix=prefix)
            taken.add(actor)
        for member in members:
            out[member] = actor
    return out
