"""The pipeline's tokenizer (``onionwatch.tokenizer.v2``): spaCy's English tokenizer in time linear
in the text, whatever the text.

spaCy strips prefixes and suffixes from a whitespace-free run one at a time, searching the whole
rest of the run each time and copying it: a run of 10,000 question marks took 36 seconds, 40,000
took eight minutes. So here:

- the prefix search only tries the start of the run (``match``; the patterns are anchored there
  anyway) and the suffix search only its last :data:`SUFFIX_WINDOW` characters;
- a run longer than ``max_run`` characters is tokenized in pieces of ``max_run`` (a piece may cut
  a token where the run had none to cut: such runs are digits, base64 or junk, never words);
- a run of blanks is not searched for infixes, and a new word's ``is_ascii`` and ``like_url`` are
  computed in C (spaCy's functions loop in Python over the word): a megabyte of spaces, one word,
  cost 0.7 s the first time it was seen.

``doc.text`` is the input, character for character, as with spaCy's tokenizer.

>>> import spacy
>>> nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "onionwatch.tokenizer.v2"}}})
>>> [t.text for t in nlp("pure A-PVP- and bk-MDMA/ METHYLONE-")]
['pure', 'A', '-', 'PVP', '-', 'and', 'bk', '-', 'MDMA', '/', 'METHYLONE', '-']
>>> doc = nlp("Any stock?" + "?" * 5000 + " yes")
>>> doc.text == "Any stock?" + "?" * 5000 + " yes", doc[-1].text
(True, 'yes')
"""
from __future__ import annotations

import re
from typing import Callable, Iterable, Iterator

from spacy.attrs import IS_ASCII, LIKE_URL, ORTH, SPACY
from spacy.lang import lex_attrs
from spacy.tokens import Doc
from spacy.util import compile_prefix_regex, compile_suffix_regex, registry

from extract.components._doc import remember_text

__all__ = ["LinearTokenizer", "tokenizer_v2", "SUFFIX_WINDOW", "BLANKS"]

#: How many characters at the end of a run the suffix patterns are tried on (the longest suffix
#: spaCy's English rules strip at once is a few characters; a longer run of them is cut in turns).
SUFFIX_WINDOW = 64


class LinearTokenizer:
    """Wraps a spaCy ``Tokenizer``: tokenizes runs over ``max_run`` characters in pieces."""

    def __init__(self, tokenizer, max_run: int = 1000) -> None:
        self.tokenizer = tokenizer
        self.vocab = tokenizer.vocab
        self.max_run = max_run
        # a run starts after a blank (or at the start), so each run is read once
        self._long_run = re.compile(r"(?<!\S)\S{%d,}" % (max_run + 1))

    def __call__(self, text: str) -> Doc:
        runs = list(self._long_run.finditer(text)) if len(text) > self.max_run else None
        if not runs:
            return remember_text(self.tokenizer(text), text)
        orths: list[int] = []
        spaces: list[int] = []
        pos = 0
        for m in runs:
            self._add(text[pos:m.start()], orths, spaces)
            for i in range(m.start(), m.end(), self.max_run):
                self._add(text[i:min(i + self.max_run, m.end())], orths, spaces)
            pos = m.end()
        self._add(text[pos:], orths, spaces)
        # the Doc is made from the words' ids: spaCy then finds each word's entry by its id, where
        # the words' strings cost a string made and hashed a token (a third of the time on long runs)
        return remember_text(Doc(self.vocab, words=orths, spaces=spaces), text)

    def _add(self, part: str, orths: list[int], spaces: list[int]) -> None:
        if orths and not spaces[-1] and part.startswith(" "):
            spaces[-1] = 1  # the blank after a run belongs to its last token, as spaCy has it
            part = part[1:]
        if part:  # read as arrays: a Token object a token cost more than tokenizing the part
            table = self.tokenizer(part).to_array([ORTH, SPACY])
            orths += table[:, 0].tolist()
            spaces += table[:, 1].tolist()

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    def from_disk(self, path, **kwargs) -> "LinearTokenizer":
        self.tokenizer.from_disk(path, **kwargs)
        _bounded(self.tokenizer)  # spaCy restores plain searches
        return self

    def from_bytes(self, data: bytes, **kwargs) -> "LinearTokenizer":
        self.tokenizer.from_bytes(data, **kwargs)
        _bounded(self.tokenizer)
        return self

    def __getattr__(self, name: str):  # rules, explain, to_disk, to_bytes...: spaCy's tokenizer's
        if name == "tokenizer":
            raise AttributeError(name)
        return getattr(self.tokenizer, name)


