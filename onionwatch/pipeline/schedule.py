"""Unattended crawls on schedules: each market on its own cron-like schedule, with a run history.

A schedule file (YAML) lists the markets::

    markets:
      - profile: empire.yaml          # a profile file or bundled name
        cron: "0 */6 * * *"           # crontab (minute hour day month weekday), UTC
        account: analyst1             # optional; from the credentials file or environment
      - profile: vitrine.yaml
        every: 12h                    # or an interval: 90s, 30m, 12h, 2d
        base_url: http://...          # optional, overrides the profile's
        index: false                  # default true: index the records after the crawl
        concurrency: 4                # optional politeness overrides
        delay: 1.5

APScheduler triggers the runs (one at a time a market; a run missed while the previous was still
going is coalesced). Each run crawls in its own process (``onionwatch crawl``), then compares the
records with the market's previous completed run (:mod:`crawlers.changes`) and appends a run
report to ``<data>/schedule/history.jsonl``: pages, listings new/changed/gone, errors, bans,
CAPTCHAs, and how the crawl ended. A market marked down is skipped (``down``) until its wait is
over; a CAPTCHA pause is reported (``captcha``) for a person to answer.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import yaml

from onionwatch.core.config import Config
from onionwatch.core.exits import MARKET_DOWN
from onionwatch.core.jsonl import read_jsonl
from onionwatch.core.layout import crawl_stem

__all__ = ["ScheduleEntry", "ScheduleError", "load_schedule", "run_once", "read_history", "build_scheduler",
           "trigger_for"]

_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_KEYS = {"profile", "cron", "every", "base_url", "account", "credentials", "proxy", "index", "concurrency",
         "delay", "captcha_oracle"}


class ScheduleError(ValueError):
    """A schedule file that cannot be used; the message names the entry and key."""


@dataclass(frozen=True)
class ScheduleEntry:
    profile: str
    cron: str | None = None
    every: float | None = None  # seconds
    base_url: str | None = None
    account: str | None = None
    credentials: str | None = None
    proxy: str | None = None
    index: bool = True
    concurrency: int | None = None
    delay: float | None = None
    captcha_oracle: str | None = None
    name: str = field(default="", compare=False)


def _entry(number: int, data: Any) -> ScheduleEntry:
    where = f"markets[{number}]"
    if not isinstance(data, dict) or not data.get("profile"):
        raise ScheduleError(f"{where}: needs at least 'profile' and one of 'cron' or 'every'")
    unknown = set(data) - _KEYS
    if unknown:
        raise ScheduleError(f"{where}: unknown key(s) {sorted(unknown)} (known: {', '.join(sorted(_KEYS))})")
    if bool(data.get("cron")) == bool(data.get("every")):
        raise ScheduleError(f"{where}: give exactly one of 'cron' (crontab) or 'every' (like 30m, 6h)")
    every = None
    if data.get("every"):
        found = _EVERY.match(str(data["every"]))
        if not found:
            raise ScheduleError(f"{where}.every: {data['every']!r} is not an interval like 90s, 30m, 6h, 1d")
        every = float(found.group(1)) * _UNITS[found.group(2)]
    if data.get("cron"):
        from apscheduler.triggers.cron import CronTrigger

        try:
            CronTrigger.from_crontab(str(data["cron"]), timezone="UTC")
        except ValueError as exc:
            raise ScheduleError(f"{where}.cron: {data['cron']!r}: {exc}") from exc
    from crawlers.profile import load_profile

    try:
        name = load_profile(str(data["profile"])).name
    except ValueError as exc:
        raise ScheduleError(f"{where}.profile: {exc}") from exc
    return ScheduleEntry(profile=str(data["profile"]), cron=data.get("cron"), every=every,
                         base_url=data.get("base_url"), account=data.get("account"),
                         credentials=data.get("credentials"), proxy=data.get("proxy"),
                         index=bool(data.get("index", True)), concurrency=data.get("concurrency"),
                         delay=data.get("delay"), captcha_oracle=data.get("captcha_oracle"), name=name)


def load_schedule(path: str | Path) -> list[ScheduleEntry]:
    """Read and check a schedule file."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ScheduleError(f"cannot read schedule {path}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("markets"), list) or not data["markets"]:
        raise ScheduleError(f"{path}: expected 'markets:' with a list of entries")
    entries = [_entry(k, e) for k, e in enumerate(data["markets"])]
    names = [e.name for e in entries]
    if len(set(names)) != len(names):
        raise ScheduleError(f"{path}: a market is scheduled twice: {sorted(n for n in names if names.count(n) > 1)}")
    return entries


def _history_path(data_dir: Path) -> Path:
    return Config(Path(data_dir)).schedule_dir / "history.jsonl"


def read_history(data_dir: Path, market: str | None = None) -> list[dict]:
    """Run reports, oldest first (of one market, or all)."""
    path = _history_path(data_dir)
    if not path.exists():
        return []
    runs = list(read_jsonl(path))  # a damaged history is an error naming its file and line
    return [r for r in runs if market is None or r.get("market") == market]


