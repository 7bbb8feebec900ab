"""``onionwatch extract``: facts from saved pages, text or records, as JSON Lines."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from ._util import Formatter


def register(commands, common) -> None:
    extract = commands.add_parser(
        "extract", formatter_class=Formatter,
        help="extract drugs, quantities, prices and shipping from pages or text",
        description="Run the extraction pipeline on .html/.htm pages, .txt files or .jsonl records\n"
                    "(with id, title, description and/or html) and print one JSON object per record.",
        epilog="example:\n  onionwatch extract saved_page.html listings.jsonl > facts.jsonl")
    extract.add_argument("paths", nargs="+", metavar="PATH", help="files to read")
    extract.add_argument("--format", choices=["jsonl"], default="jsonl", help="output format (jsonl)")
    extract.set_defaults(run=run)


def run(args) -> int:
    from extract import extract_path, load_pipeline

    nlp = load_pipeline()
    for record in extract_path(nlp, [Path(p) for p in args.paths]):
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0
