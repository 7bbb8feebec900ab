"""The readable report: one self-contained HTML file for leads and partners.

:func:`build_report` renders it from a :class:`~onionwatch.app.insights.Data`; :func:`write_report`
writes it. Plots are embedded PNG images, every piece of market text is escaped by Jinja2's
autoescape, and the page carries no script and a Content-Security-Policy that forbids scripts and
any fetch, so it opens offline and nothing in it can run.
"""
from __future__ import annotations

from .build import build_report, report_context, write_report

__all__ = ["build_report", "report_context", "write_report"]