_lock = threading.Lock()


def _append(data_dir: Path, run: dict) -> None:
    path = _history_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _lock, open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(run) + "\n")
        fh.flush()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def run_once(entry: ScheduleEntry, data_dir: Path, *, log: Callable[[str], None] = lambda m: None) -> dict:
    """Crawl one scheduled market now, compare with its previous completed run, record the report."""
    from crawlers.changes import compare_files
    from crawlers.run import new_crawl_id

    data_dir = Path(data_dir)
    crawl_id = new_crawl_id()
    report_path = Config(data_dir).schedule_dir / "reports" / f"{crawl_stem(entry.name, crawl_id)}.json"
    report_path.parent.mkdir(parents=True, exist_ok=True)
    args = [sys.executable, "-m", "onionwatch.app.cli", "crawl", "--profile", entry.profile, "--data-dir",
            str(data_dir), "--crawl-id", crawl_id, "--report", str(report_path)]
    for flag, value in (("--base-url", entry.base_url), ("--account", entry.account),
                        ("--credentials", entry.credentials), ("--proxy", entry.proxy),
                        ("--concurrency", entry.concurrency), ("--delay", entry.delay),
                        ("--captcha-oracle", entry.captcha_oracle)):
        if value is not None:
            args += [flag, str(value)]
    if not entry.index:
        args.append("--no-index")
    run: dict[str, Any] = {"market": entry.name, "crawl_id": crawl_id, "started_at": _now()}
    log(f"[{entry.name}] crawl {crawl_id} starting")
    done = subprocess.run(args, capture_output=True, text=True)
    run["ended_at"] = _now()
    run["exit_status"] = done.returncode
    summary = json.loads(report_path.read_text()) if report_path.exists() else {}
    run.update({k: v for k, v in summary.items() if k not in ("crawl_id", "market")})
    if done.returncode == MARKET_DOWN and not summary:  # marked down: no crawl ran
        run["state"] = "down"
        run["message"] = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "market down"
    elif summary.get("finish_reason") == "finished":
        run["state"] = "ok"
    else:
        run["state"] = summary.get("finish_reason") or "failed"
        if not summary:
            run["message"] = "\n".join(done.stderr.strip().splitlines()[-5:])
    if run["state"] == "ok":
        previous = next((r for r in reversed(read_history(data_dir, entry.name)) if r.get("state") == "ok"), None)
        changes = compare_files(Path(previous["items_path"]) if previous else None, Path(run["items_path"]))
        run["listings_report"] = changes.summary()
        run["gone"] = changes.gone
        if entry.index and changes.gone:
            _observe_gone(data_dir, entry.name, changes.gone)
    _append(data_dir, run)
    log(f"[{entry.name}] crawl {crawl_id}: {run['state']}; " + ", ".join(
        f"{k} {v}" for k, v in {**run.get("listings_report", {}), "pages": run.get("pages", 0),
                                "errors": run.get("errors", 0), "bans": run.get("bans", 0),
                                "captchas": run.get("captchas", 0)}.items()))
    return run


def _observe_gone(data_dir: Path, market: str, gone: list[str]) -> None:
    from onionwatch.core.config import load_config
    from onionwatch.pipeline.indexing import observe_gone
    from search_index import open_store

    with open_store(load_config(data_dir)) as store:
        observe_gone(store, market, gone, datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ"))


def trigger_for(entry: ScheduleEntry):
    """The APScheduler trigger of an entry: a crontab (UTC) or an interval."""
    if entry.cron:
        from apscheduler.triggers.cron import CronTrigger

        return CronTrigger.from_crontab(entry.cron, timezone="UTC")
    from apscheduler.triggers.interval import IntervalTrigger

    return IntervalTrigger(seconds=entry.every, timezone="UTC")


def build_scheduler(entries: list[ScheduleEntry], data_dir: Path, *, scheduler=None,
                    log: Callable[[str], None] = lambda m: None, on_run: Callable[[dict], None] | None = None):
    """An APScheduler scheduler (a ``BlockingScheduler`` unless one is given) with a job a market.

    Runs of one market never overlap (``max_instances=1``) and runs missed meanwhile are merged
    into one (``coalesce``). ``on_run`` is called with each run report.
    """
    from apscheduler.schedulers.blocking import BlockingScheduler

    scheduler = scheduler or BlockingScheduler(timezone="UTC")

    def job(entry: ScheduleEntry) -> None:
        run = run_once(entry, data_dir, log=log)
        if on_run is not None:
            on_run(run)

    for entry in entries:
        scheduler.add_job(job, trigger_for(entry), args=[entry], id=entry.name, name=f"crawl {entry.name}",
                          max_instances=1, coalesce=True, misfire_grace_time=3600,
                          next_run_time=datetime.now(timezone.utc))
    return scheduler
