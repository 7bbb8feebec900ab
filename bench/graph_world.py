"""A seeded multi-market world for the graph benchmarks: actors with accounts on several markets,
and the hard negatives that make alias resolution hard.

Made here (not by the sandbox) so the scale benchmark can write a million listings straight to
files in seconds; the sandbox remains the oracle of :mod:`bench.graph_eval`'s default run.

- Actors have 1-4 accounts, mostly on different markets. A second account shares with the first:
  the PGP key (most), or only a contact, or only a Bitcoin address, or nothing strong at all,
  just a handle variant (``dr.white`` / ``DrWhite_``), copied listing text and re-encoded photos.
- Hard negatives: every vendor page of a market shows the market's escrow address and support
  contact; stock photos and template sentences appear across vendors; impersonators take another
  actor's handle and copy some of its text, under their own PGP key.

``world_records(listings=N, seed=S)`` yields store documents (``kind`` vendor / listing);
with ``truth=True`` it yields sandbox-style truth records (``type``, ``actor_id``) instead.
A library of :mod:`bench.graph_eval` and :mod:`bench.graph_scale` (``from bench.graph_world import
world_records``), not run on its own.
"""
from __future__ import annotations

import json
import random
from typing import Iterator

from extract.validators.bech32 import encode_segwit

MARKETS = ("empire", "versus", "abacus", "bohemia")
SYLLABLES = ("dr", "white", "snow", "king", "fent", "blue", "ice", "cali", "dutch", "ghost", "lab",
             "moon", "pharma", "rx", "zen", "tokyo", "north", "cartel", "gold", "frost", "wolf",
             "pure", "dope", "plug", "magic", "lucky", "silk", "euro", "crypto", "stealth")
WORDS = ("batch", "pressed", "crystal", "finest", "tested", "reagent", "vacuum", "sealed", "bag",
         "shipping", "tracking", "weekend", "monday", "discount", "loyal", "customers", "quality",
         "purity", "lab", "grade", "fresh", "import", "direct", "source", "stock", "limited", "hand",
         "picked", "premium", "smooth", "strong", "potent", "double", "layer", "mylar", "decoy",
         "letter", "parcel", "express", "reship", "refund", "policy", "escrow", "finalize", "early",
         "message", "encrypted", "pgp", "only", "orders", "bulk", "deals", "samples", "free", "gift")
TEMPLATES = ("Stealth shipping worldwide.", "No refunds on FE orders.", "Please encrypt your address.",
             "Orders placed before noon ship the same day.", "Read our profile before ordering.",
             "Reships at our discretion.", "All sales final.", "Welcome to our store.")
DRUGS = (("fentanyl", "fentanyl"), ("carfentanil", "fentanyl"), ("heroin", "opioid"),
         ("oxycodone", "opioid"), ("m30", "pressed_pill"), ("cocaine", "stimulant"),
         ("methamphetamine", "stimulant"), ("mdma", "empathogen"), ("cannabis", "cannabis"),
         ("alprazolam", "benzodiazepine"), ("ketamine", "dissociative"), ("lsd", "psychedelic"))
COUNTRIES = ("US", "GB", "NL", "DE", "CA", "AU", "FR", "ES", "PL", "CN", "IN", "BE")


def _btc(rng: random.Random) -> str:
    return encode_segwit("bc", 0, rng.randbytes(20))


def _hex(rng: random.Random, digits: int) -> str:
    return f"{rng.getrandbits(4 * digits):0{digits}X}"


def _flip(rng: random.Random, phash: str, bits: int) -> str:
    value = int(phash, 16)
    for _ in range(bits):
        value ^= 1 << rng.randrange(64)
    return f"{value:016x}"


def _sentence(rng: random.Random) -> str:
    words = rng.sample(WORDS, rng.randint(7, 11))
    return " ".join(words).capitalize() + "."


def _handle_variant(rng: random.Random, base: str) -> str:
    style = rng.randrange(5)
    if style == 0:
        return base.replace(".", "").title().replace(" ", "") + "_"
    if style == 1:
        return "the" + base.replace(".", "")
    if style == 2:
        return base.replace(".", "") + str(rng.choice((420, 1, 2, 99)))
    if style == 3:
        return base.replace(".", "_").upper()
    return base.replace(".", "").capitalize() + "_official"


def _actors(rng: random.Random, count: int) -> list[dict]:
    actors, handles = [], set()
    for i in range(count):
        if actors and rng.random() < 0.03:  # an impersonator: another actor's name, its own key
            victim = rng.choice(actors)
            base, voice = victim["base"], victim["voice"][:2] + [_sentence(rng) for _ in range(3)]
        else:
            while True:
                base = ".".join(rng.sample(SYLLABLES, 2)) + (str(rng.randrange(100)) if rng.random() < 0.3 else "")
                if base not in handles:
                    break
            handles.add(base)
            voice = [_sentence(rng) for _ in range(5)]
        actors.append({
            "id": f"actor-{i:06d}", "base": base, "voice": voice,
            "pgp": _hex(rng, 40) if rng.random() < 0.85 else None,
            "btc": _btc(rng), "contact": f"wickr:{base.replace('.', '')}{rng.randrange(1000)}",
            "photos": [f"{rng.getrandbits(64):016x}" for _ in range(3)],
            "home": rng.choice(COUNTRIES), "drugs": rng.sample(DRUGS, rng.randint(1, 3)),
        })
    return actors


