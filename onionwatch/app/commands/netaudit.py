"""``onionwatch netaudit``: run another ``onionwatch`` command while recording the process's network use."""
from __future__ import annotations

import argparse

from ._util import Formatter, fail

__all__ = ["register", "run"]


def register(commands, common) -> None:
    netaudit = commands.add_parser(
        "netaudit", formatter_class=Formatter,
        help="run an onionwatch command recording every name look-up and connection it makes",
        description="Run COMMAND in this process while every name look-up and connection (Python audit\n"
                    "hooks, whichever library makes them) is appended to AUDIT.jsonl, one JSON object a\n"
                    "line. crawlers.netaudit.find_leaks then lists any look-up of a name other than the\n"
                    "proxy's and any connection to anything but the proxy: none means the crawl never\n"
                    "went around Tor.",
        epilog="example:\n  onionwatch netaudit /tmp/audit.jsonl -- crawl --profile market.yaml\n"
               "  python -c 'from crawlers.netaudit import read_events, find_leaks; "
               "print(find_leaks(read_events(\"/tmp/audit.jsonl\"), (\"127.0.0.1\", 9050)))'")
    netaudit.add_argument("audit", metavar="AUDIT.jsonl", help="file the look-ups and connections are appended to")
    netaudit.add_argument("command", nargs=argparse.REMAINDER, metavar="-- COMMAND ...",
                          help="the onionwatch command to run under audit, after --")
    netaudit.set_defaults(run=run)


def run(args) -> int:
    from crawlers.netaudit import install
    from onionwatch.app.cli import main

    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        return fail("name the command to audit after --, e.g. `onionwatch netaudit audit.jsonl -- crawl ...`")
    if command[0] == "netaudit":
        return fail("netaudit runs another command, not itself")
    install(args.audit)
    return main(command)
