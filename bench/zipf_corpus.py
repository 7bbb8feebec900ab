"""A fairer search corpus: Zipf-like vocabulary, vendors and markets, and seeded query sets verified by counting.

``bench/index_speed.py`` draws 14 filler words uniformly, so every free-text query there matches a
large share of the listings. Real listing text follows Zipf's law: a few words are everywhere, most
are rare. Here words, drugs, vendors, markets and countries are drawn with probability proportional
to ``1 / rank**s`` (the words are made-up syllable strings, no real market text), and queries come in
two sets, each verified by counting the generated documents in Python (not through either backend):

- **selective**: matching more than 0 and fewer than 1% of the listings;
- **broad**: matching more than 10%.

A query is a :class:`Spec` (its parts), from which the bench builds the analyst query string, the
hand-written SQL and the hand-written Elasticsearch query separately.

>>> spec = Spec(words=("ba", "ko"), filters={"ships_from": ("NL",)}, price_lt=200.0)
>>> spec.text()
'ba ko from:NL price<200'
>>> spec.matches({"words": {"ba", "ko", "x"}, "fields": ["ba ko"], "ships_from": "NL", "price_usd": 20.0,
...               "ships_to": [], "drug_keys": [], "vendor_key": "v1", "market_key": "m0", "seen_at": "x"})
True
"""
from __future__ import annotations

import bisect
import itertools
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

__all__ = ["Spec", "generate", "candidate_specs", "count_matches", "choose", "zipf_cumulative"]

SEED = 17
DRUGS = [("fentanyl", "opioid"), ("cocaine", "stimulant"), ("mdma", "empathogen"), ("heroin", "opioid"),
         ("ketamine", "dissociative"), ("alprazolam", "benzodiazepine"), ("oxycodone", "opioid"),
         ("methamphetamine", "stimulant"), ("lsd", "psychedelic"), ("cannabis", "cannabinoid"),
         ("psilocybin", "psychedelic"), ("amphetamine", "stimulant"), ("diazepam", "benzodiazepine"),
         ("tramadol", "opioid"), ("codeine", "opioid"), ("mephedrone", "stimulant"), ("dmt", "psychedelic"),
         ("carfentanil", "opioid"), ("clonazepam", "benzodiazepine"), ("morphine", "opioid"),
         ("ghb", "depressant"), ("mescaline", "psychedelic"), ("buprenorphine", "opioid"),
         ("methadone", "opioid"), ("nitrazepam", "benzodiazepine"), ("2cb", "psychedelic"),
         ("hashish", "cannabinoid"), ("modafinil", "stimulant"), ("pregabalin", "depressant"), ("etizolam", "benzodiazepine")]
COUNTRIES = ["US", "NL", "DE", "GB", "CN", "CA", "FR", "ES", "AU", "PL", "BE", "IT", "SE", "CZ", "IN", "CO", "BR",
             "MX", "CH", "AT", "PT", "DK", "NO", "IE", "FI", "HU", "RO", "TH", "ZA", "JP"]
EUROPE = {"NL", "DE", "GB", "FR", "ES", "PL", "BE", "IT", "SE", "CZ", "CH", "AT", "PT", "DK", "NO", "IE", "FI", "HU", "RO"}
VOCABULARY = 20_000
VENDORS = 5_000
MARKETS = 20
_SYLLABLES = [c + v for c in "bdfghklmnprstvz" for v in "aeiou"] + [c + v + "n" for c in "bkmrst" for v in "aeiou"]


def zipf_cumulative(n: int, s: float = 1.0) -> list[float]:
    """Cumulative weights of ranks 1..n under Zipf's law with exponent ``s`` (for ``random.choices``).

    >>> [round(w, 3) for w in zipf_cumulative(3)]
    [1.0, 1.5, 1.833]
    """
    return list(itertools.accumulate(1.0 / rank ** s for rank in range(1, n + 1)))


