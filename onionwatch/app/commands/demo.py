"""``onionwatch demo``: the whole pipeline against the sandbox."""
from __future__ import annotations

from pathlib import Path

from onionwatch.core.config import load_config
from ._util import Formatter


def register(commands, common) -> None:
    demo = commands.add_parser(
        "demo", parents=[common], formatter_class=Formatter,
        help="the whole pipeline on four simulated markets on 127.0.0.1, with a summary and a report",
        description="Serve the sandbox's four simulated markets on 127.0.0.1, crawl them (WARC evidence),\n"
                    "extract and index the listings, link vendor accounts, write report.html, and summarise.",
        epilog="example:\n  onionwatch demo --seed 7\n  onionwatch search fentanyl")
    demo.add_argument("--seed", type=int, default=7, help="sandbox seed (default 7)")
    demo.add_argument("--vendors", type=int, default=30, help="vendor accounts per market (default 30)")
    demo.add_argument("--listings", type=int, default=250, help="listings per market (default 250)")
    demo.set_defaults(run=run)


def run(args) -> int:
    from onionwatch.pipeline.demo import run_demo

    return run_demo(load_config(args.data_dir), write_report=_write_report, seed=args.seed, vendors=args.vendors,
                    listings=args.listings)


def _write_report(config) -> Path:
    """The demo's last step: the report of everything in the data directory, as ``report.html``."""
    from onionwatch.app.insights import Data
    from onionwatch.app.report import write_report

    with Data(config) as data:
        return write_report(data, config.data_dir / "report.html")
