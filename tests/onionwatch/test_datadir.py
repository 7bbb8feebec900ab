"""Finding the data directory to read (onionwatch.core.datadir) and `onionwatch notebooks` without data:
the lookup order, pointers that went stale, the message when there is no data, and no folder created."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from onionwatch.app.insights import Data
from onionwatch.core.datadir import NoDataError, find_data_dir, holds_data, pointer_file, remember_data_dir


def make_data(folder: Path) -> Path:
    (folder / "items").mkdir(parents=True)
    (folder / "items" / "empire-c1.jsonl").write_text("{}\n", encoding="utf-8")
    return folder


@pytest.fixture
def world(tmp_path):
    """A checkout with its demo data, a case folder elsewhere, and an empty home."""
    checkout = tmp_path / "checkout"
    (checkout / "notebooks").mkdir(parents=True)
    make_data(checkout / "onionwatch-data")
    case = make_data(tmp_path / "cases" / "17")
    home = tmp_path / "home"
    home.mkdir()
    return checkout, case, {"HOME": str(home)}


def test_the_checkout_data_is_found_from_its_notebooks_folder(world):
    checkout, _, env = world
    assert find_data_dir(checkout / "notebooks", environ=env) == checkout / "onionwatch-data"
    assert find_data_dir(checkout, environ=env) == checkout / "onionwatch-data"


def test_the_data_the_demo_remembered_comes_before_the_folders_above(world):
    checkout, case, env = world
    pointer = remember_data_dir(case, environ=env)
    assert pointer == Path(env["HOME"]) / ".local" / "state" / "onionwatch" / "data-dir"
    assert find_data_dir(checkout / "notebooks", environ=env) == case.resolve()
    state = {**env, "XDG_STATE_HOME": str(Path(env["HOME"]) / "state")}
    assert pointer_file(state) == Path(env["HOME"]) / "state" / "onionwatch" / "data-dir"
    assert find_data_dir(checkout / "notebooks", environ=state) == checkout / "onionwatch-data"  # none there yet


def test_the_environment_wins_and_must_hold_data(world, tmp_path):
    checkout, case, env = world
    remember_data_dir(checkout / "onionwatch-data", environ=env)
    assert find_data_dir(checkout, environ={**env, "ONIONWATCH_DATA_DIR": str(case)}) == case
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(NoDataError, match="holds no onionwatch data"):
        find_data_dir(checkout, environ={**env, "ONIONWATCH_DATA_DIR": str(empty)})
    assert list(empty.iterdir()) == []


def test_a_stale_pointer_is_passed_over(world):
    checkout, case, env = world
    remember_data_dir(case, environ=env)
    for path in sorted(case.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    assert not holds_data(case)
    assert find_data_dir(checkout / "notebooks", environ=env) == checkout / "onionwatch-data"


def test_no_data_anywhere_says_what_to_do_and_creates_nothing(tmp_path):
    lost = tmp_path / "lost"
    lost.mkdir()
    env = {"HOME": str(tmp_path / "home")}
    with pytest.raises(NoDataError, match=r"run `make demo`, or set ONIONWATCH_DATA_DIR"):
        find_data_dir(lost, environ=env)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lost"] and not any(lost.iterdir())


def test_data_open_never_creates_a_folder(tmp_path, monkeypatch):
    for name in [n for n in os.environ if n.startswith(("ONIONWATCH_", "XDG_"))]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(NoDataError):
        Data.open()
    with pytest.raises(FileNotFoundError, match="make demo"):
        Data.open(tmp_path / "nowhere")
    assert list(tmp_path.iterdir()) == []


def test_onionwatch_notebooks_without_data_stops_with_the_remedy(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ONIONWATCH_", "XDG_"))}
    env["HOME"] = str(tmp_path / "home")
    result = subprocess.run([sys.executable, "-m", "onionwatch.app.cli", "notebooks"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "run `make demo`, or set ONIONWATCH_DATA_DIR" in result.stderr
    assert list(tmp_path.iterdir()) == []