def vocabulary(n: int = VOCABULARY, seed: int = SEED) -> list[str]:
    """``n`` distinct made-up words of 2-4 syllables, in rank order (the first is the most frequent)."""
    rng = random.Random(seed)
    seen: dict[str, None] = {}
    while len(seen) < n:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 4))))
        seen.setdefault(word, None)
    return list(seen)


class _Zipf:
    def __init__(self, values: list[Any], s: float, rng: random.Random) -> None:
        self.values, self.cum, self.rng = values, zipf_cumulative(len(values), s), rng
        self.top = self.cum[-1]

    def one(self) -> Any:
        return self.values[bisect.bisect(self.cum, self.rng.random() * self.top)]

    def many(self, k: int) -> list[Any]:
        return self.rng.choices(self.values, cum_weights=self.cum, k=k)


def generate(path: Path, n: int, seed: int = SEED) -> None:
    """Write ``n`` listing documents (as :func:`search_index.listing_document` makes them) to JSON Lines."""
    rng = random.Random(seed)
    words = _Zipf(vocabulary(), 1.0, rng)
    drugs = _Zipf(DRUGS, 1.0, rng)
    vendors = _Zipf([f"v{i}" for i in range(VENDORS)], 1.0, rng)
    markets = _Zipf([f"m{i}" for i in range(MARKETS)], 1.1, rng)
    countries = _Zipf(COUNTRIES, 1.0, rng)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            named = [drugs.one()] if rng.random() < 0.9 else list(dict.fromkeys([drugs.one(), drugs.one()]))
            market, vendor = markets.one(), vendors.one()
            title = " ".join([named[0][0].title(), *words.many(rng.randint(3, 7)), f"{rng.randint(1, 100)}g"])
            description = " ".join(words.many(rng.randint(8, 30)))
            usd = round(rng.lognormvariate(4.5, 1.2), 2) if rng.random() < 0.95 else None
            day = rng.randrange(546)  # 2025-01-01 .. 2026-06-30
            seen = f"{2025 + day // 365}-{1 + (day % 365) // 31 % 12:02d}-{1 + (day % 365) % 28:02d}T{rng.randrange(24):02d}:00:00Z"
            ships_to = list(dict.fromkeys(countries.one() if rng.random() < 0.6 else rng.choice(("WW", "EU"))
                                          for _ in range(rng.randint(1, 3))))
            doc = {"market": market, "listing_id": str(i), "url": f"http://{market}/l/{i}", "title": title,
                   "vendor": vendor, "description": description, "category": None,
                   "drugs": [d for d, _ in named], "drug_classes": list(dict.fromkeys(c for _, c in named)),
                   "drug_keys": [d for d, _ in named], "class_keys": list(dict.fromkeys(c for _, c in named)),
                   "price_amount": usd, "price_currency": "USD" if usd is not None else None, "price_usd": usd,
                   "ships_from": countries.one(), "ships_to": ships_to,
                   "entities": [{"type": "drug", "name": d, "class": c, "text": d} for d, c in named],
                   "market_key": market, "vendor_key": vendor, "category_key": None, "seen_at": seen, "fields": {},
                   "evidence": {"warc_file": "zipf.warc.gz", "record_id": f"<urn:uuid:{i}>", "digest": "sha256:X",
                                "fetched_at": seen, "url": f"http://{market}/l/{i}", "offset": i}}
            fh.write(json.dumps(doc) + "\n")


