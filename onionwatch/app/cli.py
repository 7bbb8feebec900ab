"""The ``onionwatch`` command. Its subcommands live in :mod:`onionwatch.app.commands`, one module an area.

Run ``onionwatch --help`` for the commands and ``onionwatch COMMAND --help`` for each one's options
and examples.
"""
from __future__ import annotations

import argparse
import sys
from typing import Sequence

from onionwatch import __version__
from onionwatch.app.commands import register_all
from onionwatch.app.commands._util import Formatter

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
    common.add_argument("--data-dir", metavar="DIR",
                        help="folder of evidence, records and the search store "
                             "(default: $ONIONWATCH_DATA_DIR or ./onionwatch-data)")
    register_all(commands, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
