"""Shared fixtures: freshly generated demo data (the sandbox crawled, extracted, indexed, linked) and
its ground truth, made once per test session for the insights, report and notebook tests."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

#: Property tests (tests/properties): derandomised with a fixed budget in CI, so a run is
#: repeatable and the whole property suite stays under about a minute; at random elsewhere.
settings.register_profile("ci", derandomize=True, max_examples=300, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

#: The demo data set every insights, report and notebook test reads: made once per test session
#: (kept in the session temp folder, so a second request finds it there).
SEED = 7


def demo_home_of(tmp_path_factory) -> Path:
    """The home folder the session's demo runs with: the demo remembers its data directory there
    (onionwatch.core.datadir), never in the developer's own home."""
    return tmp_path_factory.getbasetemp() / "insights-demo-home"


def _demo_data(tmp_path_factory) -> Path:
    folder = tmp_path_factory.getbasetemp() / "insights-demo-data"
    done = folder / "demo-done"
    if not done.exists():
        folder.mkdir(parents=True, exist_ok=True)
        home = demo_home_of(tmp_path_factory)
        home.mkdir(exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
        result = subprocess.run(
            [sys.executable, "-m", "onionwatch.app.cli", "demo", "--seed", str(SEED), "--data-dir", str(folder)],
            capture_output=True, text=True, timeout=600, env={**env, "ONIONWATCH_ES_URL": "", "HOME": str(home)})
        assert result.returncode == 0, result.stderr[-3000:]
        done.write_text("ok")
    return folder


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory) -> Path:
    return _demo_data(tmp_path_factory)


@pytest.fixture(scope="session")
def demo_home(demo_dir, tmp_path_factory) -> Path:
    """The isolated home of the session's demo: it holds the demo's pointer to ``demo_dir``."""
    return demo_home_of(tmp_path_factory)


@pytest.fixture(scope="session")
def truth(demo_dir) -> list[dict]:
    with open(demo_dir / "sandbox-truth.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


#: The sandbox's own names of fentanyl-watch products (its vocabulary, not the extractor's).
TRUTH_WATCH_PRODUCTS = {"fentanyl", "carfentanil", "acetylfentanyl", "furanylfentanyl", "m30_pressed"}


def truth_watch_counts(truth: list[dict]) -> dict[str, int]:
    """Fentanyl-watch listings per vendor handle, by the sandbox's ground truth, most first."""
    counts: dict[str, int] = {}
    for record in truth:
        if record["type"] == "listing" and (record["product"] in TRUTH_WATCH_PRODUCTS
                                            or "fentanyl" in record["drug"] or record["drug_class"] == "nitazene"):
            counts[record["vendor"]] = counts.get(record["vendor"], 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def assert_top_watch_vendors(found: list[str], truth: list[dict]) -> None:
    """The top fentanyl vendors found agree with the truth: same leader, 4 of the true top 5."""
    expected = list(truth_watch_counts(truth))
    assert found[0] == expected[0], (found[:5], expected[:5])
    assert len(set(found[:5]) & set(expected[:5])) >= 4, (found[:5], expected[:5])


@pytest.fixture(scope="session")
def check_top_watch_vendors(truth):
    """Call with the vendor handles found, most fentanyl-watch listings first."""
    return lambda found: assert_top_watch_vendors(found, truth)


def truth_watch_actors(truth: list[dict]) -> list[set[str]]:
    """The accounts (``market/handle``) of each actor, most fentanyl-watch listings first."""
    actor_of = {(r["market"], r["handle"]): r["actor_id"] for r in truth if r["type"] == "vendor"}
    counts: dict[str, int] = {}
    for record in truth:
        if record["type"] == "listing" and (record["product"] in TRUTH_WATCH_PRODUCTS
                                            or "fentanyl" in record["drug"] or record["drug_class"] == "nitazene"):
            actor = actor_of[(record["market"], record["vendor"])]
            counts[actor] = counts.get(actor, 0) + 1
    order = sorted(counts, key=lambda a: (-counts[a], a))
    return [{f"{m}/{h}" for (m, h), a in actor_of.items() if a == actor} for actor in order]


@pytest.fixture(scope="session")
def true_watch_actors(truth) -> list[set[str]]:
    return truth_watch_actors(truth)
