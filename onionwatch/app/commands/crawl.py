"""``onionwatch crawl`` and ``onionwatch index``: collect evidence and records, then index them."""
from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Sequence

from onionwatch.core import exits
from onionwatch.core.config import load_config
from ._util import Formatter, fail, say


def register(commands, common) -> None:
    crawl = commands.add_parser(
        "crawl", parents=[common], formatter_class=Formatter,
        help="crawl a market by its profile, keep WARC evidence, then index",
        description="Crawl one market as its profile describes. Every response is kept in a WARC file;\n"
                    "listing and vendor records are written as JSON Lines, then indexed (unless --no-index).",
        epilog="examples:\n  onionwatch crawl --profile sandbox-table --base-url http://127.0.0.1:8800\n"
               "  onionwatch crawl --profile ./mymarket.yaml --no-index          # through Tor at 127.0.0.1:9050\n"
               "  onionwatch crawl --profile ./mymarket.yaml --proxy socks5h://127.0.0.1:9150\n"
               "  onionwatch crawl --profile ./mymarket.yaml --resume 20260101T000000Z-abc123\n"
               "  onionwatch crawl --profile ./mymarket.yaml --from-dir saved-site/ --no-index  # try it offline\n\n"
               "Requests go through the SOCKS5 proxy with remote DNS; if it does not answer, the crawl stops.\n"
               "Only loopback hosts (the sandbox) are fetched directly, and only when no --proxy is given.\n"
               "A killed crawl is carried on with --resume CRAWL_ID: nothing is lost or written twice.\n"
               "Markets that need an account: log in with --credentials FILE --account ALIAS; session cookies\n"
               f"are kept in <data>/sessions. A CAPTCHA pauses the crawl (exit {exits.CAPTCHA}): see"
               " `onionwatch captcha list`.\n"
               f"A market that is down is marked so and retried later (exit {exits.MARKET_DOWN}).\n\n"
               + exits.describe())
    crawl.add_argument("--profile", required=True, metavar="NAME|FILE",
                       help="a bundled profile name or a profile YAML file")
    crawl.add_argument("--base-url", metavar="URL", help="override the profile's base URL (e.g. the sandbox's port)")
    crawl.add_argument("--from-dir", metavar="DIR",
                       help="try the profile on a saved site: serve DIR on 127.0.0.1 for this crawl and fetch every"
                            " saved page in it (links are not followed); see `onionwatch profile check` too")
    crawl.add_argument("--no-index", action="store_true", help="only crawl; index later with `onionwatch index`")
    crawl.add_argument("--proxy", metavar="URL",
                       help="SOCKS5 proxy (default: $ONIONWATCH_PROXY or Tor's socks5h://127.0.0.1:9050)")
    crawl.add_argument("--account", metavar="ALIAS", help="crawl as this account (its own Tor circuit)")
    crawl.add_argument("--crawl-id", metavar="ID", help="the new crawl's id (default: time and a random suffix)")
    crawl.add_argument("--resume", metavar="CRAWL_ID", help="carry on a crawl that was stopped or killed")
    crawl.add_argument("--credentials", metavar="FILE",
                       help="market accounts file (YAML: market -> alias -> username/password;"
                            " default $ONIONWATCH_CREDENTIALS, or ONIONWATCH_<MARKET>_USERNAME/PASSWORD)")
    crawl.add_argument("--captcha-oracle", metavar="URL",
                       help="SANDBOX ONLY: take CAPTCHA answers from the sandbox oracle at this loopback URL"
                            " (without it a CAPTCHA pauses the crawl for `onionwatch captcha answer`)")
    crawl.add_argument("--ignore-down", action="store_true",
                       help="crawl even if an earlier crawl marked the market down")
    crawl.add_argument("--distributed", metavar="REDIS_URL",
                       help="share the frontier with other crawl processes through Redis (scrapy-redis),"
                            " e.g. redis://127.0.0.1:6379/0; give each process its own --crawl-id")
    crawl.add_argument("--frontier", metavar="NAME", default="default",
                       help="with --distributed: the shared frontier's name (default 'default')")
    crawl.add_argument("--concurrency", type=int, metavar="N", help="parallel requests to the market")
    crawl.add_argument("--delay", type=float, metavar="SECONDS", help="wait between requests to the market")
    crawl.add_argument("--log-level", default="WARNING", help="Scrapy log level (default WARNING)")
    crawl.add_argument("--report", metavar="FILE.json",
                       help="also write the crawl's summary (pages, records, errors, bans, CAPTCHAs) as JSON")
    crawl.set_defaults(run=run_crawl)

    index = commands.add_parser(
        "index", parents=[common], formatter_class=Formatter,
        help="extract and index crawled records into the search store",
        description="Index crawl records (default: every records file in the data directory).",
        epilog="example:\n  onionwatch index onionwatch-data/items/empire-20260101T000000Z-abc123.jsonl")
    index.add_argument("paths", nargs="*", metavar="RECORDS.jsonl", help="crawl record files")
    index.set_defaults(run=run_index)