class _TailSearch:
    """A suffix search over the last :data:`SUFFIX_WINDOW` characters (picklable; ``__self__`` is
    the pattern, which spaCy reads to save the tokenizer)."""

    def __init__(self, pattern: re.Pattern) -> None:
        self.__self__ = pattern

    def __call__(self, text: str):
        return self.__self__.search(text, max(0, len(text) - SUFFIX_WINDOW))


class _InfixSearch:
    """The infix patterns' matches in a run, none in a run of blanks: spaCy tries them on every
    run, blanks too, and 1 MB of spaces took 0.35 s the first time it was seen (picklable;
    ``__self__`` is the pattern, as for :class:`_TailSearch`)."""

    def __init__(self, pattern: re.Pattern) -> None:
        self.__self__ = pattern

    def __call__(self, text: str):
        return () if text.isspace() else self.__self__.finditer(text)


#: Every character ``str.isspace`` holds a blank (a test checks the list is complete).
BLANKS = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + \
    "\u2028\u2029\u202f\u205f\u3000"


def _bounded(tokenizer) -> None:
    prefix, suffix, infix = tokenizer.prefix_search, tokenizer.suffix_search, tokenizer.infix_finditer
    if prefix is not None and hasattr(prefix, "__self__"):
        tokenizer.prefix_search = prefix.__self__.match
    if suffix is not None and hasattr(suffix, "__self__"):
        tokenizer.suffix_search = _TailSearch(suffix.__self__)
    # only when no infix pattern matches among blanks (spaCy's own never do)
    if infix is not None and hasattr(infix, "__self__") and not any(
            infix.__self__.search(BLANKS * 3 + blank * 3) for blank in BLANKS):
        tokenizer.infix_finditer = _InfixSearch(infix.__self__)


def _not_url_without_dot(like_url: Callable[[str], bool]) -> Callable[[str], bool]:
    def quick_like_url(text: str) -> bool:
        # spaCy's like_url says no to a text without a dot unless it starts "http(s)://", after a
        # loop in Python over the text
        if "." not in text and not text.startswith(("http://", "https://")):
            return False
        return like_url(text)
    return quick_like_url


def _quick_lexeme_attrs(getters: dict) -> None:
    """spaCy computes a new word's attributes once, when the vocabulary first sees it; two of its
    functions loop in Python over every character, which a megabyte-long run of blanks (a word
    each time its length is new) paid 0.45 s for. Each is replaced by one giving the same answers
    in C: ``is_ascii`` by ``str.isascii``, ``like_url`` by a test for a dot first (only spaCy's
    own functions are replaced)."""
    if getters.get(IS_ASCII) is lex_attrs.is_ascii:
        getters[IS_ASCII] = str.isascii
    if getters.get(LIKE_URL) is lex_attrs.like_url:
        getters[LIKE_URL] = _not_url_without_dot(lex_attrs.like_url)


@registry.tokenizers("onionwatch.tokenizer.v2")
def tokenizer_v2(split_dashes: bool = True, max_run: int = 1000):
    """spaCy's English tokenizer, also splitting hyphens and slashes that end or start a word
    ("A-PVP-", "MDMA/ METHYLONE", "-fentanyl"), in linear time (see the module docstring)."""
    base = registry.tokenizers.get("spacy.Tokenizer.v1")()

    def make(nlp):
        tokenizer = base(nlp)
        if split_dashes:
            tokenizer.suffix_search = compile_suffix_regex(list(nlp.Defaults.suffixes) + [r"[\-/]+"]).search
            tokenizer.prefix_search = compile_prefix_regex(list(nlp.Defaults.prefixes) + [r"[\-/]+"]).search
        _bounded(tokenizer)
        _quick_lexeme_attrs(nlp.vocab.lex_attr_getters)
        return LinearTokenizer(tokenizer, max_run)

    return make
