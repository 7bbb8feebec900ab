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

Lines are read as bytes: a line that is not UTF-8 is a bad line like any other, and a line longer
than ``max_line_bytes`` (default :data:`MAX_LINE_BYTES`) is refused without being held in memory.
Only regular files are read: a named pipe or a device raises :class:`NotAFile` (an ``OSError``)
instead of waiting for a writer that may never come (:func:`open_regular`).

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
>>> with open(path, "wb") as fh:
...     _ = fh.write(b'{"a": 1}\\n\\xff\\n{"b": "' + b"x" * 100 + b'"}\\n')
>>> bad = []
>>> list(read_jsonl(path, on_error=bad, max_line_bytes=50)), [(b.line, b.reason[:29]) for b in bad]
([{'a': 1}], [(2, 'not UTF-8 (invalid start byte'), (3, 'longer than 50 bytes: refused')])
>>> with open(path, "w") as fh:
...     _ = fh.write('{"kind": "listing"}\\n\\nnot json\\n')
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
import stat
import zlib
from dataclasses import dataclass
from typing import IO, Any, Callable, Iterator, Literal, Union

__all__ = ["BadLine", "JsonLinesError", "NotAFile", "OnError", "MAX_LINE_BYTES", "read_jsonl", "numbered_jsonl",
           "log_bad_line", "open_regular", "read_lines"]

log = logging.getLogger(__name__)

#: The longest line read (bytes). Above extraction's page limit (10 MB of HTML, which JSON escaping
#: can make a few times longer) so a record holding a whole page is read, yet one runaway line
#: (a 99 MB line took 417 MB of memory as a string and its parse) is refused as a bad line.
MAX_LINE_BYTES = 64 * 1024 * 1024

_CHUNK = 1 << 20


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


class NotAFile(OSError):
    """A path that is not a regular file (a named pipe, a device, a socket, a folder)."""


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def open_regular(path: str | os.PathLike) -> IO[bytes]:
    """Open ``path`` for reading bytes, refusing anything but a regular file with :class:`NotAFile`.

    The file is opened without blocking and checked before a byte is read, so a named pipe with no
    writer is refused at once instead of hanging the command.

    >>> open_regular("/dev/null")
    Traceback (most recent call last):
    ...
    onionwatch.core.jsonl.NotAFile: /dev/null: a character device, not a regular file: give a file
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = next((name for test, name in _KINDS if test(mode)), "not a file")
            raise NotAFile(f"{os.fspath(path)}: {kind}, not a regular file: give a file")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_lines(fh: IO[bytes], max_line_bytes: int = MAX_LINE_BYTES) -> Iterator[tuple[int, bytes | None]]:
    """``(line number, bytes)`` for each line of a binary file, ``None`` in place of a line longer than
    ``max_line_bytes`` (which is read past in chunks, never held whole). The newline is kept, so a
    last line without one can be told apart."""
    number = 0
    while True:
        line = fh.readline(max_line_bytes + 1)
        if not line:
            return
        number += 1
        if len(line) > max_line_bytes and not line.endswith(b"\n"):
            while (rest := fh.readline(_CHUNK)) and not rest.endswith(b"\n"):
                pass
            yield number, None
            continue
        yield number, line


def numbered_jsonl(path: str | os.PathLike, *, on_error: OnError = None,
                   partial_tail: Literal["read", "ignore"] = "read",
                   max_line_bytes: int = MAX_LINE_BYTES) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, object)`` for each record of ``path``, bad lines handed to ``on_error``.

    Raises ``OSError`` (:class:`NotAFile` for a pipe or device) when the file cannot be opened; a
    gzip file damaged part way is a bad line where the damage starts, and reading ends there.
    """
    with open_regular(path) as raw:
        stream: IO[bytes] = gzip.GzipFile(fileobj=raw, mode="rb") if str(path).endswith(".gz") else raw
        lines = read_lines(stream, max_line_bytes)
        number = 0
        while True:
            try:
                number, line = next(lines)
            except StopIteration:
                return
            except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
                _report(BadLine(str(path), number + 1, f"the gzip stream is damaged here ({exc})"), on_error)
                return
            if line is None:
                _report(BadLine(str(path), number, f"longer than {max_line_bytes:,} bytes: refused"), on_error)
                continue
            if partial_tail == "ignore" and not line.endswith(b"\n"):
                return
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                _report(BadLine(str(path), number, f"not UTF-8 ({exc.reason} at column {exc.start + 1})"), on_error)
                continue
            if not text.strip():
                continue
            try:
                record = json.loads(text)
            except ValueError as exc:
                _report(BadLine(str(path), number, str(exc)), on_error)
                continue
            if not isinstance(record, dict):
                _report(BadLine(str(path), number, "not a JSON object"), on_error)
                continue
            yield number, record


def read_jsonl(path: str | os.PathLike, *, on_error: OnError = None,
               partial_tail: Literal["read", "ignore"] = "read",
               max_line_bytes: int = MAX_LINE_BYTES) -> Iterator[dict[str, Any]]:
    """Each record (a JSON object) of ``path``, bad lines handed to ``on_error`` (see the module)."""
    for _, record in numbered_jsonl(path, on_error=on_error, partial_tail=partial_tail,
                                    max_line_bytes=max_line_bytes):
        yield record
