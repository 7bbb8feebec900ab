"""Crawl records for a rebuild: the records files where they exist, else re-made from the WARC archive.

The WARC archive is the source of truth. Each WARC file names its crawl in its ``warcinfo`` record
(``onionwatch-market``, ``onionwatch-crawl-id``); :func:`plan_sources` groups the files by crawl and
uses a crawl's records file (``items/<market>-<crawl id>.jsonl``) when it exists, else (or always, with
``from_warc``) re-makes the records from the archived responses with :func:`crawlers.replay.replay_records`
and the market's profile. A crawl's profile is, in order: one given by the caller (by market name),
the profile file its crawl job recorded (``jobs/<market>-<crawl id>/job.json``), or the bundled profile
of that name. A crawl without a profile stops the plan before anything is rebuilt.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from onionwatch.core.layout import warc_glob

__all__ = ["ArchivedCrawl", "SourcePlan", "SourceError", "archived_crawls", "plan_sources", "plan_records"]


class SourceError(ValueError):
    """The archive cannot be replayed as asked; the message says what to give."""


@dataclass
class ArchivedCrawl:
    """One crawl's WARC files, in the order they were written."""

    market: str
    crawl_id: str
    warcs: list[Path] = field(default_factory=list)


@dataclass
class SourcePlan:
    """What a rebuild reads: records files, and crawls re-made from their WARC files (with profiles)."""

    records_files: list[Path] = field(default_factory=list)
    replayed: list[tuple[ArchivedCrawl, Any]] = field(default_factory=list)

    def describe(self) -> str:
        parts = []
        if self.records_files:
            parts.append(f"{len(self.records_files)} records file(s)")
        if self.replayed:
            files = sum(len(crawl.warcs) for crawl, _ in self.replayed)
            parts.append(f"{len(self.replayed)} crawl(s) re-made from {files} WARC file(s)")
        return " and ".join(parts) or "nothing"


def _warcinfo(path: Path) -> dict[str, str]:
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type != "warcinfo":
                return {}
            text = record.content_stream().read().decode("utf-8", errors="replace")
            return dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
    return {}


def archived_crawls(warc_dir: str | Path) -> list[ArchivedCrawl]:
    """The crawls in a WARC folder, named by each file's ``warcinfo`` record (files without one are skipped)."""
    crawls: dict[tuple[str, str], ArchivedCrawl] = {}
    for path in sorted(Path(warc_dir).glob(warc_glob())):
        try:
            info = {k.strip(): v.strip() for k, v in _warcinfo(path).items()}
        except (OSError, ValueError, EOFError):
            continue
        market, crawl_id = info.get("onionwatch-market"), info.get("onionwatch-crawl-id")
        if market and crawl_id:
            crawls.setdefault((market, crawl_id), ArchivedCrawl(market, crawl_id)).warcs.append(path)
    return list(crawls.values())


def _profile_for(config, crawl: ArchivedCrawl, given: dict[str, Any]):
    from crawlers.profile import ProfileError, load_profile

    if crawl.market in given:
        return given[crawl.market]
    job = config.job_dir(crawl.market, crawl.crawl_id) / "job.json"
    if job.exists():
        recorded = json.loads(job.read_text(encoding="utf-8"))
        if recorded.get("profile") and Path(recorded["profile"]).exists():
            profile = load_profile(recorded["profile"])
            return profile.with_base_url(recorded["base_url"], replaying=True) if recorded.get("base_url") else profile
    try:
        return load_profile(crawl.market)
    except ProfileError:
        raise SourceError(f"no profile for market {crawl.market!r} (crawl {crawl.crawl_id}, {crawl.warcs[0]}):"
                          " its crawl job names none that still exists and none is bundled; give the market's"
                          " profile with --profile FILE") from None


def plan_sources(config, *, from_warc: bool = False, profiles: Iterable[Any] = ()) -> SourcePlan:
    """Records files of the data directory, and the archived crawls without one (all with ``from_warc``)."""
    given = {profile.name: profile for profile in profiles}
    plan = SourcePlan()
    covered: set[str] = set()
    for crawl in archived_crawls(config.warc_dir):
        items = config.records_path(crawl.market, crawl.crawl_id)
        if items.exists() and not from_warc:
            continue
        covered.add(items.name)
        plan.replayed.append((crawl, _profile_for(config, crawl, given)))
    plan.records_files = [p for p in config.records_files() if p.name not in covered]
    return plan


def plan_records(plan: SourcePlan, report) -> Iterator[Any]:
    """Every record of a plan: records files first, then the replayed crawls; parse errors are counted
    in ``report`` (an :class:`~onionwatch.pipeline.indexing.IndexReport`) as the records files count them."""
    from onionwatch.pipeline.indexing import read_records

    yield from read_records(plan.records_files, report)
    for crawl, profile in plan.replayed:
        from crawlers.replay import replay_records  # the crawler is imported only when replaying

        for record in replay_records(crawl.warcs, profile):
            if isinstance(record, dict):
                if record.get("kind") == "parse_error":
                    report.parse_errors += 1
                    report.problems.append(f"{record.get('url')}: parse error (replayed from the archive)")
                continue
            yield record
