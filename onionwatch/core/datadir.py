"""Finding the data directory to read, from any working directory, without creating one.

Readers (the notebooks, ``onionwatch notebooks``) call :func:`find_data_dir`. It answers, in order:

1. ``$ONIONWATCH_DATA_DIR`` when it is set (it always wins; it must hold data);
2. the data directory the last ``onionwatch demo`` made, which the demo records in a one-line
   pointer file of the user, ``$XDG_STATE_HOME/onionwatch/data-dir`` (default
   ``~/.local/state/onionwatch/data-dir``; :func:`remember_data_dir` writes it);
3. an ``onionwatch-data`` folder holding data in the working directory or any folder above it
   (Jupyter runs a notebook in ``notebooks/``, one level below the checkout's ``onionwatch-data``).

A folder "holds data" when it has the search store or crawl records (:func:`holds_data`); a
pointer to a folder that was deleted or emptied is passed over. With no data anywhere it raises
:class:`NoDataError`, which says what to do, and it never creates a folder.

>>> import tempfile
>>> root = Path(tempfile.mkdtemp())
>>> (root / "onionwatch-data").mkdir(); (root / "onionwatch-data" / "onionwatch.sqlite3").write_bytes(b"")
0
>>> (root / "notebooks").mkdir()
>>> env = {"HOME": str(root / "home")}  # no ONIONWATCH_* variables, nothing remembered
>>> find_data_dir(root / "notebooks", environ=env) == root / "onionwatch-data"
True
>>> elsewhere = Path(tempfile.mkdtemp())
>>> find_data_dir(elsewhere, environ=env)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
onionwatch.core.datadir.NoDataError: no onionwatch data found ...
>>> list(elsewhere.iterdir()), (root / "home").exists()  # nothing was created
([], False)
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from onionwatch.core import layout

__all__ = ["NoDataError", "DATA_DIR_NAME", "find_data_dir", "holds_data", "pointer_file", "remember_data_dir",
           "state_dir"]

#: The folder ``onionwatch demo`` and ``onionwatch crawl`` write in the working directory by default.
DATA_DIR_NAME = "onionwatch-data"
_STORE_FILE = "onionwatch.sqlite3"


class NoDataError(LookupError):
    """No data directory to read: nothing crawled yet, or a setting that names an empty folder."""


def holds_data(folder: str | os.PathLike) -> bool:
    """Whether ``folder`` is a data directory with something in it: the search store, or crawl
    records in its items folder."""
    path = Path(folder)
    if (path / _STORE_FILE).is_file():
        return True
    items = path / layout.ITEMS_DIR
    return items.is_dir() and any(items.glob(layout.records_glob()))


def state_dir(environ: Mapping[str, str] | None = None) -> Path:
    """onionwatch's folder of the user's state: ``$XDG_STATE_HOME/onionwatch``, default
    ``~/.local/state/onionwatch`` (it may not exist yet)."""
    env = os.environ if environ is None else environ
    state = env.get("XDG_STATE_HOME") or os.path.join(env.get("HOME") or os.path.expanduser("~"), ".local", "state")
    return Path(state) / "onionwatch"


def pointer_file(environ: Mapping[str, str] | None = None) -> Path:
    """The user's file naming the data directory the last demo made."""
    return state_dir(environ) / "data-dir"


def remember_data_dir(folder: str | os.PathLike, environ: Mapping[str, str] | None = None) -> Path:
    """Record ``folder`` (made absolute) as the data directory readers find; returns the pointer
    file. The demo calls this once its data is complete."""
    pointer = pointer_file(environ)
    pointer.parent.mkdir(parents=True, exist_ok=True)
    pointer.write_text(str(Path(folder).resolve()) + "\n", encoding="utf-8")
    return pointer


def _remembered(environ: Mapping[str, str]) -> Path | None:
    try:
        text = pointer_file(environ).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return Path(text) if text and holds_data(text) else None


def find_data_dir(start: str | os.PathLike | None = None, *, environ: Mapping[str, str] | None = None) -> Path:
    """The data directory to read (see the module's docstring for the order), looking upwards
    from ``start`` (default: the working directory). Raises :class:`NoDataError` when there is
    none; never creates a folder."""
    env = os.environ if environ is None else environ
    given = env.get("ONIONWATCH_DATA_DIR")
    if given:
        folder = Path(given).expanduser()
        if not holds_data(folder):
            raise NoDataError(f"ONIONWATCH_DATA_DIR={given} holds no onionwatch data (no search store, no"
                              " crawl records): run `make demo`, or point ONIONWATCH_DATA_DIR at a data directory")
        return folder.absolute()
    remembered = _remembered(env)
    if remembered is not None:
        return remembered
    here = Path(start if start is not None else os.getcwd()).absolute()
    for folder in (here, *here.parents):
        if holds_data(folder / DATA_DIR_NAME):
            return folder / DATA_DIR_NAME
    raise NoDataError(f"no onionwatch data found (not in $ONIONWATCH_DATA_DIR, not remembered in"
                      f" {pointer_file(env)}, no {DATA_DIR_NAME}/ in {here} or above): run `make demo`,"
                      " or set ONIONWATCH_DATA_DIR to a data directory")
