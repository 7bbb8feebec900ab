"""Forum-style vendor shops (``backroom-sandbox``): each listing is a thread, facts are in the post.

Modelled on phpBB-style shop boards: the price, where it ships from and to, and escrow or FE
terms are written by the vendor in the first post ("shipping from the NL, EU only"), not in
labelled fields. Only the thread subject, its author and its board are labelled; the rest is for
extraction to find (the ground truth keeps each fact and the exact text it was written as).

URL scheme (anything else is 404):

- ``/`` or ``/index.php``                    boards: ``table.forums a.forumtitle``
- ``/viewforum.php?f=N&start=K``             threads of board ``N`` (1-based), 25 a page,
                                             ``K`` a multiple of 25 (absent = 0)
- ``/viewtopic.php?t=<id>``                  a shop thread (one listing)
- ``/memberlist.php?mode=viewprofile&un=<handle>``   a member's profile
- ``/feedback.php?un=<handle>``              the member's trade feedback
- ``/search.php?keywords=WORDS&start=K``     search, paginated like boards
- ``/download/file.php?id=<id>_<n>``         attachment ``n`` (a product photo) of a thread

Board pages: ``ul.topiclist li.row`` with ``a.topictitle`` (subject, ``href`` = the thread) and
``a.username``; ``div.pagination a[rel=next]`` / ``a[rel=prev]``.

Thread: ``h2.topic-title a`` (subject); ``ul.breadcrumbs span.crumb.board a`` (board name); the
first post is ``div.post.first``: ``p.author a.username`` (vendor), ``div.content p`` (one
``p`` a paragraph of free text), ``dl.attachbox img``. Buyers' replies follow as ``div.post.reply``.

Profile: ``dl.details dd.username``; ``dl.contact-fields dd`` (``data-kind`` wickr, telegram,
session, jabber); ``div.codebox pre`` (PGP key block, when published); ``div.signature`` is free
text holding the vendor's BTC and XMR addresses; ``ul.user-topics a.topictitle``.

Every page: ``div.footer-deposit p.deposit`` holds the *forum's* escrow addresses. Defences behave
as described in ``onionwatch.sandbox.runtime`` (``/login`` with CAPTCHA, queue page
``div#queue a#queue-pass``, 429 with ``Retry-After``, ``input[name=_token]``,
``ul.mirror-list``).
"""
from __future__ import annotations

import random

from ..model import Listing, Market, Vendor
from ..vocab import CONTACT_KINDS
from . import chrome
from .base import HTML_TYPE, Request, Response, esc, listing_text
from .common import deposit_line, feedback_entries, photo_response, search_indices

__all__ = ["handle", "vendor_path", "category_path", "vendor_labelled"]

PER_PAGE = 25
_REPLIES = ("is this legit? anyone ordered?", "got mine yesterday, as described", "bump",
            "pm sent", "what's the stealth like to the UK?", "vouch, 3rd order")


def vendor_path(handle: str) -> str:
    return f"/memberlist.php?mode=viewprofile&un={handle}"


def category_path(slug: str, market: Market | None = None) -> str:
    from ..vocab import CATEGORIES

    return f"/viewforum.php?f={list(CATEGORIES).index(slug) + 1}"


def vendor_labelled(market: Market, vendor: Vendor) -> dict:
    return {"handle": vendor.handle, "pgp_key": vendor.pgp.armored if vendor.pgp else None,
            "contacts": [c.value for c in vendor.contacts]}


def _page(market: Market, title: str, body: str, status: int = 200) -> Response:
    html = ('<!DOCTYPE html>\n<html dir="ltr" lang="en-gb"><head><meta charset="utf-8">'
            f"<title>{esc(title)} - The Backroom</title></head><body id=phpbb>"
            '<div class="headerbar"><h1>The Backroom</h1><p>vendors &amp; buyers since 2019</p>'
            f'{_boards_line(market)}</div><div id="page-body">{_sponsored(market)}{body}</div>'
            f'{_jump(market)}'
            f'<div class="footer-deposit">{deposit_line(market)}</div></body></html>')
    return Response(status, html.encode("utf-8"), HTML_TYPE)


