"""What reaches the analyst's terminal: market text made inert, and a closed pipe ended quietly.

Titles, vendor handles and descriptions are written by the markets, and a terminal obeys control
characters: ``ESC ] 0 ;`` retitles the window, ``ESC [ 2 J`` clears it, a carriage return
overwrites a line, and a right-to-left override (U+202E) makes ``gpj.exe`` read ``exe.jpg``. Every
character that a terminal would act on instead of showing is replaced by its escape, ``\\uXXXX``:

- C0 controls (U+0000-U+001F) except newline and tab, DEL (U+007F) and C1 controls (U+0080-U+009F);
- bidirectional controls (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069);
- invisible characters that make two handles look alike (U+00AD, U+180E, U+200B, U+2060-U+2064, U+FEFF).

The ``\\uXXXX`` form is JSON's own escape, so JSON written through :func:`safe_output` still parses
to exactly the same data (``json.dumps`` already escapes C0 controls; this also covers C1 and bidi
characters), while a person reading the text sees where a control character was.

:func:`safe_output` wraps ``sys.stdout`` and ``sys.stderr`` for the length of one command: the one
place every command's output passes through. A reader that goes away (``onionwatch search x |
head``) ends the command quietly (:func:`quiet_broken_pipe`, Python's documented SIGPIPE recipe).

>>> inert("Pills\\x1b]0;owned\\x07 by \\u202eDrWhite")
'Pills\\\\u001b]0;owned\\\\u0007 by \\\\u202eDrWhite'
>>> inert("two\\nlines\\tand a tab")
'two\\nlines\\tand a tab'
>>> import json
>>> json.loads(inert(json.dumps({"t": "a\\x9bb\\u202e"}, ensure_ascii=False)))["t"] == "a\\x9bb\\u202e"
True
"""
from __future__ import annotations

import io
import os
import re
import sys
from contextlib import contextmanager
from typing import Iterator, TextIO

__all__ = ["inert", "SafeStream", "safe_output", "quiet_broken_pipe"]

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e"
                     "\u2060-\u2064\u2066-\u2069\ufeff]")


def _escape(match: re.Match) -> str:
    return f"\\u{ord(match.group()):04x}"


def inert(text: str) -> str:
    """``text`` with every character a terminal would act on replaced by its ``\\uXXXX`` escape."""
    return _UNSAFE.sub(_escape, text)


class SafeStream(io.TextIOBase):
    """A text stream that writes :func:`inert` text to the stream it wraps."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(inert(text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def fileno(self) -> int:
        return self.stream.fileno()

    def isatty(self) -> bool:
        return self.stream.isatty()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.stream, "encoding", "utf-8")

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self.stream, "errors", None)

    @property
    def buffer(self):
        return self.stream.buffer  # raw bytes bypass the filter: only for data files, never for text


@contextmanager
def safe_output() -> Iterator[None]:
    """Route ``sys.stdout`` and ``sys.stderr`` through :class:`SafeStream` while the block runs."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(sys.stdout), SafeStream(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def quiet_broken_pipe() -> int:
    """After a ``BrokenPipeError`` on stdout: point stdout at /dev/null so the interpreter's last
    flush cannot raise again, and return the exit status 1 (Python's documented SIGPIPE recipe)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno())
    except (OSError, AttributeError, ValueError):  # no real stdout (an embedding, a test's capture)
        pass
    return 1
