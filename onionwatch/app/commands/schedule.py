"""``onionwatch schedule``: crawl markets unattended on cron-like schedules, with a run history."""
from __future__ import annotations

import json

from onionwatch.core import exits
from onionwatch.core.config import load_config
from ._util import Formatter, fail, say


def register(commands, common) -> None:
    schedule = commands.add_parser(
        "schedule", parents=[common], formatter_class=Formatter,
        help="crawl markets on cron-like schedules; run history and per-run reports",
        description="Crawl each market of a schedule file on its own schedule (APScheduler), each run\n"
                    "compared with the market's previous one: pages, listings new/changed/gone, errors,\n"
                    "bans and CAPTCHAs go to <data>/schedule/history.jsonl.",
        epilog="schedule file (YAML):\n"
               "  markets:\n"
               "    - profile: ./empire.yaml\n"
               "      cron: \"0 */6 * * *\"        # crontab, UTC\n"
               "      account: analyst1\n"
               "    - profile: ./vitrine.yaml\n"
               "      every: 12h                  # or an interval: 90s, 30m, 12h, 2d\n\n"
               "examples:\n  onionwatch schedule run markets.yaml              # runs until stopped (Ctrl-C)\n"
               "  onionwatch schedule once markets.yaml             # every market once, now\n"
               "  onionwatch schedule history --market empire-sandbox\n\n"
               "Every market runs once when the scheduler starts, then on its schedule. A market marked down\n"
               "is tried again at its next run; a CAPTCHA pause shows in the history and `onionwatch captcha list`.\n"
               f"`schedule once` exits {exits.OK} when every run finished, {exits.FAILED} when one did not"
               f" (see `schedule history`), {exits.ERROR} on a bad schedule file.")
    actions = schedule.add_subparsers(dest="action", metavar="ACTION", required=True)
    run = actions.add_parser("run", parents=[common], formatter_class=Formatter, help="run the schedule until stopped")
    run.add_argument("file", metavar="SCHEDULE.yaml")
    run.add_argument("--max-runs", type=int, metavar="N", help="stop after N runs in all (for trials and tests)")
    run.set_defaults(run=run_schedule)
    once = actions.add_parser("once", parents=[common], help="crawl every scheduled market once, now")
    once.add_argument("file", metavar="SCHEDULE.yaml")
    once.set_defaults(run=run_once_all)
    history = actions.add_parser("history", parents=[common], help="print the run history")
    history.add_argument("--market", metavar="NAME", help="only this market's runs")
    history.add_argument("--json", action="store_true", help="one JSON report a line")
    history.set_defaults(run=run_history)


def _load(path):
    from onionwatch.pipeline.schedule import ScheduleError, load_schedule

    try:
        return load_schedule(path), None
    except ScheduleError as exc:
        return None, fail(str(exc))


def run_schedule(args) -> int:
    import threading

    from onionwatch.pipeline.schedule import build_scheduler

    config = load_config(args.data_dir)
    entries, error = _load(args.file)
    if error is not None:
        return error
    done = [0]
    lock = threading.Lock()
    holder = {}

    def counted(_run: dict) -> None:
        with lock:
            done[0] += 1
            if args.max_runs and done[0] >= args.max_runs:
                holder["scheduler"].shutdown(wait=False)

    scheduler = build_scheduler(entries, config.data_dir, log=say, on_run=counted)
    holder["scheduler"] = scheduler
    say(f"scheduling {len(entries)} market(s): " + ", ".join(
        f"{e.name} ({e.cron or f'every {e.every:g}s'})" for e in entries) + "; Ctrl-C stops")
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        say("stopped")
    return exits.OK


def run_once_all(args) -> int:
    from onionwatch.pipeline.schedule import run_once

    config = load_config(args.data_dir)
    entries, error = _load(args.file)
    if error is not None:
        return error
    states = [run_once(entry, config.data_dir, log=say)["state"] for entry in entries]
    return exits.OK if all(s == "ok" for s in states) else exits.FAILED


def run_history(args) -> int:
    from onionwatch.pipeline.schedule import read_history

    config = load_config(args.data_dir)
    runs = read_history(config.data_dir, args.market)
    if not runs:
        say(f"no scheduled runs yet in {config.schedule_dir}")
        return exits.OK
    for r in runs:
        if args.json:
            print(json.dumps(r))
            continue
        listings = r.get("listings_report") or {}
        print(f"{r['started_at']}  {r['market']:<20} {r['state']:<12} pages {r.get('pages', 0):>5}  "
              f"new {listings.get('new', 0):>4} changed {listings.get('changed', 0):>4} "
              f"gone {listings.get('gone', 0):>4}  errors {r.get('errors', 0)} bans {r.get('bans', 0)} "
              f"captchas {r.get('captchas', 0)}  {r['crawl_id']}")
    return exits.OK
