"""The ``onionwatch`` command. Its subcommands live in :mod:`onionwatch.app.commands`, one module an area.

Run ``onionwatch --help`` for the commands and ``onionwatch COMMAND --help`` for each one's options
and examples.
"""
from __future__ import annotations

import argparse
import copy
import sys
from typing import Sequence

from onionwatch import __version__
from onionwatch.app.commands import register_all
from onionwatch.app.commands._util import Formatter
from onionwatch.app.terminal import quiet_broken_pipe, safe_output

__all__ = ["main", "build_parser"]

DESCRIPTION = """\
onionwatch monitors dark-web drug marketplaces: it crawls public listings through Tor (keeping
every page as WARC evidence), extracts drugs, quantities, prices, shipping and vendor identifiers,
indexes them for search, and links vendor accounts across markets.

Start with `onionwatch demo`: it serves four simulated markets on 127.0.0.1, crawls them, indexes
them, links their vendors, writes a report and shows what to try next. Real markets are crawled
with `onionwatch crawl --profile FILE` (see docs/market-profiles.md and docs/crawling-through-tor.md)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="onionwatch", description=DESCRIPTION, formatter_class=Formatter)
    parser.add_argument("--version", action="version", version=f"onionwatch {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: a level that was not given the option leaves alone the value another level read
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS,
                        help="folder of evidence, records and the search store "
                             "(default: $ONIONWATCH_DATA_DIR or ./onionwatch-data)")
    register_all(commands, common)
    _common_at_every_level(parser, common)
    parser.set_defaults(**{action.dest: None for action in common._actions})
    return parser


def _subcommands(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    return [choice for action in parser._actions if isinstance(action, argparse._SubParsersAction)
            for choice in dict.fromkeys(action.choices.values())]


def _common_at_every_level(parser: argparse.ArgumentParser, common: argparse.ArgumentParser) -> bool:
    """Give the common options to every level above a command that takes them, so that
    ``onionwatch evidence --data-dir X verify`` and ``onionwatch evidence verify --data-dir X``
    mean the same. Returns whether ``parser`` (or a command below it) takes them."""
    names = {s for action in common._actions for s in action.option_strings}
    below = [_common_at_every_level(child, common) for child in _subcommands(parser)]
    takes = names <= set(parser._option_string_actions)
    if any(below) and not takes:
        group = parser.add_argument_group("common options (also accepted after the subcommand)")
        for action in common._actions:
            if action.option_strings and not isinstance(action, argparse._HelpAction):
                group._add_action(copy.copy(action))  # its own, so set_defaults here stays here
        takes = True
    return takes


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; its output to the terminal passes through :mod:`onionwatch.app.terminal`."""
    with safe_output():
        try:
            args = build_parser().parse_args(argv)
            status = args.run(args)
            sys.stdout.flush()
            return status
        except BrokenPipeError:  # the reader went away (`onionwatch search x | head`)
            return quiet_broken_pipe()


if __name__ == "__main__":
    sys.exit(main())
