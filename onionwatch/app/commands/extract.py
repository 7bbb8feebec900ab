"""``onionwatch extract``: facts from saved pages, text or records, as JSON Lines."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from ._util import Formatter, say


def register(commands, common) -> None:
    extract = commands.add_parser(
        "extract", formatter_class=Formatter,
        help="extract drugs, prices, shipping, vendor, escrow, PGP keys, addresses and contacts",
        description="Run the extraction pipeline on .html/.htm pages (any market, no profile needed), .txt\n"
                    "files or .jsonl records (with id, title, description and/or html) and print one JSON\n"
                    "object per record. A crawl's records files (<data>/items/*.jsonl) are read too: each\n"
                    "listing and vendor is extracted from its archived page (the listing's own area when the\n"
                    "profile gave a `content` selector), with its title and its profile's stock field.\n"
                    "Folders are read recursively. A record that cannot be read (empty, binary, too large,\n"
                    "a .jsonl line that is not a JSON object or not UTF-8, a named pipe) gives an object with\n"
                    "an \"error\" and the run goes on; the exit status is 1 when any record failed.\n"
                    "Pages are decoded by their declared charset, else UTF-8, else windows-1252.",
        epilog="examples:\n  onionwatch extract saved_page.html listings.jsonl > facts.jsonl\n"
               "  onionwatch extract onionwatch-data/items/dream-20260101T000000Z-abc123.jsonl\n"
               "  onionwatch extract --details pages/   # add price per gram/pill, shipping methods, rate used")
    extract.add_argument("paths", nargs="+", metavar="PATH", help="files to read")
    extract.add_argument("--format", choices=["jsonl"], default="jsonl", help="output format (jsonl)")
    extract.add_argument("--details", action="store_true",
                         help="add a \"details\" object: price per unit, rate used, methods, how fields were found")
    extract.set_defaults(run=run)


def run(args) -> int:
    from extract import extract_path, load_pipeline

    nlp = load_pipeline()
    done = failed = 0
    for record in extract_path(nlp, [Path(p) for p in args.paths], details=args.details):
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        done += 1
        if "error" in record:
            failed += 1
            if failed <= 20:
                say(f"onionwatch: {record['id']}: {record['error']['code']}: {record['error']['message']}")
    if failed > 20:
        say(f"onionwatch: ... and {failed - 20} more failed records")
    say(f"extracted {done - failed} of {done} record(s)" + (f"; {failed} failed (see their \"error\")" if failed else ""))
    return 1 if failed else 0
