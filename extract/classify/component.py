"""The drug classifier as a pipeline component (factory ``onionwatch_drug_class_v1``).

It runs a ``textcat`` pipeline trained by ``onionwatch train`` (:mod:`extract.classify.training`)
on the folded title of each Doc, or the start of its text when it has no title
(:func:`classifier_text`; ``extract_many`` marks where a record's title ends with
:func:`with_title`), and writes:

- ``doc._.drug_class_model``: ``{"class", "confidence", "adopted"}``, or ``None`` when no model is
  loaded; ``adopted`` says whether the class went into the final list;
- ``doc._.drug_classes``: the final list, the lexicon's classes (from ``doc._.drugs``, which it
  leaves as they are) combined with the model's by :func:`extract.classify.combine.combine_classes`.

It must come after ``drugs``. Without a model it is not in the pipeline at all: :func:`add_drug_classifier`
adds it (``extract.load_pipeline`` does when given ``drug_model=`` or when the environment variable
:data:`DRUG_MODEL_ENV` names a model folder). The model is loaded lazily, so a saved pipeline
(``nlp.to_disk``, which copies the model into its own folder) loads from its copy even when the
folder it was trained into is gone.

>>> classifier_text("  MDMA  Crystals\\n84%  ")
'mdma crystals 84%'
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from extract.registry import versioned_factory  # also the recipe's tokenizer, onionwatch.tokenizer.v1
from extract.classify.combine import DEFAULT_THRESHOLD, POLICIES, combine_classes, lexicon_classes

__all__ = ["DRUG_MODEL_ENV", "DEFAULT_MAX_CHARS", "DrugClassifier", "classifier_text", "classified_part", "with_title",
           "load_model", "add_drug_classifier", "make_drug_classifier", "ModelError"]

#: Environment variable naming a trained model folder; ``extract.load_pipeline`` adds the component when set.
DRUG_MODEL_ENV = "ONIONWATCH_DRUG_MODEL"
#: Characters of a Doc's text the classifier reads (a title and the start of a page).
DEFAULT_MAX_CHARS = 1000
_SAVED = "textcat"
_SETTINGS = "settings.json"

for _name in ("drug_class_model", "drug_classes", "title_chars"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class ModelError(ValueError):
    """A model folder that is not a trained drug classifier; the message says what to do."""


def classifier_text(text: str, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """What the classifier reads, in training and in use: the first ``max_chars`` characters,
    case-folded, blanks collapsed (the bag-of-words model is case-sensitive; listings are not)."""
    return " ".join(text[:max_chars].split()).casefold()


def with_title(doc: Doc, title: str | None) -> Doc:
    """Mark where the title ends in a Doc whose text is ``title + "\\n" + body`` (``doc._.title_chars``).

    Titles say what is sold; the rest of a record (shipping fields, a vendor's boilerplate, a page's
    menus) mostly says who sells it, which a model trained on a few vendors would learn instead.
    """
    doc._.title_chars = len(title) if title else None
    return doc


def classified_part(doc: Doc) -> str:
    """The part of a Doc the classifier reads: its title when known, else its whole text (cut later)."""
    return doc.text[:doc._.title_chars] if doc._.title_chars else doc.text


def load_model(path: str | Path) -> Language:
    """Load a trained classifier folder (``model-best`` of ``onionwatch train``); check it has a textcat."""
    path = Path(path)
    if not (path / "config.cfg").is_file():
        raise ModelError(f"{path} is not a trained model folder (no config.cfg); train one with "
                         "`onionwatch train LABELLED_FILE --output DIR` and give DIR/model-best")
    model = spacy.load(path)
    if "textcat" not in model.pipe_names:
        raise ModelError(f"{path} has no textcat component (pipes: {', '.join(model.pipe_names)}); "
                         "give a folder trained by `onionwatch train`")
    return model


class DrugClassifier:
    """Adds the trained model's class and confidence to each Doc; see the module docstring."""

    def __init__(self, nlp: Language, name: str = "drug_class", *, model: str | None = None,
                 threshold: float = DEFAULT_THRESHOLD, policy: str = "fill",
                 max_chars: int = DEFAULT_MAX_CHARS) -> None:
        if policy not in POLICIES:
            raise ValueError(f"unknown policy {policy!r}: use one of {', '.join(POLICIES)}")
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f"threshold must be between 0 and 1, not {threshold}")
        self.name = name
        self.model_path = model
        self.threshold = threshold
        self.policy = policy
        self.max_chars = max_chars
        self._model: Language | None = None

    @property
    def textcat(self) -> Language | None:
        """The trained textcat pipeline, loaded on first use; ``None`` when no model is configured.

        Not named ``model``: spaCy probes every component for ``model`` while linking a pipeline it
        loads, which would load the folder the pipeline was built from before ``from_disk`` runs."""
        if self._model is None and self.model_path:
            self._model = load_model(self.model_path)
        return self._model

    def annotate(self, doc: Doc, cats: dict[str, float] | None) -> Doc:
        lexicon = lexicon_classes(doc._.drugs)
        if not cats:
            doc._.drug_class_model, doc._.drug_classes = None, lexicon
            return doc
        best = max(cats, key=cats.get)
        prediction = {"class": best, "confidence": round(float(cats[best]), 4)}
        doc._.drug_classes, adopted = combine_classes(lexicon, prediction, self.threshold, self.policy)
        doc._.drug_class_model = dict(prediction, adopted=adopted)
        return doc

    def __call__(self, doc: Doc) -> Doc:
        model = self.textcat
        return self.annotate(doc, model(classifier_text(classified_part(doc), self.max_chars)).cats if model else None)

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        model = self.textcat
        if model is None:
            for doc in docs:
                yield self.annotate(doc, None)
            return
        buffer: list[Doc] = []
        for doc in docs:
            buffer.append(doc)
            if len(buffer) >= batch_size:
                yield from self._classify(model, buffer, batch_size)
                buffer = []
        yield from self._classify(model, buffer, batch_size)

    def _classify(self, model: Language, docs: list[Doc], batch_size: int) -> Iterator[Doc]:
        texts = [classifier_text(classified_part(d), self.max_chars) for d in docs]
        for doc, scored in zip(docs, model.pipe(texts, batch_size=batch_size)):
            yield self.annotate(doc, scored.cats)

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Save a copy of the model (when one is loaded) and the settings, so the saved pipeline stands alone."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / _SETTINGS).write_text(json.dumps({"threshold": self.threshold, "policy": self.policy,
                                                  "max_chars": self.max_chars}), encoding="utf-8")
        if self.textcat is not None:
            self.textcat.to_disk(path / _SAVED)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "DrugClassifier":
        path = Path(path)
        if (path / _SETTINGS).is_file():
            settings = json.loads((path / _SETTINGS).read_text(encoding="utf-8"))
            self.threshold, self.policy = settings["threshold"], settings["policy"]
            self.max_chars = settings["max_chars"]
        if (path / _SAVED).is_dir():
            self._model = load_model(path / _SAVED)
        return self