@dataclass(frozen=True)
class Spec:
    """One benchmark query as parts: required words, a phrase, a prefix, excluded words and filters."""

    words: tuple[str, ...] = ()
    phrase: tuple[str, ...] = ()
    prefix: str = ""
    not_words: tuple[str, ...] = ()
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)  # document field -> any of these values
    price_lt: float | None = None
    since: str = ""  # YYYY-MM-DD

    def text(self) -> str:
        """The analyst query string (:mod:`search_index.query`)."""
        parts = list(self.words)
        if self.phrase:
            parts.append('"' + " ".join(self.phrase) + '"')
        if self.prefix:
            parts.append(self.prefix + "*")
        parts += [f"-{w}" for w in self.not_words]
        names = {"vendor_key": "vendor", "market_key": "market", "drug_keys": "drug", "ships_from": "from", "ships_to": "to"}
        for name, values in self.filters.items():
            parts.append(f"{names[name]}:{values[0] if name == 'ships_to' else ','.join(values)}")
        if self.price_lt is not None:
            parts.append(f"price<{self.price_lt:g}")
        if self.since:
            parts.append(f"since:{self.since}")
        return " ".join(parts)

    def has_text(self) -> bool:
        return bool(self.words or self.phrase or self.prefix)

    def matches(self, doc: dict[str, Any]) -> bool:
        """Whether a :func:`prepared` document matches, by the query language's rules."""
        have = doc["words"]
        if any(w not in have for w in self.words) or any(w in have for w in self.not_words):
            return False
        if self.phrase and not any(f" {' '.join(self.phrase)} " in text for text in doc["fields"]):
            return False
        if self.prefix and not any(w.startswith(self.prefix) for w in have):
            return False
        for name, values in self.filters.items():
            value = doc[name]
            if isinstance(value, list) and not set(value) & set(values) or not isinstance(value, list) and value not in values:
                return False
        if self.price_lt is not None and not (doc["price_usd"] is not None and doc["price_usd"] < self.price_lt):
            return False
        return not self.since or doc["seen_at"] >= f"{self.since}T00:00:00Z"


def to_values(code: str) -> tuple[str, ...]:
    """What ``to:CODE`` matches: the code, Europe for a European country, and worldwide."""
    return (code, "EU", "WW") if code in EUROPE else (code, "WW")


def candidate_specs(seed: int = SEED) -> list[Spec]:
    """Seeded candidate queries of every shape, broad and selective; :func:`choose` keeps those that count right."""
    rng = random.Random(seed + 1)
    vocab = vocabulary()
    common, middle, rare = vocab[:12], vocab[20:200], vocab[400:3000]
    drugs = [d for d, _ in DRUGS]
    specs: list[Spec] = []
    for _ in range(8):  # selective: rare words, pairs of middle words, phrases, prefixes, narrow filters
        specs += [Spec(words=(rng.choice(rare),)),
                  Spec(words=(rng.choice(middle), rng.choice(middle))),
                  Spec(words=(rng.choice(common), rng.choice(rare))),
                  Spec(phrase=(rng.choice(common), rng.choice(middle))),
                  Spec(prefix=rng.choice(rare)[:5]),
                  Spec(words=(rng.choice(middle),), filters={"ships_from": (rng.choice(COUNTRIES[:8]),)}, price_lt=50.0),
                  Spec(filters={"vendor_key": (f"v{rng.randrange(200, 5000)}",)}),
                  Spec(filters={"drug_keys": (rng.choice(drugs[10:]),), "ships_to": to_values(rng.choice(COUNTRIES[:6]))}),
                  Spec(filters={"market_key": (f"m{rng.randrange(MARKETS)}",), "vendor_key": (f"v{rng.randrange(50)}",)}),
                  Spec(words=(rng.choice(rare),), not_words=(rng.choice(common),)),
                  Spec(words=(rng.choice(drugs[:5]), rng.choice(middle)), since="2026-03-01")]
    for _ in range(6):  # broad: common words, big drugs, markets and countries, wide ranges
        specs += [Spec(words=(rng.choice(common),)),
                  Spec(words=(rng.choice(common[:5]), rng.choice(common[:5]))),
                  Spec(words=(rng.choice(drugs[:3]),)),
                  Spec(filters={"drug_keys": (rng.choice(drugs[:3]),)}),
                  Spec(filters={"ships_from": (rng.choice(COUNTRIES[:2]),)}),
                  Spec(filters={"ships_to": to_values(rng.choice(COUNTRIES[:4]))}),
                  Spec(words=(rng.choice(common),), price_lt=500.0),
                  Spec(words=(rng.choice(common),), filters={"ships_to": to_values(rng.choice(COUNTRIES[:3]))}),
                  Spec(prefix=rng.choice(common)[:2]),
                  Spec(filters={"market_key": ("m0", "m1")}, since="2025-03-01"),
                  Spec(words=(rng.choice(common),), not_words=(rng.choice(rare),))]
    seen: dict[str, Spec] = {}
    for spec in specs:
        seen.setdefault(spec.text(), spec)
    return list(seen.values())