def run_crawl(args) -> int:
    from crawlers.profile import ProfileError, load_profile
    from crawlers.accounts import AccountError
    from crawlers.run import MarketDown, run_crawl as crawl
    from crawlers.tor import ProxyUnreachable

    config = load_config(args.data_dir)
    try:
        profile = load_profile(args.profile)
    except ProfileError as exc:
        return fail(str(exc))
    if args.base_url:
        try:
            profile = profile.with_base_url(args.base_url)
        except ProfileError as exc:
            return fail(f"--base-url: {exc}")
    if profile.v2_addresses and not args.from_dir:
        return fail(f"{profile.name}: {', '.join(profile.v2_addresses)} is a v2 onion address, which Tor no longer"
                    " reaches: give the market's v3 address (--base-url or the profile's base_url); v2 profiles"
                    " serve to replay saved pages (--from-dir) and archives (reindex)")
    settings = {}
    if args.concurrency:
        settings["CONCURRENT_REQUESTS"] = settings["CONCURRENT_REQUESTS_PER_DOMAIN"] = args.concurrency
    if args.delay is not None:
        settings["DOWNLOAD_DELAY"] = args.delay
    if args.from_dir:
        if args.resume or args.distributed or args.base_url:
            return fail("--from-dir crawls a saved site once: it does not go with --resume, --distributed or --base-url")
        from crawlers.saved_site import crawl_saved_site

        say(f"crawling {profile.name} from the saved site {args.from_dir} (served on 127.0.0.1) ...")
        crawl = partial(crawl_saved_site, folder=args.from_dir)
    else:
        say(f"{'resuming' if args.resume else 'crawling'} {profile.name} at {profile.base_url} ...")
    try:
        report = crawl(profile, warc_dir=config.warc_dir, items_dir=config.items_dir,
                       jobs_dir=config.jobs_dir, crawl_id=args.resume or args.crawl_id,
                       resume=bool(args.resume), proxy=args.proxy, account=args.account, settings=settings,
                       log_level=args.log_level, credentials=args.credentials,
                       session_dir=config.sessions_dir, captcha_oracle=args.captcha_oracle,
                       ignore_down=args.ignore_down, distributed=args.distributed, frontier=args.frontier)
    except MarketDown as exc:
        say(f"onionwatch: {exc}")
        return exc.exit_status
    except (ProxyUnreachable, AccountError, ValueError, FileExistsError, FileNotFoundError) as exc:
        return fail(str(exc))
    return finish(config, report, index=not args.no_index, report_path=args.report,
                  expect_pages=not args.distributed, expect_records=not (args.resume or args.distributed))


def finish(config, report, *, index: bool, report_path: str | None = None, expect_pages: bool = True,
           expect_records: bool = False) -> int:
    """Report a crawl's end; index its records when it completed and ``index`` is asked.

    A crawl that stopped early, or fetched nothing although pages were expected, exits non-zero
    (one of several distributed workers may rightly find the shared frontier already empty); so
    does a new crawl (``expect_records``) whose pages no rule of the profile took."""
    if report_path:
        import json

        from crawlers.run import summarize

        Path(report_path).write_text(json.dumps(summarize(report), indent=2) + "\n")
    say(f"crawl {report.crawl_id}: {report.pages} pages, finished ({report.finish_reason});"
        f" evidence {report.warc_path}; records {report.items_path}")
    if report.finish_reason == "proxy_unreachable":
        return fail(f"the proxy stopped answering; resume with --resume {report.crawl_id} once it is back")
    message = report.stats.get("onionwatch/stop_message")
    if report.finish_reason == "captcha":
        say(f"paused: {message}")
        return exits.CAPTCHA
    if report.finish_reason == "market_down":
        say(f"stopped: {message}")
        return exits.MARKET_DOWN
    if report.finish_reason in ("login_needed", "login_failed"):
        return fail(str(message))
    if report.finish_reason != "finished":
        return fail(f"the crawl stopped early ({report.finish_reason}); see the log above, then carry it on"
                    f" with --resume {report.crawl_id}")
    if expect_pages and report.pages == 0:
        return fail(f"the crawl fetched no page from {report.market}: check the profile's base URL and"
                    " start paths, and that the market (or the proxy) answers")
    if report.parse_errors:
        say(f"  {report.parse_errors} page(s) failed to parse: see the parse_error records")
    stats = report.stats
    if expect_records and report.pages and not report.parse_errors and not any(
            stats.get(key) for key in ("onionwatch/records/listing", "onionwatch/records/vendor",
                                       "onionwatch/records_already_written", "onionwatch/records_merged")):
        return fail(f"{report.pages} pages fetched, but no page was taken by a listing or vendor rule of the profile:"
                    " check its rules on saved pages with `onionwatch profile check PROFILE PAGES`")
    if not index:
        return exits.OK
    return index_files(config, [report.items_path])


def index_files(config, paths: Sequence[Path]) -> int:
    """Index records files into the store; exit status 1 when any line, file, page or extraction
    failed (each named in the problems printed), 2 when a file is missing."""
    from extract import load_pipeline
    from search_index import open_store

    from onionwatch.pipeline.indexing import index_paths

    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        return fail(f"no such records file(s): {', '.join(missing)}")
    nlp = load_pipeline()
    with open_store(config) as store:
        report = index_paths(paths, store, nlp, data_dir=config.data_dir)
        from search_index.alerts import run_watches

        say(run_watches(config, store).summary())
    say(f"indexed {report.listings} listings and {report.vendors} vendor accounts in {report.seconds:.1f}s"
        f" into {config.store_path}")
    for problem in report.problems[:20]:
        say(f"  problem: {problem}")
    if len(report.problems) > 20:
        say(f"  ... and {len(report.problems) - 20} more problems")
    if report.failed:
        say(f"onionwatch: {report.failed} input(s) failed: {report.bad_lines} bad line(s),"
            f" {report.unreadable_files} unreadable file(s), {report.evidence_errors} unreadable page(s),"
            f" {report.extraction_errors} failed extraction(s); the rest is indexed")
        return exits.FAILED
    return exits.OK


def run_index(args) -> int:
    config = load_config(args.data_dir)
    paths = [Path(p) for p in args.paths] or config.records_files()
    if not paths:
        return fail(f"no crawl records in {config.items_dir}: run `onionwatch crawl` first")
    return index_files(config, paths)