@versioned_factory(
    "onionwatch_drug_class_v1", alias="onionwatch_drug_class",
    requires=["doc._.drugs"],
    assigns=["doc._.drug_class_model", "doc._.drug_classes"],
    default_config={"model": None, "threshold": DEFAULT_THRESHOLD, "policy": "fill", "max_chars": DEFAULT_MAX_CHARS},
)
def make_drug_classifier(nlp: Language, name: str, model: str | None, threshold: float, policy: str,
                         max_chars: int) -> DrugClassifier:
    """Factory for ``onionwatch_drug_class_v1`` (entry point in setup.cfg); ``model`` is a trained folder."""
    return DrugClassifier(nlp, name, model=model, threshold=threshold, policy=policy, max_chars=max_chars)


def add_drug_classifier(nlp: Language, model: str | Path, *, threshold: float = DEFAULT_THRESHOLD,
                        policy: str = "fill", name: str = "drug_class") -> DrugClassifier:
    """Add the classifier after ``drugs`` and load ``model`` now, so a wrong folder fails here, clearly."""
    loaded = load_model(model)  # checked before the pipeline changes
    after = {"after": "drugs"} if "drugs" in nlp.pipe_names else {}
    component = nlp.add_pipe("onionwatch_drug_class_v1", name=name, **after,
                             config={"model": str(model), "threshold": threshold, "policy": policy})
    component._model = loaded
    return component
