"""Real-world actors and their vendor accounts across markets: who is who, and what gives it away.

``plan_accounts`` decides, for every market of a world, which actor stands behind each vendor
account and under which handle: the actor's own handle (``same``), a ``variant`` of it
(``dr.white`` / ``DrWhite_`` / ``drwhite2``), an ``unrelated`` name, or, for a *different* actor, a
``lookalike`` of someone else's handle (a hard negative). The plan is cheap (strings and ints).

``make_actor`` and ``account_identifiers`` make the identifiers lazily from derived seeds: each
actor has its own PGP key (from the fixture pool, while it lasts), three BTC and two XMR addresses,
messenger contacts, a writing habit (sign-off and motto) and product photos; each account shows a
seeded subset of them, so two accounts of one actor share some identifiers and not others.

>>> plans = plan_accounts(3, markets=2, vendors=30)
>>> len(plans[0]), len(plans[1])
(30, 30)
>>> shared = {p.actor for p in plans[0]} & {p.actor for p in plans[1]}
>>> len(shared) > 0
True
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache

from . import vocab
from .addresses import btc_p2pkh, btc_p2wpkh, xmr_standard
from .model import Contact, PgpKey
from .pgp import load_pgp_keys

__all__ = ["AccountPlan", "Actor", "plan_accounts", "make_actor", "account_identifiers",
           "CROSS_RATE", "ALIAS_RATE", "LOOKALIKE_RATE"]

#: Share of accounts on the second and later markets that belong to an actor seen before.
CROSS_RATE = 0.35
#: Share of accounts that are a second handle of an actor already on the same market.
ALIAS_RATE = 0.08
#: Share of new actors whose handle imitates another actor's (different people, similar names).
LOOKALIKE_RATE = 0.06
#: Handle kinds of a returning actor on another market, with weights.
CROSS_KINDS = {"same": 5, "variant": 3, "unrelated": 2}


@dataclass(frozen=True)
class AccountPlan:
    handle: str
    actor: int
    kind: str  # primary, same, variant, unrelated, lookalike
    lookalike_of: int | None = None


@dataclass(frozen=True)
class Actor:
    index: int
    actor_id: str
    handle: str
    pgp: PgpKey | None
    home: str
    btc: tuple[str, ...]
    xmr: tuple[str, ...]
    contacts: tuple[Contact, ...]
    signoff: str
    motto: str
    photos: tuple[str, ...]
    markup: float
    since: int


def _parts(rng: random.Random) -> tuple[str, str, str]:
    return (rng.choice(vocab.HANDLE_PREFIXES), rng.choice(vocab.HANDLE_CORES),
            rng.choice(vocab.HANDLE_SUFFIXES))


def _base_handle(rng: random.Random, parts: tuple[str, str, str]) -> str:
    pre, core, suf = parts
    return (f"{pre}{core}{suf}", f"{pre.capitalize()}{core.capitalize()}{suf}",
            f"{pre}_{core}{suf}", f"{core.capitalize()}{pre.capitalize()}{suf}")[rng.randrange(4)]


def _variant(rng: random.Random, parts: tuple[str, str, str]) -> str:
    pre, core, _ = parts
    return rng.choice((f"{pre}.{core}", f"{pre.capitalize()}{core.capitalize()}_",
                       f"{pre}{core}{rng.randint(2, 99)}", f"{pre}_{core}", f"{pre}{core}".upper(),
                       f"the{pre}{core}", f"{pre}{core}_official", f"real{pre}{core}",
                       f"{pre}{core}_", f"x{pre}{core}x"))


def _unique(handle: str, rng: random.Random, taken: set[str]) -> str:
    while handle.lower() in taken:
        handle = f"{handle}{rng.randint(0, 9)}"
    taken.add(handle.lower())
    return handle


def plan_accounts(seed: int, *, markets: int, vendors: int) -> list[list[AccountPlan]]:
    """``vendors`` account plans for each of ``markets`` markets; actor numbers are world-wide."""
    rng = random.Random(f"{seed}:accounts")
    actor_parts: list[tuple[str, str, str]] = []
    actor_handles: list[str] = []
    plans: list[list[AccountPlan]] = []
    for m in range(markets):
        taken: set[str] = set()
        here: list[AccountPlan] = []
        on_market: set[int] = set()
        earlier = len(actor_parts)
        for _ in range(vendors):
            roll = rng.random()
            plan = None
            if m and roll < CROSS_RATE and earlier:
                for _try in range(4):
                    actor = rng.randrange(earlier)
                    if actor not in on_market:
                        kinds = list(CROSS_KINDS)
                        kind = rng.choices(kinds, [CROSS_KINDS[k] for k in kinds])[0]
                        handle = (actor_handles[actor] if kind == "same" else
                                  _variant(rng, actor_parts[actor]) if kind == "variant" else
                                  _base_handle(rng, _parts(rng)))
                        plan = AccountPlan(_unique(handle, rng, taken), actor, kind)
                        break
            elif roll > 1 - ALIAS_RATE and here:
                actor = rng.choice(here).actor
                kind = rng.choice(("variant", "unrelated"))
                handle = (_variant(rng, actor_parts[actor]) if kind == "variant"
                          else _base_handle(rng, _parts(rng)))
                plan = AccountPlan(_unique(handle, rng, taken), actor, kind)
            if plan is None:
                actor = len(actor_parts)
                if actor_parts and rng.random() < LOOKALIKE_RATE:
                    victim = rng.randrange(len(actor_parts))
                    parts = actor_parts[victim]
                    handle = _variant(rng, parts)
                    plan = AccountPlan(_unique(handle, rng, taken), actor, "lookalike", victim)
                else:
                    parts = _parts(rng)
                    handle = _base_handle(rng, parts)
                    plan = AccountPlan(_unique(handle, rng, taken), actor, "primary")
                actor_parts.append(parts)
                actor_handles.append(plan.handle)
            on_market.add(plan.actor)
            here.append(plan)
        plans.append(here)
    return plans


@lru_cache(maxsize=16384)
def make_actor(seed: int, index: int, handle: str) -> Actor:
    """Actor ``index`` of world ``seed``: identifiers from ``f"{seed}:actor:{index}"``."""
    rng = random.Random(f"{seed}:actor:{index}")
    keys = load_pgp_keys()
    order = random.Random(f"{seed}:keys").sample(range(len(keys)), len(keys))
    pgp = keys[order[index]] if index < len(keys) else None
    home = rng.choices(list(vocab.COUNTRY_WEIGHTS), list(vocab.COUNTRY_WEIGHTS.values()))[0]
    base = handle.lower().replace(".", "")
    kinds = rng.sample(list(vocab.CONTACT_KINDS), rng.randint(1, 3))
    contacts = tuple(Contact(kind, _contact_value(rng, kind, base)) for kind in kinds)
    signoff = (rng.choice(vocab.SIGNOFF_OPENERS) + rng.choice(vocab.SIGNOFF_AUDIENCES)
               + rng.choice(vocab.SIGNOFF_MARKS))
    return Actor(
        index=index, actor_id=f"actor-{index:05d}", handle=handle, pgp=pgp,
        home=home,
        btc=tuple(btc_p2wpkh(rng) if rng.random() < 0.6 else btc_p2pkh(rng) for _ in range(3)),
        xmr=(xmr_standard(rng), xmr_standard(rng)), contacts=contacts, signoff=signoff,
        motto=rng.choice(vocab.MOTTOS),
        photos=tuple(f"actor-{index:05d}/{n}" for n in range(rng.randint(2, 5))),
        markup=round(rng.uniform(0.85, 1.3), 3), since=rng.randint(2015, 2023),
    )


def _contact_value(rng: random.Random, kind: str, base: str) -> str:
    if kind == "wickr":
        return base + rng.choice(("", "_", "420", "2", "x"))
    if kind == "telegram":
        return "@" + base + rng.choice(("", "_shop", "_plug", "bot", "_official"))
    if kind == "session":
        return "05" + rng.randbytes(32).hex()
    return f"{base}@{rng.choice(vocab.JABBER_DOMAINS)}"


def account_identifiers(actor: Actor, rng: random.Random, handle: str
                        ) -> tuple[PgpKey | None, tuple[str, ...], tuple[str, ...],
                                   tuple[Contact, ...]]:
    """What one account of ``actor`` shows: key (or none), BTC, XMR and contacts.

    The key is published on most accounts; one or two of the actor's BTC addresses, sometimes with
    one of the account's own; the actor's first XMR address or a fresh one; a non-empty subset of
    the actor's contacts, sometimes with a fresh one of another kind.
    """
    pgp = actor.pgp if rng.random() < 0.88 else None
    btc = list(rng.sample(actor.btc, rng.randint(1, 2)))
    if rng.random() < 0.3:
        btc.append(btc_p2wpkh(rng))
    xmr = (actor.xmr[0],) if rng.random() < 0.6 else (xmr_standard(rng),)
    contacts = [c for c in actor.contacts if rng.random() < 0.7] or [rng.choice(actor.contacts)]
    spare = [k for k in vocab.CONTACT_KINDS if k not in {c.kind for c in contacts}]
    if spare and rng.random() < 0.25:
        kind = rng.choice(spare)
        contacts.append(Contact(kind, _contact_value(rng, kind, handle.lower().replace(".", ""))))
    return pgp, tuple(btc), xmr, tuple(contacts)