def prepared(doc: dict[str, Any]) -> dict[str, Any]:
    """The parts of a document :meth:`Spec.matches` reads: its words folded as ``search_index.text``
    folds them, and each text field padded with spaces (for phrases)."""
    from search_index.base import search_fields

    fields = [f" {text} " for text in search_fields(doc).values()]
    return {"words": {w for text in fields for w in text.split()}, "fields": fields,
            **{name: doc.get(name) for name in ("ships_from", "ships_to", "drug_keys", "vendor_key", "market_key",
                                                "price_usd", "seen_at")}}


def count_matches(docs: Iterator[dict[str, Any]], specs: list[Spec]) -> tuple[int, list[int]]:
    """(number of documents, how many each spec matches), counted in one pass over the documents.

    Each spec is only evaluated on documents holding one part it requires (a word, a prefix's word,
    a filter value), so a pass over 1M documents takes about a minute rather than an hour.
    """
    words: dict[str, list[int]] = {}
    values: dict[tuple[str, str], list[int]] = {}
    always: list[int] = []
    prefixed = [(spec.prefix, i) for i, spec in enumerate(specs) if spec.prefix and not (spec.words or spec.phrase)]
    rank = {word: r for r, word in enumerate(vocabulary())}
    for i, spec in enumerate(specs):
        if spec.words or spec.phrase:
            rarest = max(spec.words + spec.phrase, key=lambda w: rank.get(w, -1))
            words.setdefault(rarest, []).append(i)
        elif spec.filters:
            name, wanted = next(iter(spec.filters.items()))
            for value in wanted:
                values.setdefault((name, value), []).append(i)
        elif not spec.prefix:
            always.append(i)
    by_prefix: dict[str, list[int]] = {}
    counts = [0] * len(specs)
    n = 0
    for doc in docs:
        n += 1
        ready = prepared(doc)
        todo = set(always)
        for word in ready["words"]:
            todo.update(words.get(word, ()))
            if word not in by_prefix:
                by_prefix[word] = [i for prefix, i in prefixed if word.startswith(prefix)]
            todo.update(by_prefix[word])
        for name in ("ships_from", "vendor_key", "market_key"):
            todo.update(values.get((name, ready[name]), ()))
        for name in ("ships_to", "drug_keys"):
            for value in ready[name] or ():
                todo.update(values.get((name, value), ()))
        for i in todo:
            if specs[i].matches(ready):
                counts[i] += 1
    return n, counts


def choose(specs: list[Spec], counts: list[int], n: int, *, selective: int = 30,
           broad: int = 25) -> dict[str, list[tuple[Spec, int]]]:
    """The first ``selective`` specs matching 0 < count < 1% and the first ``broad`` matching > 10%."""
    sets: dict[str, list[tuple[Spec, int]]] = {"selective": [], "broad": []}
    for spec, count in zip(specs, counts):
        if 0 < count < 0.01 * n and len(sets["selective"]) < selective:
            sets["selective"].append((spec, count))
        elif count > 0.10 * n and len(sets["broad"]) < broad:
            sets["broad"].append((spec, count))
    return sets
