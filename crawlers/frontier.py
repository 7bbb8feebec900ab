"""A crawl frontier that survives ``kill -9``: a Scrapy scheduler over one SQLite file a crawl.

Scrapy's ``JOBDIR`` keeps its queue in files written on a clean shutdown only, so a killed crawl
loses it. This scheduler writes every request to SQLite (WAL journal) the moment it is scheduled,
keyed by its request fingerprint, and remembers each one's state:

``pending`` -> ``dispatched`` (handed to the downloader) -> ``done`` (its page was parsed, every
request it yielded is in the frontier and every record it yielded has been through the pipelines).

Opening the frontier again turns ``dispatched`` back into ``pending``: a page that was being
fetched or parsed when the process died is fetched again (at least once); the records pipeline
skips records it already wrote, so nothing is lost and nothing is duplicated.

Scrapy hands a page's output on concurrently, so "the callback returned" is not "its output is
safe". :class:`FrontierSpiderMiddleware` counts a page's outputs and tags the requests with their
page; the frontier counts them back in as they are stored (requests) or come out of the item
pipelines (``item_scraped`` / ``item_dropped`` / ``item_error``), and marks the page done when
all are back.

Settings: ``ONIONWATCH_JOB_DIR`` (folder of ``frontier.sqlite3``; without it Scrapy's own
in-memory scheduler is used by :mod:`crawlers.run`).
"""
from __future__ import annotations

import logging
import pickle
import sqlite3
from pathlib import Path

from scrapy import Request, signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.request import request_from_dict

__all__ = ["SqliteFrontier", "FrontierSpiderMiddleware", "page_parsed",
           "PENDING", "DISPATCHED", "DONE"]

logger = logging.getLogger(__name__)

