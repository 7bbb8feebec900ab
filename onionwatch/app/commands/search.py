"""``onionwatch search``: query the indexed listings."""
from __future__ import annotations

import json

from onionwatch.core.config import load_config
from ._util import Formatter, fail

__all__ = ["register", "format_hits"]


def register(commands, common) -> None:
    search = commands.add_parser(
        "search", parents=[common], formatter_class=Formatter,
        help="search indexed listings",
        description="Search indexed listings (the embedded store, or Elasticsearch when ONIONWATCH_ES_URL is set).\n\n"
                    "Every word must match (title, description, vendor, drugs, category, market); case and\n"
                    "accents are ignored. `*` matches everything.\n\n"
                    "  \"two words\"        a phrase            fent*              a word prefix\n"
                    "  -word -vendor:x    exclude             market:empire,dream  either market\n"
                    "  vendor:NAME  drug:NAME  class:opioid  category:NAME\n"
                    "  from:CN            ships from CN (from:EU: anywhere in Europe)\n"
                    "  to:DE              ships to DE, to a region containing it (EU) or worldwide (WW)\n"
                    "  price<200  price>=50  price:50..200   normalised price in USD\n"
                    "  since:2026-01-01  until:2026-01-31  since:30d   when the listing was fetched\n"
                    "  escrow:yes|no  fe:yes|no  instock:yes|no      payment terms and stock, as the listing\n"
                    "                     says them (one that does not say matches neither yes nor no)\n"
                    "  currency:xmr  currency:btc,xmr  -currency:btc   the coins the listing says it accepts\n"
                    "                     (a ticker, case ignored; not the currency of its price)\n\n"
                    "--json hits carry escrow, finalize_early, stock, in_stock, category and currencies too;\n"
                    "facets count market, vendor, drug, ships_from and currency.\n"
                    "Matches are counted up to 10,000; past that the total reads 10,000+ (\"approximate\": true\n"
                    "in --json), and the embedded store ranks and counts facets over the newest 10,000 matches.",
        epilog="examples:\n  onionwatch search fentanyl\n  onionwatch search 'm30 pressed' --json\n"
               "  onionwatch search 'fentanyl from:CN to:US price<200 vendor:drwhite market:empire since:2026-01-01'")
    search.add_argument("query", help="the query (quote it as one argument)")
    search.add_argument("--limit", type=int, default=10, help="hits to show (default 10)")
    search.add_argument("--json", action="store_true", help="print hits and facets as one JSON object")
    search.set_defaults(run=run)


def run(args) -> int:
    from search_index import QueryError, SchemaError, open_store, store_exists

    config = load_config(args.data_dir)
    if not store_exists(config):
        return fail(f"no search store at {config.store_path}: run `onionwatch demo` or `onionwatch crawl` first")
    if args.limit < 0:
        return fail("--limit must be 0 or more")
    try:
        with open_store(config) as store:
            result = store.search(args.query, limit=args.limit)
    except QueryError as exc:
        return fail(f"{exc} (see `onionwatch search --help`)")
    except SchemaError as exc:
        return fail(str(exc))
    except RuntimeError as exc:  # search_index.es_store.StoreUnavailable
        return fail(str(exc))
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        print(format_hits(args.query, result))
    return 0


def format_hits(query: str, result) -> str:
    """The terminal view of a search: one block a hit, with its evidence pointer."""
    more = "+" if getattr(result, "approximate", False) else ""  # counted up to a limit: "10,000+"
    lines = [f"{result.total:,}{more} listing(s) match {query!r}" + (":" if result.hits else ".")]
    for number, hit in enumerate(result.hits, 1):
        price = f"${hit['price_usd']:,.2f}" if hit.get("price_usd") is not None else "price ?"
        ships_to = ",".join(hit.get("ships_to") or []) or "?"
        lines.append(f"{number:3}. [{hit['market']}] {hit['title']}")
        lines.append(f"     vendor {hit.get('vendor') or '?'} | {price} | ships from {hit.get('ships_from') or '?'}"
                     f" to {ships_to} | {', '.join(hit.get('drugs') or []) or 'no drug recognised'}")
        terms = [f"{name} {'?' if hit.get(key) is None else ('yes' if hit[key] else 'no')}"
                 for name, key in (("escrow", "escrow"), ("FE", "finalize_early"), ("in stock", "in_stock"))]
        stock = f" ({hit['stock']})" if hit.get("stock") is not None else ""
        category = f" | category {hit['category']}" if hit.get("category") else ""
        accepts = f" | accepts {', '.join(hit['currencies'])}" if hit.get("currencies") else ""
        lines.append(f"     {' | '.join(terms)}{stock}{category}{accepts}")
        evidence = hit.get("evidence") or {}
        if evidence:
            lines.append(f"     evidence {evidence.get('warc_file')} {evidence.get('record_id')}"
                         f" {evidence.get('digest')} fetched {evidence.get('fetched_at')}")
    return "\n".join(lines)
