"""Registered names the pipeline config uses, versioned so old configs keep meaning the same.

Components are registered with :func:`versioned_factory` as ``onionwatch_<component>_v1`` (spaCy
allows no dot in a factory name, so the version is ``_v1`` where registered functions say ``.v1``);
the names of pipelines saved before versioning (``onionwatch_drugs``) stay registered as aliases,
listed in :data:`FACTORY_ALIASES`, so their ``config.cfg`` still loads and builds the same component.
Each factory declares what it ``requires`` and ``assigns``, so ``nlp.analyze_pipes()`` checks the
order of a pipeline.

Registered functions:

- ``onionwatch.drug_lexicon.v1``: the drug table (:data:`extract.lexicons.drugs.DRUGS`), or one
  read from a JSON Lines file of ``DrugEntry.to_dict()`` rows, plus optional extra rows.
- ``onionwatch.rate_table.v1``: the dated dollar-rate table used when a page shows no rate, the
  built-in one or one read from a JSON file ``{"date": "YYYY-MM-DD", "usd": {"BTC": 60000, ...}}``.

>>> from spacy.util import registry
>>> len(registry.misc.get("onionwatch.drug_lexicon.v1")()) > 100
True
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Iterable

from spacy.language import Language
from spacy.util import registry

from extract.lexicons.drugs import DRUGS, DrugEntry, entries_from_dicts
from extract.parsers.prices import RateTable, default_rate_table
import extract.tokenizer  # noqa: F401  (registers onionwatch.tokenizer.v2, the default config's)

__all__ = ["FACTORY_ALIASES", "versioned_factory", "drug_lexicon_v1", "rate_table_v1", "read_rate_table"]

#: Unversioned factory names of older saved pipelines -> the versioned factory each one builds.
FACTORY_ALIASES: dict[str, str] = {}


def versioned_factory(name: str, *, alias: str | None = None, requires: Iterable[str] = (),
                      assigns: Iterable[str] = (), default_config: dict[str, Any] | None = None,
                      ) -> Callable[[Callable], Callable]:
    """``Language.factory`` under the versioned ``name``, and under ``alias`` (an older name) with the
    same defaults and declarations, so a config saved with either builds the same component.

    >>> import extract.components
    >>> meta = Language.get_factory_meta("onionwatch_price_units_v1")
    >>> meta.requires, Language.get_factory_meta("onionwatch_price_units").requires == meta.requires
    (['doc._.quantities', 'doc._.money', 'doc._.price'], True)
    """
    def register(factory: Callable) -> Callable:
        for each in (name,) if alias is None else (name, alias):
            Language.factory(each, requires=list(requires), assigns=list(assigns),
                             default_config=dict(default_config or {}), func=factory)
        if alias is not None:
            FACTORY_ALIASES[alias] = name
        return factory
    return register


@registry.misc("onionwatch.drug_lexicon.v1")
def drug_lexicon_v1(path: str | None = None, extra: list[dict[str, Any]] | None = None) -> list[DrugEntry]:
    """Drug entries: the built-in table, or the rows of ``path`` (JSON Lines), then ``extra`` rows."""
    if path:
        with open(path, encoding="utf-8") as fh:
            entries = entries_from_dicts(json.loads(line) for line in fh if line.strip())
    else:
        entries = list(DRUGS)
    return entries + entries_from_dicts(extra or [])


def read_rate_table(path: str | Path) -> RateTable:
    """Read ``{"date": ..., "usd": {...}}`` from a JSON file."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    usd = {str(k).upper(): float(v) for k, v in data["usd"].items()}
    return RateTable(str(data["date"]), usd)


@registry.misc("onionwatch.rate_table.v1")
def rate_table_v1(path: str | None = None) -> RateTable:
    """The dollar-rate table: built in, or read from ``path``."""
    return read_rate_table(path) if path else default_rate_table()


@registry.tokenizers("onionwatch.tokenizer.v1")
def tokenizer_v1(split_dashes: bool = True):
    """spaCy's English tokenizer, also splitting hyphens and slashes that end or start a word
    ("A-PVP-", "MDMA/ METHYLONE", "-fentanyl"), as listing titles glue them to drug names.

    >>> import spacy
    >>> nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "onionwatch.tokenizer.v1"}}})
    >>> [t.text for t in nlp("pure A-PVP- and bk-MDMA/ METHYLONE-")]
    ['pure', 'A', '-', 'PVP', '-', 'and', 'bk', '-', 'MDMA', '/', 'METHYLONE', '-']
    """
    from spacy.util import compile_prefix_regex, compile_suffix_regex

    base = registry.tokenizers.get("spacy.Tokenizer.v1")()

    def make(nlp):
        tokenizer = base(nlp)
        if split_dashes:
            tokenizer.suffix_search = compile_suffix_regex(list(nlp.Defaults.suffixes) + [r"[\-/]+"]).search
            tokenizer.prefix_search = compile_prefix_regex(list(nlp.Defaults.prefixes) + [r"[\-/]+"]).search
        return tokenizer

    return make
