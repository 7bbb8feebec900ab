"""Drug mentions: a spaCy component over the drug lexicon (factory ``onionwatch_drugs_v1``).

Matching (:class:`DrugMatcher`) and annotation (:meth:`DrugRecognizer.annotate`) are apart:

- every term of :mod:`extract.lexicons.drugs`, case-insensitive, with a ``PhraseMatcher`` on
  ``LOWER`` (patterns tokenised by the pipeline's own tokenizer);
- long one-word terms split by a space or hyphen ("fent anyl", "oxy-codone");
- long one-word terms with one typing error ("fentanil", "alprazolan", "fetnanyl");
- ambiguous terms ("speed", "ice", "bars", "blues") only with a number, a unit or an unambiguous
  drug name within ``context_window`` tokens, and not when they stand right beside (within
  ``modifier_window`` tokens) an unambiguous name of another drug: "crystal MDMA" is MDMA;
- a line naming no drug is read for its context (:mod:`extract.components.drug_context`, tables in
  :mod:`extract.lexicons.drug_contexts`): with ``infer_lsd`` a microgram dose on blotters/hits/tabs
  is LSD; with ``infer_context`` a pill stamp with a count or an MDMA-sized dose is MDMA, a mg/ml
  concentration a steroid, a weight with grower's words or a strain-shaped name cannabis (the
  mention is the cue, ``how="inferred"``).

Overlaps keep the longest mention. Results: ``doc._.drugs`` (``[{"name", "class", "span"}]``) and
``doc.spans[span_key]`` labelled with the canonical name.

>>> import spacy
>>> nlp = spacy.blank("en"); _ = nlp.add_pipe("onionwatch_drugs_v1")
>>> [d["name"] for d in nlp("Pure fent anyl and XANAX bars, 10g speed").doc._.drugs]
['fentanyl', 'alprazolam', 'amphetamine']
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.lexeme import Lexeme
from spacy.matcher import PhraseMatcher
from spacy.matcher.levenshtein import levenshtein
from spacy.tokens import Doc
from spacy.util import filter_spans

from extract.components._doc import doc_lines, doc_text, register_extensions, set_span_group
from extract.components._pipe import BatchedPipe
from extract.components.drug_context import ContextRules
from extract.lexicons.drug_contexts import INFERRED_NAMES
from extract.lexicons.drugs import DrugEntry, entries_from_dicts
from extract.lexicons.units import NAMED_AMOUNTS, UNIT_ALIASES
from extract.registry import versioned_factory  # also registers onionwatch.drug_lexicon.v1 for the default config

__all__ = ["DrugMatch", "DrugMatcher", "DrugRecognizer", "make_drug_matcher"]

_LEXICON_FILE = "lexicon.jsonl"
_GLUED = re.compile(r"\d+(?:[.,]\d+)?([a-zµμ/]+)")  # "10g", "2mg", "100x"
#: Words whose fuzzy lookup a :class:`DrugMatcher` remembers before it starts again (bounds its memory).
FUZZY_CACHE_SIZE = 50_000


@dataclass(frozen=True)
class DrugMatch:
    """One candidate mention: tokens ``[start, end)`` naming ``entries[entry]``."""

    start: int
    end: int
    entry: int
    ambiguous: bool = False
    how: str = "exact"  # "exact", "split", "fuzzy"


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def _transposed(a: str, b: str) -> bool:
    if len(a) != len(b):
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


class DrugMatcher:
    """Finds candidate drug mentions in a Doc; knows nothing about annotation."""

    def __init__(self, nlp: Language, entries: Iterable[DrugEntry], *, split_variants: bool = True,
                 split_min_length: int = 7, fuzzy_min_length: int = 8) -> None:
        self.entries = list(entries)
        self.split_min_length = split_min_length
        self.fuzzy_min_length = fuzzy_min_length
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._keys: dict[int, tuple[int, bool, str]] = {}
        self._fuzzy: dict[str, set[tuple[str, int]]] = {}
        self._known: set[str] = set()
        self._longest_fuzzy = 0  # a one-edit misspelling is at most one letter longer than its term
        # fuzzy answer by word (a Lexeme's orth): a page's words repeat, within it and across pages
        self._fuzzy_by_orth: dict[int, int | None] = {}
        self._fuzzy_hits: dict[int, int] = {}  # the words of _fuzzy_by_orth that are misspellings
        for i, entry in enumerate(self.entries):
            self._add(nlp, i, entry.all_terms(), False, "exact")
            self._add(nlp, i, entry.ambiguous, True, "exact")
            single = [t.lower() for t in entry.all_terms() if t.isalpha() and " " not in t]
            self._known.update(t.lower() for t in (*entry.all_terms(), *entry.ambiguous))
            if split_variants:
                splits = [f"{t[:k]}{sep}{t[k:]}" for t in single if len(t) >= split_min_length
                          for k in range(3, len(t) - 2) for sep in (" ", "-")]
                self._add(nlp, i, splits, False, "split")
            if entry.fuzzy:
                for term in single:
                    if len(term) >= fuzzy_min_length:
                        self._longest_fuzzy = max(self._longest_fuzzy, len(term))
                        for key in _deletes(term) | {term}:
                            self._fuzzy.setdefault(key, set()).add((term, i))

    def _add(self, nlp: Language, entry: int, terms: Iterable[str], ambiguous: bool, how: str) -> None:
        terms = list(dict.fromkeys(terms))
        if not terms:
            return
        key = f"onionwatch_drug:{entry}:{int(ambiguous)}:{how}"
        self._keys[nlp.vocab.strings.add(key)] = (entry, ambiguous, how)
        self.phrases.add(key, list(nlp.tokenizer.pipe(terms)))

    def fuzzy_entry(self, word: str) -> int | None:
        """Entry index for a one-edit misspelling of a long term, None when absent or unclear."""
        word = word.lower()
        if not self.fuzzy_min_length - 1 <= len(word) <= self._longest_fuzzy + 1 or word in self._known:
            return None
        hits = set()
        for key in _deletes(word) | {word}:
            for term, entry in self._fuzzy.get(key, ()):
                if levenshtein(word, term, 1) <= 1 or _transposed(word, term):
                    hits.add(entry)
        return hits.pop() if len(hits) == 1 else None

    def __call__(self, doc: Doc) -> list[DrugMatch]:
        found = []
        covered = set()
        for key, start, end in self.phrases(doc):
            entry, ambiguous, how = self._keys[key]
            found.append(DrugMatch(start, end, entry, ambiguous, how))
            covered.update(range(start, end))
        if self._fuzzy:
            # the answer depends on the word alone, so it is worked out once per word (not a Token
            # object and a lookup of every deletion per token: that was half this component's time),
            # and the page's words are sets: only words never seen before and words that are
            # misspellings cost a step in Python, not every token
            orths = doc.to_array(ORTH).tolist()
            words = set(orths)
            new = words.difference(self._fuzzy_by_orth)
            if len(self._fuzzy_by_orth) + len(new) > FUZZY_CACHE_SIZE:
                self._fuzzy_by_orth.clear()
                self._fuzzy_hits.clear()
                new = words
            for orth in new:
                entry = self._fuzzy_by_orth[orth] = self._fuzzy_word(doc.vocab[orth])
                if entry is not None:
                    self._fuzzy_hits[orth] = entry
            if not words.isdisjoint(self._fuzzy_hits):
                for i, orth in enumerate(orths):
                    entry = self._fuzzy_hits.get(orth)
                    if entry is not None and i not in covered:
                        found.append(DrugMatch(i, i + 1, entry, False, "fuzzy"))
        return found

    def _fuzzy_word(self, lexeme: Lexeme) -> int | None:
        text = lexeme.orth_
        if self.fuzzy_min_length - 1 <= len(text) <= self._longest_fuzzy + 1 and lexeme.is_alpha:
            return self.fuzzy_entry(text)
        return None


def _has_amount_context(doc: Doc, start: int, end: int, window: int) -> bool:
    for token in doc[max(0, start - window): min(len(doc), end + window)]:
        if token.i in range(start, end):
            continue
        low = token.lower_
        glued = _GLUED.fullmatch(low)
        if token.like_num or low in UNIT_ALIASES or low in NAMED_AMOUNTS or (
                glued and (glued.group(1) in UNIT_ALIASES or glued.group(1) in ("x", "×"))):
            return True
    return False


class DrugRecognizer(BatchedPipe):
    """The pipeline component: runs a :class:`DrugMatcher` and writes what it keeps onto the Doc."""

    def __init__(self, nlp: Language, name: str = "drugs", *, lexicon: Iterable[DrugEntry] = (),
                 span_key: str = "drugs", split_variants: bool = True, split_min_length: int = 7,
                 fuzzy_min_length: int = 8, context_window: int = 3, modifier_window: int = 2,
                 infer_lsd: bool = True, infer_context: bool = True, context_max_line: int = 200) -> None:
        register_extensions()
        self.infer_context = infer_context
        self.context_max_line = context_max_line
        self.context_rules = ContextRules.default()
        self.modifier_window = modifier_window
        self.infer_lsd = infer_lsd
        self.nlp = nlp
        self.name = name
        self.span_key = span_key
        self.context_window = context_window
        self._options = {"split_variants": split_variants, "split_min_length": split_min_length,
                         "fuzzy_min_length": fuzzy_min_length}
        self.matcher = DrugMatcher(nlp, lexicon, **self._options)
        self._inferred_for: DrugMatcher | None = None
        self._inferred_map: dict[str, int] = {}

    @property
    def entries(self) -> list[DrugEntry]:
        return self.matcher.entries

    def set_lexicon(self, entries: Iterable[DrugEntry]) -> None:
        """Replace the lexicon (and rebuild the matcher)."""
        self.matcher = DrugMatcher(self.nlp, entries, **self._options)

    def keep(self, doc: Doc, matches: list[DrugMatch]) -> list[DrugMatch]:
        """Drop ambiguous terms with no amount or unambiguous drug nearby, then overlapping shorter mentions."""
        sure = {i for m in matches if not m.ambiguous for i in range(m.start, m.end)}
        window = self.context_window

        def in_context(m: DrugMatch) -> bool:
            near = set(range(max(0, m.start - window), m.end + window)) - set(range(m.start, m.end))
            return bool(near & sure) or _has_amount_context(doc, m.start, m.end, window)

        # unambiguous mentions by where they start and end, so that a mention's neighbours are a lookup
        # (comparing every mention with every other was quadratic on a page of many mentions)
        sure_by_start: dict[int, set[int]] = {}
        sure_by_end: dict[int, set[int]] = {}
        for o in matches:
            if not o.ambiguous:
                sure_by_start.setdefault(o.start, set()).add(o.entry)
                sure_by_end.setdefault(o.end, set()).add(o.entry)

        def modifier(m: DrugMatch) -> bool:
            # "crystal MDMA", "brown sugar MDMA", "Big Rock Methylone": a word that names a drug on its
            # own describes the unambiguous drug beside it
            near = [sure_by_start.get(m.end + k, ()) for k in range(self.modifier_window)]
            near += [sure_by_end.get(m.start - k, ()) for k in range(self.modifier_window)]
            return any(entry != m.entry for entries in near for entry in entries)

        kept = [m for m in matches if not m.ambiguous or (in_context(m) and not modifier(m))]
        by_span = {(m.start, m.end): m for m in sorted(kept, key=lambda m: (m.ambiguous, m.how != "exact"), reverse=True)}
        spans = filter_spans([doc[s:e] for s, e in by_span])
        return sorted((by_span[(s.start, s.end)] for s in spans), key=lambda m: m.start)

    def annotate(self, doc: Doc, matches: list[DrugMatch]) -> None:
        facts, items = [], []
        for m in matches:
            entry = self.entries[m.entry]
            span = doc[m.start:m.end]
            facts.append({"name": entry.name, "class": entry.drug_class, "span": [span.start_char, span.end_char]})
            items.append((span.start_char, span.end_char, entry.name))
        doc._.drugs = facts
        set_span_group(doc, self.span_key, items)

    def infer_from_context(self, doc: Doc, kept: list[DrugMatch]) -> list[DrugMatch]:
        """A line naming no drug whose words name one's class (see :mod:`extract.components.drug_context`):
        "10x Fat Freddy's 200ug" is LSD, "25x Blue Punisher 240mg" MDMA, "7g Larry OG greenhouse"
        cannabis, "Sustatex 300mg/10ml" a steroid. The mention is the cue's span (``how="inferred"``).
        Only lines up to ``context_max_line`` characters (titles, table rows) are read for anything
        but a microgram dose on blotter."""
        if not self.infer_context and not self.infer_lsd:
            return kept
        text = doc_text(doc)
        lines = doc_lines(doc)
        lines_with_drugs = {lines.number(doc[m.start].idx) for m in kept}
        added = []
        inferred = self._inferred
        offset = 0
        for number, body in enumerate(text.split("\n")):
            start, offset = offset, offset + len(body) + 1
            if number in lines_with_drugs or not body.strip():
                continue
            # a long line (a description) is read for a microgram dose on blotter only
            found = self.context_rules.infer(body, lsd_only=not self.infer_context or len(body) > self.context_max_line)
            if found is None or (found[0] == "blotter" and not self.infer_lsd):
                continue
            entry = inferred.get(found[0])
            span = doc.char_span(start + found[1], start + found[2], alignment_mode="expand")
            if entry is not None and span is not None and len(span):
                added.append(DrugMatch(span.start, span.end, entry, False, "inferred"))
        return sorted(kept + added, key=lambda m: m.start) if added else kept

    @property
    def _inferred(self) -> dict[str, int]:
        """The lexicon entry each context rule names, worked out once per matcher (lexicon)."""
        if self._inferred_for is not self.matcher:
            index = {e.name: i for i, e in enumerate(self.entries)}
            self._inferred_map = {rule: index[name] for rule, name in INFERRED_NAMES.items() if name in index}
            self._inferred_for = self.matcher
        return self._inferred_map

    def __call__(self, doc: Doc) -> Doc:
        self.annotate(doc, self.infer_from_context(doc, self.keep(doc, self.matcher(doc))))
        return doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Save the lexicon in use, so a saved pipeline keeps it whatever the tables become."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        with open(path / _LEXICON_FILE, "w", encoding="utf-8") as fh:
            for entry in self.entries:
                fh.write(json.dumps(entry.to_dict(), ensure_ascii=False) + "\n")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "DrugRecognizer":
        file = Path(path) / _LEXICON_FILE
        if file.exists():
            with open(file, encoding="utf-8") as fh:
                self.set_lexicon(entries_from_dicts(json.loads(line) for line in fh if line.strip()))
        return self


@versioned_factory(
    "onionwatch_drugs_v1", alias="onionwatch_drugs",
    assigns=["doc._.drugs", "doc.spans"],
    default_config={
        "lexicon": {"@misc": "onionwatch.drug_lexicon.v1"},
        "span_key": "drugs",
        "split_variants": True,
        "split_min_length": 7,
        "fuzzy_min_length": 8,
        "context_window": 3,
        "modifier_window": 2,
        "infer_lsd": True,
        "infer_context": True,
        "context_max_line": 200,
    },
)
def make_drug_matcher(nlp: Language, name: str, lexicon: list[DrugEntry], span_key: str, split_variants: bool,
                      split_min_length: int, fuzzy_min_length: int, context_window: int, modifier_window: int,
                      infer_lsd: bool, infer_context: bool, context_max_line: int) -> DrugRecognizer:
    """Factory for ``onionwatch_drugs_v1`` (entry point in setup.cfg)."""
    return DrugRecognizer(nlp, name, lexicon=lexicon, span_key=span_key, split_variants=split_variants,
                          split_min_length=split_min_length, fuzzy_min_length=fuzzy_min_length,
                          context_window=context_window, modifier_window=modifier_window, infer_lsd=infer_lsd,
                          infer_context=infer_context, context_max_line=context_max_line)

