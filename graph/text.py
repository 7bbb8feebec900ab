"""Text signals between accounts: near-duplicate listing text (MinHash + LSH) and writing style.

Market text is full of boilerplate shared by unrelated vendors (the market's template, stock
phrases: "stealth shipping", "no refunds on FE orders"). So text is first cut into sentences, a
sentence written by more than ``template_accounts`` distinct accounts is dropped as a template,
and identical remaining texts are kept once (deduplicated, with every account and listing that
used them). Only then does each unique text get a MinHash (``datasketch``) of its word
shingles, and ``MinHashLSH`` buckets propose the candidate pairs: nothing compares all pairs.

>>> index = TextIndex(template_accounts=2)
>>> copied = "Hand pressed in our own lab. Every order gets a tracking code by encrypted message."
>>> for acct, text in [("a", copied), ("b", copied + " Ask for bulk."),
...                    ("c", "Stealth shipping."), ("d", "Stealth shipping."),
...                    ("e", "Stealth shipping.")]:
...     index.add(acct, text, ref=f"{acct}-1")
>>> [(a, b, s > 0.6, refs) for a, b, s, refs in index.pairs(min_words=5)]
[('a', 'b', True, [('a-1', 'b-1')])]
"""
from __future__ import annotations

import math
import re
import zlib
from collections import Counter, defaultdict
from functools import lru_cache
from typing import Any, Hashable, Iterator

__all__ = ["TextIndex", "sentences", "shingles", "style_profile", "cosine"]

_SPLIT = re.compile(r"(?<=[.!?])\s+|\n+")
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


def sentences(text: str) -> list[str]:
    """Normalised sentences of a text: lower case, digit runs as ``0``, single spaces.

    >>> sentences("Over 120 sales!  Ships from NL.\\nNo FE.")
    ['over 0 sales!', 'ships from nl.', 'no fe.']
    """
    out = []
    for part in _SPLIT.split(_DIGITS.sub("0", (text or "").lower())):
        part = " ".join(part.split())
        if part:
            out.append(part)
    return out


def shingles(text: str, k: int = 3) -> set[int]:
    """CRC-32 hashes of the word ``k``-grams of ``text`` (all words when fewer than ``k``).

    >>> len(shingles("a b c d")), len(shingles("a b"))
    (2, 1)
    """
    words = _WORD.findall(text)
    if len(words) < k:
        return {zlib.crc32(" ".join(words).encode())} if words else set()
    return {zlib.crc32(" ".join(words[i:i + k]).encode()) for i in range(len(words) - k + 1)}


