"""JupyterLab on the investigator notebooks: what ``onionwatch notebooks`` (and ``make notebooks``) start.

JupyterLab 4 (the ``notebooks`` extra) serves the checkout's ``notebooks/`` folder on 127.0.0.1
only, behind a token, with its kernels pointed at one data directory (``ONIONWATCH_DATA_DIR`` in
their environment, found by :func:`onionwatch.core.datadir.find_data_dir` unless given). It
reaches no other host: no update check, no news feed, a read-only extension manager (nothing is
looked up on PyPI), and every extension it loads (ipywidgets, ipysigma) is prebuilt in its wheel.
The token travels in the server's environment (``JUPYTER_TOKEN``), not on its command line.
Jupyter's checkpoints (the copy it keeps of a notebook when it opens or saves it) go to the user's
state folder (:func:`checkpoint_dir`), not into the checkout's ``notebooks/.ipynb_checkpoints``.

>>> cmd = lab_command(Path("/repo/notebooks"), port=8888)
>>> cmd[1:3], "--ServerApp.ip=127.0.0.1" in cmd, "--LabApp.news_url=None" in cmd
(['-m', 'jupyterlab'], True, True)
>>> lab_url(8888, "t0k")
'http://127.0.0.1:8888/lab?token=t0k'
"""
from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

__all__ = ["notebooks_dir", "checkpoint_dir", "lab_command", "lab_environment", "lab_url", "new_token", "jupyterlab_missing"]

HOST = "127.0.0.1"


def notebooks_dir() -> Path:
    """The checkout's ``notebooks/`` folder (beside the installed ``onionwatch`` package: an
    editable install, as ``make`` makes). FileNotFoundError saying what to do when missing."""
    import onionwatch

    folder = Path(onionwatch.__file__).resolve().parents[1] / "notebooks"
    if not folder.is_dir():
        raise FileNotFoundError(f"no notebooks folder at {folder}: the notebooks come with a checkout of"
                                " onionwatch (git clone, then `make notebooks`), or give one with --notebook-dir")
    return folder


def jupyterlab_missing() -> str | None:
    """What to do when JupyterLab or the graph widget is not installed; None when they are."""
    import importlib.util

    missing = [name for name in ("jupyterlab", "ipysigma") if importlib.util.find_spec(name) is None]
    if not missing:
        return None
    return (f"{' and '.join(missing)} not installed: run `make notebooks`, or"
            " `.venv/bin/pip install -e '.[notebooks]'` then `onionwatch notebooks`")


def new_token() -> str:
    """A random token for one JupyterLab session."""
    return secrets.token_urlsafe(24)


def checkpoint_dir() -> Path:
    """Where JupyterLab keeps notebook checkpoints: ``<user state>/onionwatch/notebook-checkpoints``."""
    from onionwatch.core.datadir import state_dir

    return state_dir() / "notebook-checkpoints"


def lab_command(notebook_dir: Path, *, port: int, as_root: bool | None = None) -> list[str]:
    """The JupyterLab command line (this Python's ``jupyterlab``), serving ``notebook_dir``.
    ``as_root`` (default: whether this process runs as root, as in many containers) lets
    JupyterLab start as root, which it otherwise refuses."""
    if as_root is None:
        as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    return [sys.executable, "-m", "jupyterlab", "--no-browser",
            f"--ServerApp.ip={HOST}", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
            f"--ServerApp.root_dir={notebook_dir}", f"--FileCheckpoints.checkpoint_dir={checkpoint_dir()}",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.news_url=None", "--LabApp.extension_manager=readonly"] + (
            ["--ServerApp.allow_root=True"] if as_root else [])


def lab_environment(data_dir: Path, token: str, base: dict[str, str] | None = None) -> dict[str, str]:
    """The server's environment: ``base`` (default this one's) with the token and the data
    directory its kernels read."""
    env = dict(os.environ if base is None else base)
    env.update(JUPYTER_TOKEN=token, ONIONWATCH_DATA_DIR=str(Path(data_dir).absolute()))
    return env


def lab_url(port: int, token: str) -> str:
    """The address that opens JupyterLab (it carries the token)."""
    return f"http://{HOST}:{port}/lab?token={token}"
