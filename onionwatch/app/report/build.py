"""Gather the report's sections from the insights library and render the template."""
from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # the report draws off-screen, whatever display there is
import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape

from onionwatch import __version__
from onionwatch.app import insights
from onionwatch.app.insights import plots

__all__ = ["build_report", "report_context", "write_report"]

#: How many of the top vendor clusters the graph picture shows.
PICTURED_ACTORS = 5

#: The Content-Security-Policy of the report: no scripts, no fetches; images only inline.
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def _env() -> Environment:
    env = Environment(loader=PackageLoader("onionwatch.app.report", "templates"),
                      autoescape=select_autoescape(["html", "j2"], default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["usd"] = lambda v: "" if v is None or pd.isna(v) else f"${v:,.2f}"
    env.filters["listing"] = lambda v: ", ".join(v) if isinstance(v, (list, tuple)) else ("" if v is None or (isinstance(v, float) and pd.isna(v)) else v)
    return env


def _rows(table: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: (None if not isinstance(v, (list, tuple, dict)) and pd.isna(v) else v)
             for k, v in row.items()} for row in table.to_dict(orient="records")]


def report_context(data, *, top: int = 10) -> dict[str, Any]:
    """Everything the template shows, as plain values (tables as lists of row dicts)."""
    listings = data.listings()
    changes = insights.changes_since_last_crawl(data)
    change_counts = (changes.groupby(["market", "change"]).size().unstack(fill_value=0)
                     .reindex(columns=list(insights.changes.CHANGE_ORDER), fill_value=0).reset_index())
    clusters = insights.actor_table(data, n=top)
    pictured = clusters["actor"].head(PICTURED_ACTORS).tolist()
    watch = insights.watch_listings(data)
    return {
        "title": "onionwatch report",
        "version": __version__,
        "generated": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "source": str(data.config.es_url or data.config.data_dir),
        "csp": CSP,
        "overview": _rows(insights.market_overview(data)),
        "health": _rows(insights.crawl_health(data)),
        "coverage": _rows(insights.extraction_coverage(data)),
        "markup": _rows(insights.markup_listings(data)),
        "change_counts": _rows(change_counts),
        "watch_changes": _rows(insights.watch_changes(data).head(50)),
        "new_listings": _rows(changes[changes["change"] == "new"].head(top)),
        "new_total": int((changes["change"] == "new").sum()),
        "watch_total": len(watch),
        "watch_vendors": _rows(insights.watch_vendors(data, n=top)),
        "watch_routes": _rows(insights.watch_routes(data).head(top)),
        "watch_prices": _rows(insights.watch_prices(data)),
        "top_vendors": _rows(insights.top_vendors(data, n=top)),
        "clusters": _rows(clusters),
        "actors_total": len(insights.actor_table(data, n=None)),
        "graph_source": data.graph_source,
        "pictured": len(pictured),
        "images": {
            "classes": plots.figure_data_uri(plots.class_chart(insights.listings_by_class(data))),
            "routes": plots.figure_data_uri(plots.routes_chart(insights.shipping_routes(listings))),
            "watch_routes": plots.figure_data_uri(plots.routes_chart(insights.watch_routes(data))),
            "watch_prices": plots.figure_data_uri(plots.unit_price_chart(watch, unit="g")),
            "graph": plots.figure_data_uri(plots.graph_figure(
                insights.clusters_view(data, pictured),
                title=f"The top {len(pictured)} vendor clusters: accounts, alias links and shared identifiers")),
        },
    }


def build_report(data, *, top: int = 10) -> str:
    """The report as one HTML string."""
    return _env().get_template("report.html.j2").render(**report_context(data, top=top))


def write_report(data, path: str | os.PathLike, *, top: int = 10) -> Path:
    """Write the report to ``path`` (UTF-8); return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    html = build_report(data, top=top)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(path)
    return path
