"""Train the drug classifier: ``spacy train`` on the packaged recipe, from a labelled file you have.

No trained model ships with onionwatch: a model trained on real listings carries their words
(titles, vendor names) in its vocabulary. What ships is the recipe (``extract/classify/textcat.cfg``)
and this function, which the ``onionwatch train`` command and the evaluation bench call.

:func:`train_drug_classifier` turns the examples into spaCy ``DocBin`` corpora (texts folded by
:func:`extract.classify.component.classifier_text`, as the component will read them), keeps a
deterministic share of them apart to choose the best epoch on (by a hash of the text, so repeated
titles stay on one side), and runs spaCy's own training loop (:func:`spacy.cli.train.train`, the
same code as the ``spacy train`` command) into ``output``. The model to use is ``output/model-best``.
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import spacy
from spacy.tokens import DocBin

import extract.registry  # noqa: F401  (the recipe's tokenizer, onionwatch.tokenizer.v1)
from extract.classify.component import DEFAULT_MAX_CHARS, classifier_text

__all__ = ["RECIPE", "TrainResult", "TrainingError", "split_for_dev", "make_docbin", "train_drug_classifier"]

#: The training recipe (a spaCy ``config.cfg``) that ships with the package.
RECIPE = Path(__file__).with_name("textcat.cfg")


class TrainingError(ValueError):
    """Examples that cannot train a classifier (too few, one class); the message says what to add."""


@dataclass
class TrainResult:
    """Where the model is and how training went."""

    model_dir: Path
    seconds: float
    train_examples: int
    dev_examples: int
    class_counts: dict[str, int]
    dev_scores: dict[str, Any] = field(default_factory=dict)


def _in_dev(text: str, dev_share: float, seed: int) -> bool:
    digest = hashlib.sha256(f"{seed}\x00{classifier_text(text)}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2 ** 64 < dev_share


def split_for_dev(examples: Iterable[tuple[str, str]], dev_share: float = 0.15,
                  seed: int = 0) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Train and dev examples; equal texts (after folding) always fall on the same side.

    >>> train, dev = split_for_dev([(f"item {i}", "a") for i in range(200)])
    >>> len(train) + len(dev), 10 < len(dev) < 50
    (200, True)
    """
    train, dev = [], []
    for text, label in examples:
        (dev if _in_dev(text, dev_share, seed) else train).append((text, label))
    return train, dev


def make_docbin(examples: Iterable[tuple[str, str]], labels: list[str], max_chars: int = DEFAULT_MAX_CHARS) -> DocBin:
    """Examples as a ``DocBin`` of folded texts with one-hot ``doc.cats`` over ``labels``."""
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "onionwatch.tokenizer.v1"}}})
    db = DocBin(store_user_data=False)
    for text, label in examples:
        doc = nlp.make_doc(classifier_text(text, max_chars))
        doc.cats = {name: float(name == label) for name in labels}
        db.add(doc)
    return db


def train_drug_classifier(examples: list[tuple[str, str]], output: str | Path, *, dev_share: float = 0.15,
                          seed: int = 0, overrides: dict[str, Any] | None = None, recipe: str | Path = RECIPE,
                          quiet: bool = False, max_chars: int = DEFAULT_MAX_CHARS) -> TrainResult:
    """Train on ``examples`` (``(text, class)``) into ``output``; returns the :class:`TrainResult`.

    ``overrides`` are spaCy config overrides (``{"training.max_epochs": 3}``); ``quiet`` hides
    spaCy's per-step table (it goes to standard output otherwise, as progress).
    """
    from spacy.cli.train import train as spacy_train

    counts = Counter(label for _, label in examples)
    if len(counts) < 2:
        raise TrainingError(f"the examples have {len(counts)} class(es) ({', '.join(counts) or 'none'}); "
                            "a classifier needs at least two: add listings of other classes or non-drug ones")
    train, dev = split_for_dev(examples, dev_share, seed)
    if len(train) < 2 or not dev:
        raise TrainingError(f"{len(examples)} examples are too few to train and check a model; give at least "
                            "a few dozen")
    labels = sorted(counts)
    output = Path(output)
    corpus = output / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    make_docbin(train, labels, max_chars).to_disk(corpus / "train.spacy")
    make_docbin(dev, labels, max_chars).to_disk(corpus / "dev.spacy")
    settings = {"paths.train": str(corpus / "train.spacy"), "paths.dev": str(corpus / "dev.spacy"),
                "system.seed": seed, **(overrides or {})}
    started = time.perf_counter()
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink) if quiet else contextlib.nullcontext():
        spacy_train(Path(recipe), output, overrides=settings, use_gpu=-1)
    seconds = time.perf_counter() - started
    model_dir = output / "model-best"
    meta = spacy.util.load_meta(model_dir / "meta.json") if (model_dir / "meta.json").exists() else {}
    return TrainResult(model_dir, seconds, len(train), len(dev), dict(sorted(counts.items())),
                       meta.get("performance", {}))
