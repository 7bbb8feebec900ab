"""A saved market site (a folder of pages saved from a browser or mirrored with wget) served on
127.0.0.1, so a profile can be tried on it with a real crawl: ``onionwatch crawl --from-dir DIR``.

The folder is served as it is, by a small HTTP server on a loopback port the system chooses, for
as long as the crawl runs, in the crawl's own process. Every saved page is a start page (links are
not followed: a saved site holds only what was saved, and its links point to the market). A page's
address is its path in the folder (``listings/listing_0`` -> ``/listings/listing_0``); a file
saved as ``viewProduct?offer=12`` is served at ``/viewProduct?offer=12``, so URL patterns written
for the live market match a wget mirror. Files without a suffix are served as HTML when they start
like HTML, and with ``charset=utf-8`` when they are valid UTF-8: pages saved by a browser or a
script are often written in UTF-8 while keeping the market's ``<meta charset=ISO-8859-1>``, and
that header keeps their text from being misread. Nothing outside the folder is served.

Why a server rather than Scrapy's ``file://`` handler: the crawl is the real one (the same
middlewares, the WARC evidence with HTTP headers, the same records and replay), only the
address differs.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "item").mkdir(), (folder / "item" / "7").write_text("<html><h1>Pills</h1></html>")
>>> [p.url_path for p in saved_pages([folder])]
['/item/7']
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from dataclasses import replace
from typing import Any, Iterable, Iterator
from urllib.parse import quote, unquote, urlsplit

from crawlers.profile import MarketProfile

__all__ = ["SavedPage", "saved_pages", "serve_folder", "looks_like_html", "html_content_type",
           "saved_site_profile", "crawl_saved_site"]

_HTML_SUFFIXES = (".html", ".htm", ".xhtml")


@dataclass(frozen=True)
class SavedPage:
    """A saved page's file and the path it is served at (what URL patterns see)."""

    file: Path
    url_path: str


def looks_like_html(path: Path) -> bool:
    """An ``.html``/``.htm`` file, or a file without a suffix whose first bytes look like HTML."""
    if path.suffix.lower() in _HTML_SUFFIXES:
        return True
    if "." in path.name and "?" not in path.name:
        return False
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096).lstrip().lower()
    except OSError:
        return False
    return head.startswith((b"<!doctype html", b"<html", b"<!--", b"<head", b"<body", b"<meta"))


def html_content_type(body: bytes) -> str:
    """The ``Content-Type`` a saved HTML page is served with: UTF-8 when it decodes as UTF-8.

    >>> html_content_type("é".encode()), html_content_type("é".encode("latin-1"))
    ('text/html; charset=utf-8', 'text/html')
    """
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return "text/html"
    return "text/html; charset=utf-8"


def _url_path(relative: str) -> str:
    path, _, query = relative.partition("?")
    return quote("/" + path) + (f"?{query}" if query else "")


def saved_pages(paths: Iterable[Path | str]) -> list[SavedPage]:
    """The HTML pages among ``paths``: files as given (served at ``/<name>``), folders read
    recursively in name order (served at their path in the folder); hidden files are skipped."""
    pages: list[SavedPage] = []
    for given in map(Path, paths):
        if given.is_dir():
            for file in sorted(f for f in given.rglob("*") if f.is_file()):
                relative = file.relative_to(given)
                if any(part.startswith(".") for part in relative.parts) or not looks_like_html(file):
                    continue
                pages.append(SavedPage(file, _url_path(relative.as_posix())))
        elif given.is_file():
            pages.append(SavedPage(given, _url_path(given.name)))
        else:
            raise FileNotFoundError(f"no such file or folder: {given}")
    return pages


class _Handler(SimpleHTTPRequestHandler):
    """Serves the folder (and nothing outside it); ``?query`` is part of a saved file's name."""

    def translate_path(self, path: str) -> str:
        parts = urlsplit(path)
        root = Path(self.directory).resolve()
        for candidate in (unquote(parts.path) + (f"?{parts.query}" if parts.query else ""), unquote(parts.path)):
            target = (root / candidate.lstrip("/")).resolve()
            if target.is_relative_to(root) and target.is_file():
                return str(target)
        return str(root / "\0missing")  # 404

    def guess_type(self, path) -> str:
        if looks_like_html(Path(path)):
            try:
                return html_content_type(Path(path).read_bytes())
            except OSError:
                return "text/html"
        return super().guess_type(path)

    def list_directory(self, path):  # no folder listings: only the saved pages themselves
        self.send_error(404, "Not found")
        return None

    def log_message(self, format, *args) -> None:  # the crawl reports what it fetched
        pass


@contextmanager
def serve_folder(folder: Path | str) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 at a free port while the block runs; yields the base URL."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"no such folder: {folder}")

    def handler(*args, **kwargs):
        return _Handler(*args, directory=str(folder), **kwargs)

    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="saved-site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def saved_site_profile(profile: MarketProfile, pages: list[SavedPage], base_url: str) -> MarketProfile:
    """The profile for crawling a served saved site: its address, every saved page a start page,
    no links followed, no mirrors."""
    return replace(profile.with_base_url(base_url), start_paths=tuple(p.url_path for p in pages), follow=(),
                   mirrors=(), allow_hosts=())


def crawl_saved_site(profile: MarketProfile, folder: Path | str, *, proxy: str | None = None, **options: Any):
    """Serve ``folder`` on 127.0.0.1 and crawl every saved page in it with ``profile``
    (:func:`crawlers.run.run_crawl` and its ``options``). Loopback is fetched directly unless a
    ``proxy`` is given (a SOCKS relay on loopback, as the tests use). Returns the crawl's report."""
    from crawlers.run import run_crawl

    pages = saved_pages([folder])
    if not pages:
        raise FileNotFoundError(f"{folder}: no saved HTML pages in this folder")
    with serve_folder(folder) as base_url:
        return run_crawl(saved_site_profile(profile, pages, base_url), proxy=proxy,
                         direct_loopback=proxy is None, **options)