PENDING, DISPATCHED, DONE = 0, 1, 2
#: Signal sent with ``request=`` and ``outputs=`` when a page's callback has yielded its last output.
page_parsed = object()
#: ``meta`` key tagging a request with the fingerprint of the page that yielded it.
PARENT_META_KEY = "onionwatch_parent"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS requests (
    fp TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    priority INTEGER NOT NULL,
    state INTEGER NOT NULL,
    url TEXT NOT NULL,
    data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS pending ON requests (state, priority DESC, seq);
"""


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)  # autocommit: each statement is durable alone
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")  # survives a killed process; an OS crash may lose the last few
    db.executescript(_SCHEMA)
    return db


class SqliteFrontier:
    """Scrapy scheduler (``SCHEDULER`` setting) keeping the frontier in ``<job dir>/frontier.sqlite3``."""

    def __init__(self, job_dir: Path, crawler=None) -> None:
        self.path = Path(job_dir) / "frontier.sqlite3"
        self.crawler = crawler
        self.stats = crawler.stats if crawler is not None else None
        self._db: sqlite3.Connection | None = None
        self._spider = None
        self._seq = 0
        self._pages: dict[str, list[int | None]] = {}  # fp -> [outputs back, outputs expected]

    @classmethod
    def from_crawler(cls, crawler):
        job_dir = crawler.settings.get("ONIONWATCH_JOB_DIR")
        if not job_dir:
            raise NotConfigured("ONIONWATCH_JOB_DIR is not set")
        frontier = cls(Path(job_dir), crawler)
        crawler.signals.connect(frontier._page_parsed, signal=page_parsed)
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(frontier._item_back, signal=signal)
        return frontier

    def open(self, spider) -> None:
        self._spider = spider
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = _connect(self.path)
        resumed = self._db.execute("UPDATE requests SET state=? WHERE state=?", (PENDING, DISPATCHED)).rowcount
        self._seq = self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM requests").fetchone()[0]
        counts = dict(self._db.execute("SELECT state, COUNT(*) FROM requests GROUP BY state").fetchall())
        if counts:
            logger.info("resuming frontier %s: %d done, %d pending (%d were in flight)", self.path,
                        counts.get(DONE, 0), counts.get(PENDING, 0), resumed)
            if self.stats is not None:
                self.stats.set_value("onionwatch/frontier_resumed_done", counts.get(DONE, 0))

    def close(self, reason: str) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _fingerprint(self, request) -> str:
        return self.crawler.request_fingerprinter.fingerprint(request).hex()

    def has_pending_requests(self) -> bool:
        return self._db.execute("SELECT 1 FROM requests WHERE state=? LIMIT 1", (PENDING,)).fetchone() is not None

    def enqueue_request(self, request) -> bool:
        try:
            return self._enqueue(request)
        finally:
            parent = request.meta.pop(PARENT_META_KEY, None)
            if parent:
                self._output_back(parent)

    def _enqueue(self, request) -> bool:
        fp = self._fingerprint(request)
        self._seq += 1
        stored = request.to_dict(spider=self._spider)
        stored["meta"] = {k: v for k, v in stored["meta"].items() if k != PARENT_META_KEY}
        data = pickle.dumps(stored, protocol=4)
        if request.dont_filter:  # retries and deliberate repeats replace the stored request
            self._db.execute(
                "INSERT INTO requests VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(fp) DO UPDATE SET"
                " data=excluded.data, priority=excluded.priority, seq=excluded.seq, state=excluded.state",
                (fp, self._seq, request.priority, PENDING, request.url, data))
        else:
            cursor = self._db.execute("INSERT OR IGNORE INTO requests VALUES (?, ?, ?, ?, ?, ?)",
                                      (fp, self._seq, request.priority, PENDING, request.url, data))
            if cursor.rowcount == 0:
                if self.stats is not None:
                    self.stats.inc_value("dupefilter/filtered")
                return False
        if self.stats is not None:
            self.stats.inc_value("scheduler/enqueued/sqlite")
        return True

    def next_request(self):
        row = self._db.execute("SELECT fp, data FROM requests WHERE state=? ORDER BY priority DESC, seq"
                               " LIMIT 1", (PENDING,)).fetchone()
        if row is None:
            return None
        self._db.execute("UPDATE requests SET state=? WHERE fp=?", (DISPATCHED, row[0]))
        if self.stats is not None:
            self.stats.inc_value("scheduler/dequeued/sqlite")
        return request_from_dict(pickle.loads(row[1]), spider=self._spider)

    def _page_parsed(self, request, outputs: int, **kwargs) -> None:
        fp = self._fingerprint(request)
        counts = self._pages.setdefault(fp, [0, None])
        counts[1] = outputs
        self._maybe_done(fp, counts)

    def _item_back(self, item=None, response=None, **kwargs) -> None:
        if response is not None and getattr(response, "request", None) is not None:
            self._output_back(self._fingerprint(response.request))

    def _output_back(self, fp: str) -> None:
        counts = self._pages.setdefault(fp, [0, None])
        counts[0] += 1
        self._maybe_done(fp, counts)

    def _maybe_done(self, fp: str, counts: list) -> None:
        if counts[1] is not None and counts[0] >= counts[1]:
            del self._pages[fp]
            if self._db is not None:
                self._db.execute("UPDATE requests SET state=? WHERE fp=?", (DONE, fp))

    def __len__(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM requests WHERE state=?", (PENDING,)).fetchone()[0]


class FrontierSpiderMiddleware:
    """Counts each page's outputs and tags its requests with the page (spider middleware, outermost,
    so it sees what reaches the engine); see :class:`SqliteFrontier`."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.get("ONIONWATCH_JOB_DIR"):
            raise NotConfigured("ONIONWATCH_JOB_DIR is not set")
        return cls(crawler)

    def _tag(self, response, output) -> None:
        if isinstance(output, Request):
            output.meta[PARENT_META_KEY] = self.crawler.request_fingerprinter.fingerprint(response.request).hex()

    def _parsed(self, response, outputs: int) -> None:
        self.crawler.signals.send_catch_log(signal=page_parsed, request=response.request, outputs=outputs)

    def process_spider_output(self, response, result, spider=None):
        outputs = 0
        for output in result:
            self._tag(response, output)
            outputs += 1
            yield output
        self._parsed(response, outputs)

    async def process_spider_output_async(self, response, result, spider=None):
        outputs = 0
        async for output in result:
            self._tag(response, output)
            outputs += 1
            yield output
        self._parsed(response, outputs)
