"""A disk spool of bulk actions Elasticsearch did not take, replayed when it is back.

Actions are appended as JSON Lines and fsynced before :meth:`Spool.add` returns, so a write the
indexer has accepted is either acknowledged by Elasticsearch or on disk. :meth:`Spool.take` moves
the spool aside (``*.replaying``) and hands its actions to the caller, which re-sends them and
spools again whatever fails; :meth:`Spool.done` deletes the taken file. A crash between the two
leaves the ``.replaying`` file, which the next :meth:`take` picks up again: document ids are
idempotent, so sending an action twice is harmless.

>>> import tempfile
>>> spool = Spool(tempfile.mkdtemp())
>>> spool.add([{"_index": "i", "_id": "1", "_source": {"a": 1}}])
>>> spool.pending()
1
>>> [a["_id"] for a in spool.take()]
['1']
>>> spool.done()
>>> spool.pending()
0
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any, Iterable, Iterator

from onionwatch.core.jsonl import read_jsonl

__all__ = ["Spool"]


class Spool:
    """Spooled bulk actions in one directory: ``pending.jsonl``, ``*.replaying``, ``rejected.jsonl``."""

    def __init__(self, directory: str | os.PathLike) -> None:
        self.directory = Path(directory)
        self.path = self.directory / "pending.jsonl"
        self.rejected_path = self.directory / "rejected.jsonl"
        self._taken: list[Path] = []

    def add(self, actions: Iterable[dict[str, Any]]) -> None:
        """Append actions durably (fsync)."""
        lines = [json.dumps(a, ensure_ascii=False, separators=(",", ":")) + "\n" for a in actions]
        if lines:
            self._append(self.path, lines)

    def reject(self, actions: Iterable[tuple[dict[str, Any], str]]) -> None:
        """Keep actions Elasticsearch refused for good (e.g. a mapping error), with the reason."""
        lines = [json.dumps({"action": a, "error": why}, ensure_ascii=False) + "\n" for a, why in actions]
        if lines:
            self._append(self.rejected_path, lines)

    def _append(self, path: Path, lines: list[str]) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as fh:
            fh.writelines(lines)
            fh.flush()
            os.fsync(fh.fileno())

    def pending(self) -> int:
        """How many actions wait (in the spool and in taken files not yet done)."""
        return sum(_count_lines(p) for p in self._files())

    def rejected(self) -> int:
        return _count_lines(self.rejected_path)

    def _files(self) -> list[Path]:
        if not self.directory.is_dir():
            return []
        return sorted(self.directory.glob("*.replaying")) + ([self.path] if self.path.exists() else [])

    def take(self) -> Iterator[dict[str, Any]]:
        """Move every waiting action aside and yield them; call :meth:`done` once they are re-sent."""
        if self.path.exists():
            aside = self.directory / f"{time.time_ns()}.replaying"
            os.replace(self.path, aside)
        self._taken = sorted(self.directory.glob("*.replaying")) if self.directory.is_dir() else []
        for path in self._taken:  # a torn last line was never acknowledged as spooled
            yield from read_jsonl(path, partial_tail="ignore")

    def done(self) -> None:
        """Forget the actions handed out by the last :meth:`take` (they are sent or spooled again)."""
        for path in self._taken:
            path.unlink(missing_ok=True)
        self._taken = []


def _count_lines(path: Path) -> int:
    try:
        with open(path, "rb") as fh:
            return sum(block.count(b"\n") for block in iter(lambda: fh.read(1 << 20), b""))
    except FileNotFoundError:
        return 0