def style_profile(text: str, *, n: int = 3, top: int = 300) -> dict[str, float]:
    """A writing-style profile: the ``top`` character ``n``-grams (case and punctuation kept),
    as relative frequencies.

    >>> p = style_profile("Ships fast!!! Ships fast!!!")
    >>> round(sum(p.values()), 6)
    1.0
    """
    counts = Counter(text[i:i + n] for i in range(max(0, len(text) - n + 1)))
    total = sum(counts.values()) or 1
    return {gram: c / total for gram, c in counts.most_common(top)}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine similarity of two sparse vectors.

    >>> cosine({"x": 1.0}, {"x": 2.0}), cosine({"x": 1.0}, {"y": 1.0})
    (1.0, 0.0)
    """
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return round(dot / norm, 12) if norm else 0.0


class TextIndex:
    """Collects every account's texts, then proposes near-duplicate pairs and style scores.

    ``template_accounts``: a sentence used by more accounts than this is boilerplate.
    """

    def __init__(self, *, template_accounts: int = 5) -> None:
        self.template_accounts = template_accounts
        self._sentence_text: dict[int, str] = {}
        self._sentence_accounts: dict[int, Any] = {}  # hash -> set of accounts, or None once common
        self._texts: list[tuple[Hashable, Any, tuple[int, ...]]] = []

    def add(self, account: Hashable, text: str, *, ref: Any = None) -> None:
        """Add one text (a listing description, a profile) of ``account``; ``ref`` (a listing id)
        is what a link's evidence will name."""
        hashes = []
        for sentence in sentences(text):
            h = hash(sentence)
            hashes.append(h)
            users = self._sentence_accounts.get(h, ())
            if users is None:
                continue
            if not users:
                self._sentence_text[h] = sentence
                users = self._sentence_accounts[h] = {account}
            else:
                users.add(account)
            if len(users) > self.template_accounts:
                self._sentence_accounts[h] = None
                self._sentence_text.pop(h, None)
        if hashes:
            self._texts.append((account, ref, tuple(hashes)))

    def is_template(self, sentence: str) -> bool:
        """Whether a (normalised) sentence was written by too many accounts to be evidence."""
        return self._sentence_accounts.get(hash(sentence), ()) is None

    def _kept(self, hashes: tuple[int, ...]) -> tuple[int, ...]:
        common = self._sentence_accounts
        return tuple(h for h in hashes if common.get(h) is not None)

    def unique_texts(self, *, min_words: int = 12) -> dict[tuple[int, ...], dict[Hashable, list[Any]]]:
        """Deduplicated texts without template sentences: kept sentence hashes -> account -> refs."""
        docs: dict[tuple[int, ...], dict[Hashable, list[Any]]] = {}
        for account, ref, hashes in self._texts:
            # one text whatever its sentence order (sorted by text: hash() differs between runs)
            kept = tuple(sorted(set(self._kept(hashes)), key=self._sentence_text.__getitem__))
            if not kept:
                continue
            doc = docs.get(kept)
            if doc is None:
                words = sum(len(self._sentence_text[h].split()) for h in kept)
                if words < min_words:
                    continue
                doc = docs[kept] = {}
            refs = doc.setdefault(account, [])
            if len(refs) < 3:
                refs.append(ref)
        return docs

    def pairs(self, *, threshold: float = 0.6, num_perm: int = 64, min_words: int = 12,
              max_bucket_accounts: int = 20, seed: int = 1
              ) -> Iterator[tuple[Hashable, Hashable, float, list[tuple[Any, Any]]]]:
        """Account pairs with near-duplicate texts: ``(a, b, similarity, [(ref_a, ref_b), ...])``,
        similarity being the highest estimated Jaccard similarity of their texts' shingles.

        LSH buckets with more than ``max_bucket_accounts`` accounts are skipped (a near-template).
        """
        from datasketch import MinHash, MinHashLSH

        docs = list(self.unique_texts(min_words=min_words).items())
        if not docs:
            return
        identity = _identity
        hashes = MinHash.bulk(
            ([*shingles(" ".join(self._sentence_text[h] for h in kept))] for kept, _ in docs),
            num_perm=num_perm, seed=seed, hashfunc=identity)
        lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        with lsh.insertion_session() as session:
            for i, minhash in enumerate(hashes):
                session.insert(i, minhash, check_duplication=False)
        best: dict[tuple[Hashable, Hashable], tuple[float, list[tuple[Any, Any]]]] = {}
        compared: set[tuple[int, int]] = set()
        for table in lsh.hashtables:
            for key in table.keys():
                members = list(table.get(key))
                if len(members) < 2:
                    continue
                accounts = {a for m in members for a in docs[m][1]}
                if len(accounts) < 2 or len(accounts) > max_bucket_accounts:
                    continue
                _pairs_in_bucket(members, docs, hashes, threshold, compared, best)
        # a text several accounts share verbatim is a perfect match among them
        for _kept, users in docs:
            if 2 <= len(users) <= max_bucket_accounts:
                names = sorted(users, key=str)
                for i, a in enumerate(names):
                    for b in names[i + 1:]:
                        _keep(best, a, b, 1.0, (users[a][0], users[b][0]))
        for (a, b), (score, refs) in sorted(best.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))):
            yield a, b, score, refs

    def account_text(self, account: Hashable, *, limit: int = 200) -> str:
        """The non-template sentences an account wrote, each once (for the style profile)."""
        seen: dict[int, None] = {}
        for acct, _ref, hashes in self._texts:
            if acct == account:
                for h in self._kept(hashes):
                    seen.setdefault(h, None)
                    if len(seen) >= limit:
                        break
        return " ".join(self._sentence_text[h] for h in seen)

    def style_scorer(self) -> "StyleScorer":
        """A scorer of writing-style similarity between two accounts (profiles made lazily)."""
        return StyleScorer(self)


class StyleScorer:
    """Writing-style similarity of account pairs, made only for the pairs asked about."""

    def __init__(self, index: TextIndex) -> None:
        by_account: dict[Hashable, list[int]] = defaultdict(list)
        for acct, _ref, hashes in index._texts:
            by_account[acct].extend(index._kept(hashes))
        self._index, self._by_account = index, by_account
        self.profile = lru_cache(maxsize=4096)(self._profile)

    def _profile(self, account: Hashable) -> dict[str, float]:
        unique = list(dict.fromkeys(self._by_account.get(account, ())))[:200]
        text = " ".join(self._index._sentence_text[h] for h in unique)
        return style_profile(text) if len(text) >= 200 else {}

    def __call__(self, a: Hashable, b: Hashable) -> float:
        return cosine(self.profile(a), self.profile(b))


def _identity(value: int) -> int:
    return value


def _keep(best, a, b, score, refs_pair) -> None:
    if str(b) < str(a):
        a, b, refs_pair = b, a, (refs_pair[1], refs_pair[0])
    old = best.get((a, b))
    if old is None:
        best[(a, b)] = (score, [refs_pair])
    else:
        refs = old[1] if len(old[1]) >= 3 or refs_pair in old[1] else old[1] + [refs_pair]
        best[(a, b)] = (max(old[0], score), refs)


def _pairs_in_bucket(members, docs, hashes, threshold, compared, best) -> None:
    for i, m in enumerate(members):
        for n in members[i + 1:]:
            key = (m, n) if m < n else (n, m)
            if key in compared:
                continue
            compared.add(key)
            users_m, users_n = docs[m][1], docs[n][1]
            if len(users_m) == 1 and users_m.keys() == users_n.keys():
                continue  # one account's own texts
            score = hashes[m].jaccard(hashes[n])
            if score < threshold:
                continue
            for a, refs_a in users_m.items():
                for b, refs_b in users_n.items():
                    if a != b:
                        _keep(best, a, b, float(score), (refs_a[0], refs_b[0]))
