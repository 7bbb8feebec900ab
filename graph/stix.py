"""A STIX 2.1 bundle of the resolved actors, for partner agencies (built with ``stix2``).

- each resolved actor is a ``threat-actor`` (``threat_actor_types: criminal``) whose ``aliases``
  are its handles;
- each vendor account is a ``user-account`` observable (``user_id`` = ``market/handle``) that the
  actor is ``related-to``; alias links are ``related-to`` relationships between accounts whose
  description gives the score and signals and whose ``external_references`` point to the WARC
  evidence (record id, SHA-256 of the page);
- crypto addresses, contacts, e-mail addresses and PGP fingerprints are ``indicator`` objects
  (STIX patterns; crypto wallets as ``x-crypto-wallet``, a custom object) that ``indicate`` the actor.

Ids are derived from what they name (UUIDv5 bits, UUIDv4 form), so exporting the same graph twice gives the same ids.

>>> from graph.pipeline import build_vendor_graph
>>> G, _ = build_vendor_graph([{"market": "m1", "handle": "a", "contacts": ["Wickr: z"]},
...                            {"market": "m2", "handle": "b", "contacts": ["Wickr: z"]}])
>>> bundle = stix_bundle(G)
>>> sorted({o.type for o in bundle.objects})
['identity', 'indicator', 'relationship', 'threat-actor', 'user-account']
"""
from __future__ import annotations

import base64
import os
import uuid
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import networkx as nx

__all__ = ["stix_bundle", "write_stix", "evidence_reference"]

_NAMESPACE = uuid.UUID("6f1d6e5c-8a53-4c0e-9d0c-6f6e696f6e77")  # onionwatch's own UUIDv5 namespace
_PATTERNS = {
    "btc": ("x-crypto-wallet", "Bitcoin address"), "xmr": ("x-crypto-wallet", "Monero address"),
    "crypto": ("x-crypto-wallet", "cryptocurrency address"), "email": ("email-addr", "e-mail address"),
    "contact": ("user-account", "messenger contact"), "pgp": ("x-pgp-key", "OpenPGP key"),
}


def _id(kind: str, name: str) -> str:
    # UUIDv5 bits in UUIDv4 form: STIX asks for v4 ids on SDOs/SROs; these are repeatable too
    derived = uuid.uuid5(_NAMESPACE, f"{kind}:{name}")
    return f"{kind}--{uuid.UUID(bytes=derived.bytes, version=4)}"


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")


def evidence_reference(evidence: dict[str, Any] | None) -> dict[str, Any] | None:
    """A STIX external reference for an evidence pointer (SHA-256 as hex).

    >>> ref = evidence_reference({"warc_file": "c.warc.gz", "record_id": "<urn:uuid:1>",
    ...     "digest": "sha256:" + "A" * 52, "fetched_at": "2026-01-01T00:00:00Z", "url": "http://m/v/a"})
    >>> ref["external_id"], len(ref["hashes"]["SHA-256"])
    ('<urn:uuid:1>', 64)
    """
    if not evidence or not evidence.get("record_id"):
        return None
    ref: dict[str, Any] = {
        "source_name": "onionwatch-warc", "external_id": str(evidence["record_id"]),
        "description": f"WARC record in {evidence.get('warc_file')}, fetched {evidence.get('fetched_at')}"}
    if evidence.get("url"):
        ref["url"] = str(evidence["url"])
    digest = str(evidence.get("digest") or "")
    if digest.startswith("sha256:"):
        try:
            raw = base64.b32decode(digest[7:].upper() + "=" * (-len(digest[7:]) % 8))
            if len(raw) == 32:
                ref["hashes"] = {"SHA-256": raw.hex()}
        except ValueError:
            pass
    return ref


def _references(items: list[dict[str, Any]], limit: int = 5) -> list[dict[str, Any]]:
    out, seen = [], set()
    for evidence in items:
        ref = evidence_reference(evidence)
        if ref and ref["external_id"] not in seen:
            seen.add(ref["external_id"])
            out.append(ref)
        if len(out) >= limit:
            break
    return out