def _boards_line(market: Market) -> str:
    """The header's board list, each board with the drugs it holds (phpBB "quick links")."""
    if not chrome.on(market):
        return ""
    return "".join(
        f'<p class="ql"><a href="{esc(category_path(category.slug))}">{esc(category.name)}</a>: '
        + ", ".join(f"{esc(label.lower())} ({count})" for label, _, count in subs) + "</p>"
        for category, subs in chrome.menu(market))


def _sponsored(market: Market) -> str:
    """Sponsored shops above every page's content: other vendors' threads, prices, origins."""
    if not chrome.on(market):
        return ""
    w = chrome.words(market)
    lines = "".join(chrome.item_line(market, item, item.url_path, "sp")
                    for item in chrome.featured(market))
    return f'<div class="panel bg3"><h3>{w["sponsored"]}</h3>{lines}</div>'


def _jump(market: Market) -> str:
    if not chrome.on(market):
        return ""
    w = chrome.words(market)
    options = "".join(f"<option>{esc(label)}</option>" for _, subs in chrome.menu(market)
                      for label, _, _ in subs)
    return (f'<div class="jumpbox"><p class="warn">{esc(w["notice"])}</p>'
            f'<label>{w["jump"]}</label><select>{options}</select></div>')


def _missing(market: Market) -> Response:
    return _page(market, "Information", '<div class="panel"><p class="error">The requested '
                 "topic does not exist.</p></div>", 404)


def _start(request: Request, total: int) -> int | None:
    raw = request.param("start", "0") or ""
    if not raw.isdigit() or raw != str(int(raw)) or int(raw) % PER_PAGE:
        return None
    start = int(raw)
    return start if start == 0 or start < total else None


def handle(market: Market, request: Request) -> Response:
    path = request.path
    if path in ("/", "/index.php"):
        rows = "".join(
            f'<tr><td><a class="forumtitle" href="{esc(category_path(c.slug))}">{esc(c.name)}'
            f'</a></td><td class="topics">{len(market.category_indices(c.slug))}</td></tr>'
            for c in market.categories)
        return _page(market, "Index", f'<table class="forums">{rows}</table>')
    if path == "/viewforum.php":
        f = request.param("f", "") or ""
        if f.isdigit() and f == str(int(f)) and 1 <= int(f) <= len(market.categories):
            cat = market.categories[int(f) - 1]
            return _board(market, request, cat.name, market.category_indices(cat.slug),
                          f"/viewforum.php?f={f}")
    if path == "/search.php":
        words = request.param("keywords", "") or ""
        return _board(market, request, f"Search: {words}", search_indices(market, words),
                      f"/search.php?keywords={esc(words)}")
    if path == "/viewtopic.php":
        item = market.listing_by_id(request.param("t", "") or "")
        if item is not None:
            return _topic(market, item)
    if path == "/memberlist.php" and request.param("mode") == "viewprofile":
        vendor = market.vendor(request.param("un", "") or "")
        if vendor is not None:
            return _profile(market, vendor)
    if path == "/feedback.php" and (vendor := market.vendor(request.param("un", "") or "")):
        items = "".join(f'<li class="fb">[{date}] {stars}/5 {esc(text)}</li>'
                        for date, stars, text, _ in feedback_entries(market, vendor))
        return _page(market, "Feedback", f'<h2>Trade feedback: {esc(vendor.handle)}</h2>'
                     f'<ul class="feedback">{items}</ul>')
    if path == "/download/file.php":
        listing_id, _, number = (request.param("id", "") or "").partition("_")
        if found := photo_response(market, listing_id, number):
            return found
    return _missing(market)


