"""Finding the WARC file an evidence pointer names, wherever the data directory has been copied.

A pointer (``Evidence.warc_file``) written since pointers became portable is relative to the data
directory (``warc/empire-...-00000.warc.gz``, :func:`onionwatch.core.layout.evidence_pointer`).
Older records and stores hold the path as the crawl saw it: relative to the folder the crawl ran
in (``onionwatch-data/warc/...``) or absolute. Both are read, in this order:

1. a relative pointer, against the data directory;
2. the pointer's file name in the data directory's ``warc`` folder (an older pointer into a case
   folder that was copied or moved: the copy's own evidence is used, never the original's);
3. the pointer as a path of its own (an archive kept outside any data directory).

>>> import tempfile
>>> from pathlib import Path
>>> data = Path(tempfile.mkdtemp())
>>> (data / "warc").mkdir(); (data / "warc" / "m-c1-00000.warc.gz").write_bytes(b"")
0
>>> warc_path("warc/m-c1-00000.warc.gz", data) == data / "warc" / "m-c1-00000.warc.gz"
True
>>> warc_path("/old/place/onionwatch-data/warc/m-c1-00000.warc.gz", data) == data / "warc" / "m-c1-00000.warc.gz"
True
>>> warc_path("warc/gone.warc.gz", data)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
FileNotFoundError: [Errno 2] WARC file 'warc/gone.warc.gz' is not in the data directory ...
"""
from __future__ import annotations

import errno
import os
from pathlib import Path

from onionwatch.core.config import load_config
from onionwatch.core.layout import WARC_DIR, evidence_pointer

__all__ = ["warc_path", "evidence_pointer", "portable_pointer"]


def warc_path(pointer: str | os.PathLike, data_dir: str | os.PathLike | None = None) -> Path:
    """The WARC file ``pointer`` names, resolved against ``data_dir`` (default: the configured data
    directory, ``$ONIONWATCH_DATA_DIR`` or ``./onionwatch-data``). Raises ``FileNotFoundError``
    naming the pointer and the data directory when no candidate exists."""
    data = Path(data_dir) if data_dir is not None else load_config().data_dir
    given = Path(pointer)
    candidates = ([data / given] if not given.is_absolute() else []) + [data / WARC_DIR / given.name, given]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(errno.ENOENT, f"WARC file {str(pointer)!r} is not in the data directory {str(data)!r}"
                            f" (looked for {', '.join(str(c) for c in dict.fromkeys(candidates))}): give the case"
                            " folder that holds it with --data-dir")


def portable_pointer(pointer: str, data_dir: str | os.PathLike | None = None) -> str:
    """``pointer`` in today's form (relative to the data directory) when it names a file of that
    directory's ``warc`` folder; else unchanged. How older records are migrated as they are indexed."""
    try:
        found = warc_path(pointer, data_dir)
    except FileNotFoundError:
        return pointer
    data = Path(data_dir) if data_dir is not None else load_config().data_dir
    if found.parent == data / WARC_DIR:
        return evidence_pointer(found)
    return pointer
