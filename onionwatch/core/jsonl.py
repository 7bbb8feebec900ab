"""The one JSON Lines reader, with one error policy.

Every JSON Lines file onionwatch writes (crawl records, digest logs, the spool, schedule history,
network audits) holds one JSON object a line. A line that is not one is never a crash in the middle
of a loop and never silently skipped: it becomes a :class:`BadLine` naming the file and the line,
handed to the caller's ``on_error``:

- ``on_error=None`` (the default): raise :class:`JsonLinesError` (a ``ValueError``) at that line;
- a list: append the :class:`BadLine` and read on;
- a callable: call it with the :class:`BadLine` and read on (count it, log it, collect its text).

Blank lines are not records and are passed over. ``partial_tail="ignore"`` is for files appended
record by record and flushed, where a last line without its newline is a write cut off by a crash,
never acknowledged, and so not a record (the digest log, the spool). Files ending in ``.gz`` are
read through gzip.

>>> import os, tempfile
>>> path = os.path.join(tempfile.mkdtemp(), "r.jsonl")
>>> with open(path, "w") as fh:
...     _ = fh.write('{"kind": "listing"}\\n\\nnot json\\n[1]\\n{"kind": "vendor"}')
>>> bad = []
>>> [r["kind"] for r in read_jsonl(path, on_error=bad)]
['listing', 'vendor']
>>> [(b.line, b.reason) for b in bad]
[(3, 'Expecting value: line 1 column 1 (char 0)'), (4, 'not a JSON object')]
>>> [n for n, _ in numbered_jsonl(path, on_error=lambda b: None, partial_tail="ignore")]
[1]
>>> list(read_jsonl(path))  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
onionwatch.core.jsonl.JsonLinesError: .../r.jsonl:3: unreadable record (Expecting value: line 1 column 1 (char 0))
"""
from __future__ import annotations

import gzip
import json
import logging
import os
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Literal, Union

__all__ = ["BadLine", "JsonLinesError", "OnError", "read_jsonl", "numbered_jsonl", "log_bad_line"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BadLine:
    """A line of a JSON Lines file that is not a JSON object: where it is and why."""

    path: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: unreadable record ({self.reason})"


class JsonLinesError(ValueError):
    """A JSON Lines file has a line that is not a JSON object (raised when no ``on_error`` is given)."""

    def __init__(self, bad: BadLine) -> None:
        super().__init__(str(bad))
        self.bad = bad


OnError = Union[None, list, Callable[[BadLine], Any]]


def log_bad_line(bad: BadLine) -> None:
    """An ``on_error`` for readers that read on: a warning naming the file and line."""
    log.warning("%s", bad)


def _report(bad: BadLine, on_error: OnError) -> None:
    if on_error is None:
        raise JsonLinesError(bad)
    if isinstance(on_error, list):
        on_error.append(bad)
    else:
        on_error(bad)


def numbered_jsonl(path: str | os.PathLike, *, on_error: OnError = None,
                   partial_tail: Literal["read", "ignore"] = "read") -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, object)`` for each record of ``path``, bad lines handed to ``on_error``."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if partial_tail == "ignore" and not line.endswith("\n"):
                return
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as exc:
                _report(BadLine(str(path), number, str(exc)), on_error)
                continue
            if not isinstance(record, dict):
                _report(BadLine(str(path), number, "not a JSON object"), on_error)
                continue
            yield number, record


def read_jsonl(path: str | os.PathLike, *, on_error: OnError = None,
               partial_tail: Literal["read", "ignore"] = "read") -> Iterator[dict[str, Any]]:
    """Each record (a JSON object) of ``path``, bad lines handed to ``on_error`` (see the module)."""
    for _, record in numbered_jsonl(path, on_error=on_error, partial_tail=partial_tail):
        yield record