def _board(market: Market, request: Request, title: str, indices: list[int],
           base: str) -> Response:
    start = _start(request, len(indices))
    if start is None:
        return _missing(market)
    rows = []
    for i in indices[start: start + PER_PAGE]:
        item = market.listing_at(i)
        rows.append(f'<li class="row"><a class="topictitle" href="{esc(item.url_path)}">'
                    f'{esc(item.title)}</a> by <a class="username" '
                    f'href="{esc(vendor_path(item.vendor))}">{esc(item.vendor)}</a></li>')
    nav = ['<div class="pagination">']
    if start:
        nav.append(f'<a rel="prev" href="{base}&amp;start={start - PER_PAGE}">Previous</a>')
    nav.append(f"<strong>{start // PER_PAGE + 1}</strong>")
    if start + PER_PAGE < len(indices):
        nav.append(f'<a rel="next" href="{base}&amp;start={start + PER_PAGE}">Next</a>')
    nav.append("</div>")
    return _page(market, title, f'<h2 class="forum-title">{esc(title)}</h2>'
                 f'<ul class="topiclist">{"".join(rows)}</ul>{"".join(nav)}')


def _topic(market: Market, item: Listing) -> Response:
    content = "".join(f"<p>{listing_text(market, item, p)}</p>" for p in item.paragraphs)
    attach = "".join(f'<img src="/download/file.php?id={esc(item.listing_id)}_{n}" alt="">'
                     for n in range(1, len(item.photos) + 1))
    rng = random.Random(f"{market.seed}:{market.name}:{item.index}:replies")
    replies = "".join(
        f'<div class="post reply"><p class="author">by <span class="buyer">buyer{rng.randint(100, 999)}'
        f'</span></p><div class="content"><p>{esc(rng.choice(_REPLIES))}</p></div></div>'
        for _ in range(rng.randint(0, 3)))
    board = esc(category_path(item.category.slug))
    body = (f'<ul class="breadcrumbs"><span class="crumb"><a href="/index.php">Board index</a>'
            f'</span> &raquo; <span class="crumb board"><a href="{board}">'
            f'{esc(item.category.name)}</a></span></ul>'
            f'<h2 class="topic-title"><a href="{esc(item.url_path)}">{esc(item.title)}</a></h2>'
            f'<div class="post first" id="p{esc(item.listing_id)}"><p class="author">by '
            f'<a class="username" href="{esc(vendor_path(item.vendor))}">{esc(item.vendor)}</a>'
            f'</p><div class="content">{content}</div><dl class="attachbox">{attach}</dl></div>'
            f"{replies}")
    return _page(market, item.title, body)


def _profile(market: Market, vendor: Vendor) -> Response:
    fields = "".join(f'<dt>{CONTACT_KINDS[c.kind]}:</dt><dd data-kind="{c.kind}">'
                     f"{esc(c.value)}</dd>" for c in vendor.contacts)
    key = (f'<div class="codebox"><p>PGP:</p><pre>{esc(vendor.pgp.armored)}</pre></div>'
           if vendor.pgp else "")
    wallets = " | ".join([f"BTC for direct deals: {a}" for a in vendor.btc]
                         + [f"xmr: {a}" for a in vendor.xmr])
    topics = "".join(f'<li><a class="topictitle" href="{esc(market.listing_at(i).url_path)}">'
                     f"{esc(market.listing_at(i).title)}</a></li>"
                     for i in market.vendor_indices(vendor.handle))
    about = " ".join(esc(p) for p in vendor.profile_paragraphs)
    body = (f'<h2 class="memberlist-title">Viewing profile - {esc(vendor.handle)}</h2>'
            f'<dl class="details"><dt>Username:</dt><dd class="username">{esc(vendor.handle)}</dd>'
            f'<dt>Joined:</dt><dd class="joined">{vendor.since}</dd>'
            f'<dt>Total posts:</dt><dd class="posts">{vendor.sales}</dd></dl>'
            f'<dl class="contact-fields">{fields}</dl>{key}'
            f'<div class="about">{about}</div>'
            f'<div class="signature">{esc(vendor.signoff)} -- {esc(wallets)}</div>'
            f'<p><a class="feedback" href="/feedback.php?un={esc(vendor.handle)}">Feedback</a></p>'
            f'<ul class="user-topics">{topics}</ul>')
    return _page(market, f"Viewing profile - {vendor.handle}", body)
