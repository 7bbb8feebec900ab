"""Drug classification that does not hinge on a listed name: a trained spaCy ``textcat`` beside the lexicon.

- :mod:`~extract.classify.labelled`: the labelled files users train from (JSON Lines
  ``{"text", "class"}``, CSV ``text,class``, or the Agora crawl's CSV with its category path);
- :mod:`~extract.classify.categories`: market category paths -> drug class;
- :mod:`~extract.classify.training`: ``spacy train`` on the packaged recipe ``textcat.cfg``;
- :mod:`~extract.classify.component`: the ``onionwatch_drug_class_v1`` component, which adds
  ``doc._.drug_class_model`` (class, confidence, adopted) and ``doc._.drug_classes``;
- :mod:`~extract.classify.combine`: how lexicon and model classes make the final list.

No model ships: without one the pipeline is lexicon-only. Train with ``onionwatch train FILE
--output DIR``, then set ``ONIONWATCH_DRUG_MODEL=DIR/model-best`` (or call
``extract.load_pipeline(drug_model=...)``).
"""
from __future__ import annotations

from extract.classify.categories import NO_DRUG, category_class
from extract.classify.combine import DEFAULT_THRESHOLD, combine_classes, lexicon_classes
from extract.classify.component import (
    DRUG_MODEL_ENV, DrugClassifier, ModelError, add_drug_classifier, classifier_text, load_model,
)
from extract.classify.labelled import FORMAT_HELP, LabelledFileError, LabelledSet, read_labelled
from extract.classify.training import RECIPE, TrainingError, TrainResult, train_drug_classifier

__all__ = [
    "NO_DRUG", "category_class", "DEFAULT_THRESHOLD", "combine_classes", "lexicon_classes", "DRUG_MODEL_ENV",
    "DrugClassifier", "ModelError", "add_drug_classifier", "classifier_text", "load_model", "FORMAT_HELP",
    "LabelledFileError", "LabelledSet", "read_labelled", "RECIPE", "TrainingError", "TrainResult",
    "train_drug_classifier",
]
