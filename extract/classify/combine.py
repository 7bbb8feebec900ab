"""How the lexicon's classes and the trained classifier's class make one list: pure functions.

The lexicon's mentions are evidence (a span, a name, how it was found) and always stay. The
classifier adds one class with a confidence. Two policies, chosen on the tuning part of Agora:

- ``"fill"`` (the default): the model's class is adopted only when the lexicon found no drug and
  the model is at least ``threshold`` sure, and never when its class is :data:`NO_DRUG`. It fills the
  gaps of the lexicon (names it does not know, misspellings past one edit, slang) and cannot
  contradict a named substance.
- ``"add"``: the model's class is also added beside the lexicon's classes when it is a different
  one. This inflates "the right class is among the extracted ones" by listing more classes, so it
  is measured, not used by default.

>>> combine_classes(["stimulant"], {"class": "empathogen", "confidence": 0.99})
(['stimulant'], False)
>>> combine_classes([], {"class": "empathogen", "confidence": 0.91})
(['empathogen'], True)
>>> combine_classes([], {"class": "empathogen", "confidence": 0.2})
([], False)
>>> combine_classes([], {"class": "none", "confidence": 0.99})
([], False)
"""
from __future__ import annotations

from typing import Iterable

from extract.classify.categories import NO_DRUG

__all__ = ["POLICIES", "DEFAULT_THRESHOLD", "lexicon_classes", "combine_classes"]

POLICIES = ("fill", "add")
#: Least confidence at which the model's class is adopted: chosen on an inner vendor split of Agora's
#: tuning part (0.3 to 0.9 tried; with "fill", non-drug listings gained no class at any of them).
DEFAULT_THRESHOLD = 0.3


def lexicon_classes(drugs: Iterable[dict] | None) -> list[str]:
    """The classes of the lexicon's mentions, first seen first, without repeats.

    >>> lexicon_classes([{"class": "opioid"}, {"class": "stimulant"}, {"class": "opioid"}])
    ['opioid', 'stimulant']
    """
    return list(dict.fromkeys(d["class"] for d in drugs or ()))


def combine_classes(lexicon: list[str], model: dict | None, threshold: float = DEFAULT_THRESHOLD,
                    policy: str = "fill") -> tuple[list[str], bool]:
    """The final class list and whether the model's class was adopted into it."""
    if policy not in POLICIES:
        raise ValueError(f"unknown policy {policy!r}: use one of {', '.join(POLICIES)}")
    if not model or model["class"] == NO_DRUG or model["confidence"] < threshold:
        return list(lexicon), False
    if model["class"] in lexicon or (policy == "fill" and lexicon):
        return list(lexicon), False
    return [*lexicon, model["class"]], True