def stix_bundle(G: nx.Graph, *, actor_attr: str = "actor", linked_only: bool = False,
                created: datetime | None = None):
    """The STIX 2.1 bundle of ``G`` (after alias resolution). ``linked_only``: only actors
    with more than one account."""
    import stix2

    when = created or datetime.now(UTC).replace(microsecond=0)
    stamp = dict(created=when, modified=when)
    producer = stix2.Identity(id=_id("identity", "onionwatch"), name="onionwatch", identity_class="system",
                              description="onionwatch vendor-link graph", **stamp)
    common = dict(created_by_ref=producer.id, **stamp)
    members: dict[str, list[str]] = defaultdict(list)
    for node, data in G.nodes(data=True):
        if data.get("type") == "account":
            members[data.get(actor_attr) or node].append(node)
    objects: list[Any] = [producer]
    account_ids: dict[str, str] = {}
    emitted: set[str] = set()  # indicators already in the bundle (one per identifier)
    for actor, accounts in sorted(members.items()):
        if linked_only and len(accounts) < 2:
            continue
        accounts.sort()
        markets = sorted({G.nodes[a]["market"] for a in accounts})
        threat = stix2.ThreatActor(
            id=_id("threat-actor", actor), name=actor, threat_actor_types=["criminal"],
            aliases=sorted({G.nodes[a]["handle"] for a in accounts}),
            description=f"{len(accounts)} vendor account(s) on {', '.join(markets)}, resolved by onionwatch",
            **common)
        objects.append(threat)
        for account in accounts:
            data = G.nodes[account]
            user = stix2.UserAccount(user_id=account, account_login=data["handle"], display_name=data["handle"])
            account_ids[account] = user.id
            objects.append(user)
            objects.append(stix2.Relationship(
                id=_id("relationship", f"{actor}>{account}"), source_ref=threat.id, target_ref=user.id,
                relationship_type="related-to", description=f"vendor account {account}",
                external_references=_references([data.get("evidence")]) or None, **common))
        objects.extend(_indicators(stix2, G, accounts, threat.id, common, emitted))
    for u, v, data in G.edges(data=True):
        if data.get("type") != "alias" or u not in account_ids or v not in account_ids:
            continue
        signals = ", ".join(f"{k} {s:.2f}" for k, s in sorted(data.get("signals", {}).items()))
        a, b = sorted((u, v))
        evidence = [e for item in data.get("evidence", []) for e in
                    (item.get("a_evidence") or []) + (item.get("b_evidence") or [])]
        evidence += [G.nodes[a].get("evidence"), G.nodes[b].get("evidence")]  # the two vendor pages
        objects.append(stix2.Relationship(
            id=_id("relationship", f"alias:{a}={b}"), source_ref=account_ids[a], target_ref=account_ids[b],
            relationship_type="related-to", confidence=max(0, min(100, round(100 * data.get("score", 0)))),
            description=f"alias link score {data.get('score', 0):.3f} from {signals}",
            external_references=_references(evidence) or None, **common))
    return stix2.Bundle(objects=objects, id=_id("bundle", f"{when.isoformat()}:{len(objects)}"))


def _indicators(stix2, G, accounts, actor_ref, common, emitted):
    seen: set[str] = set()
    for account in accounts:
        for node in G[account]:
            data = G.nodes[node]
            if data.get("type") != "identifier" or data["kind"] not in _PATTERNS or node in seen:
                continue
            if data.get("common"):
                continue  # a market's escrow address or support contact says nothing of this actor
            seen.add(node)
            kind, value = data["kind"], data["value"]
            object_type, label = _PATTERNS[kind]
            if object_type == "user-account":
                service, _, login = value.partition(":")
                pattern = (f"[user-account:account_type = '{_quote(service)}' AND "
                           f"user-account:account_login = '{_quote(login)}']")
            elif object_type == "x-pgp-key":
                pattern = f"[x-pgp-key:fingerprint = '{_quote(value)}']"
            else:
                pattern = f"[{object_type}:value = '{_quote(value)}']"
            edge = G.edges[account, node]
            indicator_id = _id("indicator", node)
            yield from () if indicator_id in emitted else (stix2.Indicator(
                id=indicator_id, name=f"{label} {value}", pattern=pattern, pattern_type="stix",
                indicator_types=["attribution"], valid_from=common["created"],
                description=f"{label} used by vendor account(s) of this actor ({data.get('accounts', 1)} account(s) in all)",
                external_references=_references(edge.get("evidence") or []) or None, **common),)
            emitted.add(indicator_id)
            yield stix2.Relationship(id=_id("relationship", f"{node}>{actor_ref}"), source_ref=indicator_id,
                                     target_ref=actor_ref, relationship_type="indicates", **common)


def write_stix(G: nx.Graph, path: str | os.PathLike, **options) -> Path:
    """Write the STIX bundle of ``G`` to ``path`` (JSON)."""
    path = Path(path)
    path.write_text(stix_bundle(G, **options).serialize(pretty=False), encoding="utf-8")
    return path
