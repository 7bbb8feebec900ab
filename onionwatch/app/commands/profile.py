"""``onionwatch profile check``: try a market profile on saved pages before crawling."""
from __future__ import annotations

import json
import sys

from ._util import Formatter, fail


def register(commands, common) -> None:
    profile = commands.add_parser(
        "profile", formatter_class=Formatter, help="check a market profile against saved pages",
        description="Tools for writing market profiles (see docs/market-profiles.md).")
    actions = profile.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check", formatter_class=Formatter,
        help="show what a profile reads from saved pages",
        description="Read saved pages with a profile, as the crawler would read them when fetched, and show\n"
                    "for each page which page rule took it (and why the others did not), each field's text,\n"
                    "the value the extraction parsers make of it (price and currency, countries, escrow and\n"
                    "finalize-early, stock, PGP key, addresses, contacts), and what is missing or fails.\n\n"
                    "A page's address is its path in the folder given (as `onionwatch crawl --from-dir`\n"
                    "serves it), or --url. Exit status 1 when a page is taken by no rule or a required field\n"
                    "(marked *) is missing or does not parse; 2 when the profile itself is wrong.",
        epilog="examples:\n  onionwatch profile check ./mymarket.yaml saved/listing.html\n"
               "  onionwatch profile check ./mymarket.yaml saved-site/            # every page, recursively\n"
               "  onionwatch profile check ./mymarket.yaml page.html --url 'http://x.onion/item/12'\n"
               "  onionwatch profile check sandbox-table pages/ --json | jq .fields")
    check.add_argument("profile", metavar="PROFILE", help="a profile YAML file or a bundled profile name")
    check.add_argument("pages", nargs="+", metavar="PAGE_OR_DIR", help="saved pages, or folders of them")
    check.add_argument("--url", metavar="URL", help="the address the page(s) were saved from (for URL patterns)")
    check.add_argument("--json", action="store_true", help="one JSON object a page instead of text")
    check.set_defaults(run=run_check)


def run_check(args) -> int:
    from crawlers.profile import ProfileError, load_profile
    from onionwatch.pipeline.profile_check import check_paths, render_text

    try:
        profile = load_profile(args.profile)
    except ProfileError as exc:
        return fail(str(exc))
    failed = checked = 0
    try:
        for check in check_paths(profile, args.pages, url=args.url):
            checked += 1
            failed += not check.ok
            if args.json:
                sys.stdout.write(json.dumps(check.to_dict(), ensure_ascii=False) + "\n")
            else:
                print(render_text(check) + "\n", flush=True)
    except FileNotFoundError as exc:
        return fail(f"{exc}: give saved pages (.html files, or folders of them)")
    if not checked:
        return fail("no HTML page among the paths given")
    print(f"{checked} page(s) checked, {failed} failed", file=sys.stderr)
    return 1 if failed else 0