def _accounts(rng: random.Random, actors: list[dict]) -> list[dict]:
    accounts = []
    taken: set[tuple[str, str]] = set()
    for actor in actors:
        n = rng.choices((1, 2, 3, 4), (70, 20, 8, 2))[0]
        markets = rng.sample(MARKETS, n) if rng.random() < 0.9 else [rng.choice(MARKETS)] * n
        for k, market in enumerate(markets):
            handle = actor["base"].replace(".", "") if k == 0 else _handle_variant(rng, actor["base"])
            while (market, handle.lower()) in taken:
                handle += str(rng.randrange(10))
            taken.add((market, handle.lower()))
            link = "primary" if k == 0 else rng.choices(("pgp", "contact", "btc", "weak"), (60, 12, 10, 18))[0]
            accounts.append({"actor": actor, "market": market, "handle": handle, "link": link,
                             "own_btc": _btc(rng), "own_contact": f"telegram:{handle.lower()}{rng.randrange(99)}",
                             "copies_text": link == "weak" or rng.random() < 0.6,
                             "copies_photos": link == "weak" and rng.random() < 0.8 or rng.random() < 0.3})
    rng.shuffle(accounts)
    return accounts


def _vendor(acct: dict, escrow: dict[str, str], truth: bool) -> dict:
    actor, link = acct["actor"], acct["link"]
    pgp = actor["pgp"] if link in ("primary", "pgp") else None
    btc = [acct["own_btc"], escrow[acct["market"]]] + ([actor["btc"]] if link in ("primary", "btc") else [])
    contacts = [acct["own_contact"], "telegram:market_support"] + (
        [actor["contact"]] if link in ("primary", "contact", "pgp") else [])
    profile = " ".join(actor["voice"][:3]) if acct["copies_text"] or link == "primary" else ""
    if truth:
        return {"type": "vendor", "market": acct["market"], "handle": acct["handle"],
                "actor_id": actor["id"], "pgp_key": None, "btc": btc, "xmr": [],
                "contacts": [{"kind": c.split(":", 1)[0], "value": c.split(":", 1)[1]} for c in contacts],
                "profile": profile, "extracted": {"pgp_keys": [{"fingerprint": pgp}] if pgp else []}}
    return {"kind": "vendor", "market": acct["market"], "handle": acct["handle"],
            "btc_addresses": btc, "xmr_addresses": [],
            "contacts": [f"{c.split(':', 1)[0].capitalize()}: {c.split(':', 1)[1]}" for c in contacts],
            "profile_text": profile, "extracted": {"pgp_keys": [{"fingerprint": pgp}] if pgp else []},
            "evidence": {"warc_file": f"{acct['market']}.warc.gz", "record_id": f"<urn:vendor:{acct['handle']}>",
                         "digest": "sha256:SYNTHETIC", "fetched_at": "2026-01-01T00:00:00Z",
                         "url": f"http://{acct['market']}.invalid/vendor/{acct['handle']}"}}


def world_records(*, listings: int, seed: int = 7, truth: bool = False,
                  listings_per_account: int = 25) -> Iterator[dict]:
    """The world's vendor records, then its listings, in a fixed order for a seed."""
    rng = random.Random(f"graph-world:{seed}")
    accounts = _accounts(rng, _actors(rng, max(2, int(listings / listings_per_account / 1.4))))
    escrow = {m: _btc(rng) for m in MARKETS}
    stock = [f"{rng.getrandbits(64):016x}" for _ in range(5)]
    for acct in accounts:
        yield _vendor(acct, escrow, truth)
    weights = [rng.paretovariate(1.5) for _ in accounts]
    owners = rng.choices(range(len(accounts)), weights, k=listings)
    for number, owner in enumerate(owners):
        acct = accounts[owner]
        actor = acct["actor"]
        lr = random.Random(f"{seed}:{number}")
        drug, drug_class = lr.choice(actor["drugs"])
        own = lr.sample(actor["voice"], 2) if acct["copies_text"] or acct["link"] == "primary" else [
            _sentence(lr), _sentence(lr)]
        text = " ".join(own + lr.sample(TEMPLATES, 2) + [f"{drug.title()} {lr.choice((1, 5, 10, 28))} g per order."])
        photos = []
        if acct["copies_photos"] or acct["link"] == "primary":
            photos.append(_flip(lr, lr.choice(actor["photos"]), lr.randint(0, 2)))
        if lr.random() < 0.05:
            photos.append(lr.choice(stock))
        ships_to = ["WW"] if lr.random() < 0.4 else lr.sample(COUNTRIES, lr.randint(1, 3))
        listing_id = str(100000 + number)
        doc = {"market": acct["market"], "listing_id": listing_id, "vendor": acct["handle"],
               "title": f"{drug} {lr.choice(('fire', 'pure', 'bulk'))}", "description": text,
               "ships_from": actor["home"], "ships_to": ships_to,
               "photos": [{"phash": p} for p in photos]}
        if truth:
            yield {"type": "listing", **doc, "drug": drug, "drug_class": drug_class}
        else:
            yield {"kind": "listing", **doc, "drugs": [drug], "drug_classes": [drug_class],
                   "price_usd": round(lr.uniform(20, 2000), 2),
                   "evidence": {"warc_file": f"{acct['market']}.warc.gz", "record_id": f"<urn:listing:{listing_id}>",
                                "digest": "sha256:SYNTHETIC", "fetched_at": "2026-01-01T00:00:00Z",
                                "url": f"http://{acct['market']}.invalid/listing/{listing_id}"}}


def write_world(path: str, *, listings: int, seed: int = 7) -> int:
    """Write the world's store documents to a JSON Lines file; return the number of records."""
    count = 0
    with open(path, "w", encoding="utf-8") as fh:
        for record in world_records(listings=listings, seed=seed):
            fh.write(json.dumps(record) + "\n")
            count += 1
    return count
