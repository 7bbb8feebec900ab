"""Market category paths -> drug class: the labels a category tree gives a training file.

Data and one lookup, no I/O. Markets file listings under trees like ``Drugs > Stimulants > Cocaine``;
the words of those trees are few and shared across markets, so a table of them turns a crawl's
category column into training labels. Segments are compared folded (case, blanks, hyphens).

- a top segment that is not a drug category ("Information", "Services", "Drug paraphernalia") is
  :data:`NO_DRUG`: the listing is not a drug;
- under a drug category, a (segment, sub-segment) pair is tried first (``Cannabis > Synthetics`` is a
  synthetic cannabinoid, ``Dissociatives > GHB`` a depressant), then the segment alone;
- a drug category that names no pharmacological class ("Other", "Prescription", "RCs", "Weight
  loss") gives ``None``: the row has no class to learn and is left out.

>>> category_class(["Drugs", "Stimulants", "Cocaine"])
'stimulant'
>>> category_class(["Drugs", "Cannabis", "Synthetics"]), category_class(["Drugs", "Disassociatives", "GHB"])
('synthetic_cannabinoid', 'depressant')
>>> category_class(["Information", "Guides", "NA"]), category_class(["Drugs", "Other", "NA"])
('none', None)
"""
from __future__ import annotations

from typing import Sequence

__all__ = ["NO_DRUG", "DRUG_TOP_CATEGORIES", "CATEGORY_CLASSES", "SUBCATEGORY_CLASSES", "category_class"]

#: The label of a listing that is not a drug.
NO_DRUG = "none"

#: Top-level category names under which listings are drugs.
DRUG_TOP_CATEGORIES = frozenset({"drugs", "drug", "narcotics", "substances", "chemicals"})

#: A drug sub-category -> class.
CATEGORY_CLASSES = {
    "benzos": "benzodiazepine", "benzodiazepines": "benzodiazepine",
    "cannabis": "cannabis", "weed": "cannabis", "marijuana": "cannabis", "hash": "cannabis", "hashish": "cannabis",
    "dissociatives": "dissociative", "disassociatives": "dissociative",
    "ecstasy": "empathogen", "ecstasy mdma": "empathogen", "mdma": "empathogen", "methylone": "empathogen",
    "empathogens": "empathogen", "entactogens": "empathogen",
    "opioids": "opioid", "opiates": "opioid",
    "psychedelics": "psychedelic", "hallucinogens": "psychedelic",
    "steroids": "steroid", "anabolic steroids": "steroid",
    "stimulants": "stimulant",
    "depressants": "depressant",
}

#: (sub-category, sub-sub-category) pairs whose class differs from the sub-category's.
SUBCATEGORY_CLASSES = {
    ("cannabis", "synthetics"): "synthetic_cannabinoid", ("cannabis", "spice"): "synthetic_cannabinoid",
    ("dissociatives", "ghb"): "depressant", ("dissociatives", "gbl"): "depressant",
    ("disassociatives", "ghb"): "depressant", ("disassociatives", "gbl"): "depressant",
}


def _fold(segment: str | None) -> str:
    return " ".join((segment or "").replace("-", " ").replace("_", " ").split()).casefold()


def category_class(path: Sequence[str | None]) -> str | None:
    """The class a category path gives: a class, :data:`NO_DRUG`, or ``None`` (no class to learn)."""
    folded = [_fold(s) for s in path]
    folded = [s for s in folded if s and s != "na"]
    if not folded:
        return None
    if folded[0] not in DRUG_TOP_CATEGORIES:
        return NO_DRUG
    if len(folded) >= 3 and (folded[1], folded[2]) in SUBCATEGORY_CLASSES:
        return SUBCATEGORY_CLASSES[(folded[1], folded[2])]
    return CATEGORY_CLASSES.get(folded[1]) if len(folded) >= 2 else None
