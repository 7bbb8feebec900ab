"""Drug class accuracy on Agora, lexicon alone and with a classifier trained at run time on the tuning part.

A library of :mod:`bench.extract_eval` (``python -m bench.extract_eval``), not run on its own.
The measure is the issue's: a row counts as right when its category's class is among the classes
extracted for it (``drug_classes`` of the result: the lexicon's, plus the model's where the
component adopted it), micro-averaged over the drug rows whose category names a class. Fentanyl
and nitazenes count as opioids and Z-drug sedatives as benzodiazepines, as Agora's tree files them.

The model is trained with ``onionwatch train``'s code path: the tuning rows are written to a
temporary CSV of Agora's shape, read by :func:`extract.classify.read_labelled` and trained by
:func:`extract.classify.train_drug_classifier` into a temporary folder that is deleted afterwards.
Nothing trained on real rows is kept. Its score on the tuning part is in-sample (it learnt those
rows); only the scored part says how it generalises, to vendors it has never read.
"""
from __future__ import annotations

import csv
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Callable

__all__ = ["ClassTally", "hit", "train_on_rows", "tally_parts", "print_class_report"]

_BROADER = {"fentanyl": "opioid", "nitazene": "opioid"}
_ALSO = {"benzodiazepine": {"sedative"}}


def hit(expected: str, classes: list[str]) -> bool:
    """Whether ``expected`` is among ``classes`` (read through the broader classes Agora files them under)."""
    found = {_BROADER.get(c, c) for c in classes}
    return expected in found or bool(_ALSO.get(expected, set()) & found)


class ClassTally:
    """Per-class right/total counts for one part and one way of extracting classes."""

    def __init__(self) -> None:
        self.right: Counter[str] = Counter()
        self.total: Counter[str] = Counter()
        self.classes_listed = 0

    def add(self, expected: str, classes: list[str]) -> None:
        self.total[expected] += 1
        self.right[expected] += hit(expected, classes)
        self.classes_listed += len(classes)

    @property
    def n(self) -> int:
        return sum(self.total.values())

    @property
    def accuracy(self) -> float:
        return sum(self.right.values()) / self.n if self.n else float("nan")

    def to_dict(self) -> dict:
        return {"accuracy": round(self.accuracy, 4), "n": self.n,
                "classes_per_row": round(self.classes_listed / self.n, 3) if self.n else None,
                "per_class": {c: {"accuracy": round(self.right[c] / self.total[c], 4), "n": self.total[c]}
                              for c in sorted(self.total)}}


def train_on_rows(rows: list[dict], workdir: Path, epochs: int | None = None):
    """Train the classifier on Agora-shaped ``rows`` through the labelled-file reader; returns the TrainResult."""
    from extract.classify import read_labelled, train_drug_classifier

    labelled = workdir / "tuning-part.csv"
    with open(labelled, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["product", "cat", "subcat", "subsubcat"], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    data = read_labelled(labelled)
    overrides = {"training.max_epochs": epochs} if epochs else {}
    return train_drug_classifier(data.examples, workdir / "model", overrides=overrides, quiet=True)


def tally_parts(rows: list[dict], parts: list[str], expected: list[str | None],
                ways: dict[str, Callable[[int], list[str]]]) -> dict[str, dict[str, ClassTally]]:
    """``{way: {part: ClassTally}}`` over the rows with a known class; ``ways`` map a row index to its classes."""
    out: dict[str, dict[str, ClassTally]] = defaultdict(lambda: defaultdict(ClassTally))
    for i, (part, exp) in enumerate(zip(parts, expected)):
        if exp is None:
            continue
        for way, classes_of in ways.items():
            out[way][part].add(exp, classes_of(i))
    return out


def print_class_report(tallies: dict[str, dict[str, ClassTally]], parts: tuple[str, ...]) -> None:
    """One line per class: accuracy (n) for each way and part; then the totals."""
    ways = list(tallies)
    classes = sorted({c for w in ways for p in parts for c in tallies[w][p].total})
    head = "".join(f"{f'{w} / {p}':>26}" for p in parts for w in ways)
    print(f"{'class':<24}{head}")
    for c in classes:
        cells = []
        for p in parts:
            for w in ways:
                t = tallies[w][p]
                cells.append(f"{t.right[c] / t.total[c]:>17.3f} ({t.total[c]:>5})" if t.total[c] else f"{'-':>26}")
        print(f"{c:<24}{''.join(cells)}")
    cells = "".join(f"{tallies[w][p].accuracy:>17.3f} ({tallies[w][p].n:>5})" for p in parts for w in ways)
    print(f"{'all (micro)':<24}{cells}")
    cells = "".join(f"{tallies[w][p].classes_listed / max(tallies[w][p].n, 1):>25.2f} " for p in parts for w in ways)
    print(f"{'classes listed per row':<24}{cells}")


def temporary_folder() -> tempfile.TemporaryDirectory:
    """Where the run-time model lives; removed when the bench ends."""
    return tempfile.TemporaryDirectory(prefix="onionwatch-drug-model-")
