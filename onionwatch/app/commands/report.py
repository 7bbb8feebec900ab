"""``onionwatch report``: write the self-contained HTML report."""
from __future__ import annotations

from onionwatch.core.config import load_config
from ._util import Formatter, fail, say

__all__ = ["register"]


def register(commands, common) -> None:
    report = commands.add_parser(
        "report", parents=[common], formatter_class=Formatter,
        help="write a self-contained HTML report (crawl health, what is new, fentanyl watch, clusters)",
        description="Write one HTML file that opens offline: crawl health per market, what is new since\n"
                    "the last crawl, the fentanyl watch, and the top vendor clusters (the actors the vendor-link\n"
                    "graph resolved) with a graph picture. The graph saved by `onionwatch graph build` is used\n"
                    "when it matches the store; otherwise one is built for the report (and not saved).\n"
                    "Market text is escaped and the page runs no script.",
        epilog="examples:\n  onionwatch report --out report.html\n"
               "  onionwatch report --data-dir /cases/op-blue --out /cases/op-blue/report.html")
    report.add_argument("--out", default="onionwatch-report.html", metavar="FILE",
                        help="where to write the report (default onionwatch-report.html)")
    report.add_argument("--top", type=int, default=10, help="rows in the top-N tables (default 10)")
    report.set_defaults(run=run)


def run(args) -> int:
    from onionwatch.app.insights import Data
    from onionwatch.app.report import write_report

    config = load_config(args.data_dir)
    if not config.es_url and not config.store_path.exists():
        return fail(f"no search store at {config.store_path}: run `onionwatch demo` or `onionwatch crawl` first")
    say(f"writing the report from {config.es_url or config.data_dir}")
    with Data(config) as data:
        path = write_report(data, args.out, top=args.top)
        say(f"vendor graph: {data.graph_source}")
        if data.graph_problem:
            say(data.graph_problem)
    print(path)
    return 0
