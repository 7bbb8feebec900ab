"""``onionwatch schedule``: APScheduler runs the market's crawls; each run's report is in the history,
with listings new/changed/gone against the previous run, as the ground truth moved."""
from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
import yaml

from onionwatch.pipeline.schedule import ScheduleError, load_schedule, read_history
from onionwatch.sandbox import build_world, serve, write_truth

from .crawl_helpers import write_profile


def truth_ids(world, path) -> set[str]:
    write_truth(world, path)
    return {t["listing_id"] for t in map(json.loads, path.read_text().splitlines()) if t["type"] == "listing"}


def test_scheduled_runs_and_their_reports(tmp_path):
    world = build_world(46, vendors=4, listings=30)
    data = tmp_path / "data"
    with serve(world) as server:
        profile = write_profile(tmp_path, name="sched-market", base_url=server.url)
        (tmp_path / "s.yaml").write_text(yaml.safe_dump({"markets": [
            {"profile": str(profile), "every": "8s", "index": False, "concurrency": 4}]}))
        day0 = truth_ids(world, tmp_path / "t0.jsonl")
        scheduler = subprocess.Popen([sys.executable, "-m", "onionwatch.app.cli", "schedule", "run", str(tmp_path / "s.yaml"),
                                      "--max-runs", "2", "--data-dir", str(data)],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while not read_history(data) and time.monotonic() < deadline and scheduler.poll() is None:
            time.sleep(0.1)
        world.clock.advance(days=2)  # before the second run: listings come and go, stock and feedback move
        day2 = truth_ids(world, tmp_path / "t2.jsonl")
        out, err = scheduler.communicate(timeout=180)
    assert scheduler.returncode == 0, err[-3000:]
    first, second = read_history(data, "sched-market")
    assert first["state"] == second["state"] == "ok"
    assert first["listings_report"] == {"new": len(day0), "changed": 0, "unchanged": 0, "gone": 0}
    report = second["listings_report"]
    assert report["new"] == len(day2 - day0) >= 1 and report["gone"] == len(day0 - day2) >= 1
    assert sorted(second["gone"]) == sorted(day0 - day2)
    assert report["changed"] + report["unchanged"] == len(day0 & day2)
    assert second["pages"] > 0 and second["errors"] == 0 and second["captchas"] == 0 and second["bans"] == 0
    assert "sched-market" in err and "new" in err
    shown = subprocess.run([sys.executable, "-m", "onionwatch.app.cli", "schedule", "history", "--data-dir", str(data)],
                           capture_output=True, text=True)
    assert shown.returncode == 0 and shown.stdout.count("sched-market") == 2


@pytest.mark.parametrize("entry, message", [
    ({"profile": "sandbox-table"}, "exactly one of 'cron'"),
    ({"profile": "sandbox-table", "every": "soon"}, "not an interval"),
    ({"profile": "sandbox-table", "cron": "61 * * * *"}, "markets\\[0\\].cron"),
    ({"profile": "sandbox-table", "every": "1h", "colour": "red"}, "unknown key"),
    ({"profile": "no-such-market", "every": "1h"}, "markets\\[0\\].profile"),
])
def test_schedule_errors_name_the_entry(tmp_path, entry, message):
    (tmp_path / "s.yaml").write_text(yaml.safe_dump({"markets": [entry]}))
    with pytest.raises(ScheduleError, match=message):
        load_schedule(tmp_path / "s.yaml")


def test_a_market_marked_down_is_recorded_down_from_the_crawls_exit_status(tmp_path):
    from crawlers.sessions import mark_down
    from onionwatch.core import exits
    from onionwatch.core.config import Config
    from onionwatch.pipeline.schedule import ScheduleEntry, run_once

    data = tmp_path / "data"
    # an address nothing answers on: the crawl must stop before fetching anything
    profile = write_profile(tmp_path, name="down-market", base_url="http://127.0.0.1:9")
    mark_down(Config(data).sessions_dir, "down-market", 3600, "market_down")
    run = run_once(ScheduleEntry(profile=str(profile), every=60.0, index=False, name="down-market"), data)
    assert run["exit_status"] == exits.MARKET_DOWN
    assert run["state"] == "down" and "marked down until" in run["message"]
    assert read_history(data, "down-market") == [run]
