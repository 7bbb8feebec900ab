"""Labelled files for training the drug classifier: what they look like and how they are read.

Three shapes are read (:func:`read_labelled`), chosen by the file's suffix and columns:

- **JSON Lines** (``.jsonl``): one object a line, ``{"text": "...", "class": "stimulant"}``.
  ``class`` is any label of yours; ``null`` or ``"none"`` marks a listing that is not a drug
  (books, services, paraphernalia), which teaches the model to stay quiet on those.
- **CSV with ``text`` and ``class`` columns** (``.csv``): the same, one row a listing.
- **CSV shaped like the public Agora crawl** (``.csv`` with ``product``, ``cat``, ``subcat``,
  ``subsubcat`` columns): the title is the text and the category path gives the class through
  :func:`extract.classify.categories.category_class`. Rows of drug categories that name no
  pharmacological class ("Other", "Prescription") are left out; rows of other top categories are
  ``none``.

Every row is checked: a line that is not JSON, a row without text or with a non-string class is a
:class:`LabelledFileError` that names the file and line, so nothing is silently dropped. Rows left out
on purpose are counted in :attr:`LabelledSet.skipped`.

>>> import io
>>> rows = read_labelled_lines(io.StringIO('{"text": "10g Mango Kush", "class": "cannabis"}\\n'), "mem.jsonl")
>>> rows.examples, rows.skipped
([('10g Mango Kush', 'cannabis')], 0)
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterable

from extract.classify.categories import NO_DRUG, category_class

__all__ = ["NO_DRUG", "LabelledFileError", "LabelledSet", "read_labelled", "read_labelled_lines",
           "read_labelled_csv", "FORMAT_HELP"]

#: How the formats are explained to users (``onionwatch train --help``).
FORMAT_HELP = """\
labelled file formats:
  .jsonl  one object a line: {"text": "Cocaine 1g 90% pure", "class": "stimulant"}
          "class": null or "none" marks a listing that is not a drug (books, services, kits)
  .csv    columns text,class (same meaning), or the shape of the public Agora crawl:
          columns product,cat,subcat,subsubcat; the category path gives the class
          (Drugs/Stimulants/Cocaine -> stimulant; Drugs/Other is left out; Information/... -> none)"""


class LabelledFileError(ValueError):
    """A labelled file that cannot be read as one of the formats; the message says where and why."""


@dataclass
class LabelledSet:
    """Examples ``(text, class)`` read from a file, and how many rows were left out on purpose."""

    examples: list[tuple[str, str]] = field(default_factory=list)
    skipped: int = 0

    def classes(self) -> list[str]:
        """The labels, sorted."""
        return sorted({c for _, c in self.examples})


def _label(value: object, where: str) -> str:
    if value is None:
        return NO_DRUG
    if not isinstance(value, str):
        raise LabelledFileError(f"{where}: \"class\" must be a string or null, not {type(value).__name__}")
    label = value.strip()
    return label if label and label.lower() != NO_DRUG else NO_DRUG


def _text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise LabelledFileError(f"{where}: \"text\" must be a non-empty string")
    return value


def read_labelled_lines(lines: Iterable[str], name: str) -> LabelledSet:
    """Read JSON Lines ``{"text", "class"}`` rows; ``name`` is used in error messages."""
    out = LabelledSet()
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{name}, line {lineno}"
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise LabelledFileError(f"{where}: not JSON ({exc})") from None
        if not isinstance(row, dict) or "text" not in row or "class" not in row:
            raise LabelledFileError(f"{where}: expected an object with \"text\" and \"class\"")
        out.examples.append((_text(row["text"], where), _label(row["class"], where)))
    return out


def read_labelled_csv(fh: IO[str], name: str) -> LabelledSet:
    """Read a CSV with ``text,class`` columns or with Agora's ``product,cat,subcat,subsubcat``."""
    reader = csv.DictReader(fh)
    columns = set(reader.fieldnames or ())
    agora = {"product", "cat"} <= columns
    if not agora and not {"text", "class"} <= columns:
        raise LabelledFileError(f"{name}: a CSV needs the columns text,class or product,cat[,subcat,subsubcat] "
                                f"(found {', '.join(sorted(columns)) or 'none'})")
    out = LabelledSet()
    for rowno, row in enumerate(reader, 2):
        where = f"{name}, row {rowno}"
        if not agora:
            out.examples.append((_text(row["text"], where), _label(row["class"], where)))
            continue
        path = [row.get(k) or "" for k in ("cat", "subcat", "subsubcat")]
        label = category_class(path)
        if label is None:
            out.skipped += 1
            continue
        out.examples.append((_text(row["product"], where), label))
    return out


def read_labelled(path: str | Path) -> LabelledSet:
    """Read a labelled file (``.jsonl`` or ``.csv``, UTF-8); see the module docstring for the shapes."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".jsonl", ".csv"):
        raise LabelledFileError(f"{path}: give a .jsonl or .csv file\n{FORMAT_HELP}")
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            out = read_labelled_lines(fh, str(path)) if suffix == ".jsonl" else read_labelled_csv(fh, str(path))
    except OSError as exc:
        raise LabelledFileError(f"{path}: {exc.strerror or exc}; check the path") from None
    except UnicodeDecodeError as exc:
        raise LabelledFileError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start}); re-encode it") from None
    if not out.examples:
        raise LabelledFileError(f"{path}: no labelled rows ({out.skipped} left out)")
    return out
