"""Dream/Empire-style market: categories of paginated listing tables, table-layout detail pages.

URL scheme (anything else, including a page number out of range, is 404):

- ``/``                            index: market name, one link per category
- ``/category/<slug>?page=N``      listings of a category, ``market.page_size`` a page, N from 1
- ``/listing/<id>``                one listing
- ``/vendor/<handle>?page=N``      vendor profile and their listings, paginated like categories
- ``/vendor/<handle>/feedback?page=N``  the vendor's feedback, 15 a page
- ``/search?q=WORDS&page=N``       listings whose product matches, paginated like categories
- ``/static/img/<id>-<n>.jpg``     photo ``n`` of a listing (``div.photos img``)

Every page: ``a.market-name`` (market name, links to ``/``), ``span.rate-btc`` and
``span.rate-xmr`` (``1 BTC = $64,213.55``), page content inside ``main#content``.

Index (``/``): ``h1.market-name``; ``ul.categories li a.category`` (text = category name,
``href`` = ``/category/<slug>``); ``span.category-count`` = ``(N)``.

Listing tables (category and vendor pages): ``table.listings tbody tr.listing`` with
``data-listing-id``; cells ``td.title a.listing-link`` (title text, ``href`` = ``/listing/<id>``),
``td.vendor a.vendor`` (handle, ``href`` = ``/vendor/<handle>``), ``td.price-usd``,
``td.ships-from``, ``td.ships-to``. An empty table has ``p.no-listings`` after it instead of rows.
Category pages have ``h1.category-name``.

Pagination (category and vendor pages): ``nav.pagination`` with ``a[rel=next]`` (class ``next``)
when there is a next page, ``a[rel=prev]`` (class ``prev``) when there is a previous one,
``span.page-current`` and ``span.page-total``. Links are site-relative (``/category/x?page=2``).

Listing page (``/listing/<id>``): ``div.listing#listing-<id>`` containing ``h1.title`` and
``table.listing-details`` whose rows are ``<tr><th>Label</th><td class=...>``:
``td.listing-id``, ``td.vendor a.vendor``, ``td.category a.category``, ``td.price-usd``
(``$1,234.50``), ``td.price-btc`` (``0.01923012 BTC``), ``td.price-xmr`` (``7.712300 XMR``),
``td.ships-from``, ``td.ships-to`` (``Worldwide`` or ``Germany, Holland``), ``td.escrow`` and
``td.finalize-early`` (``Yes``/``No``); then ``div.description`` with one ``p`` a paragraph
(the truth's ``description`` is the paragraphs joined by a blank line).

Vendor page (``/vendor/<handle>``): ``div.vendor-profile#vendor-<handle>`` containing
``h1.vendor-handle``; ``table.vendor-details`` with ``td.member-since``, ``td.sales``,
``td.rating``; ``div.profile-text p``; ``pre.pgp-key`` (armored block) or ``p.no-pgp-key``;
``ul.btc-addresses li code.btc-address``; ``ul.xmr-addresses li code.xmr-address``;
``ul.contacts li.contact`` (``data-kind`` = wickr/telegram/session/jabber) holding
``span.contact-kind`` (label) and ``span.contact-value``; then the vendor's listings table and
pagination as above.

Every page ends with ``footer p.deposit``: the *market's* escrow deposit addresses (the same on
every page and for every vendor: not a vendor identifier).

Defences (each off unless switched on in ``market.defences``; see ``onionwatch.sandbox.runtime``
for the full protocol): ``/login`` form (``username``, ``password``, ``captcha``, hidden ``cid``;
CAPTCHA image at ``/captcha/<cid>.png``, its answer from the oracle's ``/captcha?market=&id=``)
sets the ``session`` cookie; without it pages redirect (302) to ``/login?next=...``.
``/register`` (POST ``username``, ``password``) creates an account. The DDoS queue page is
``div#queue`` with ``a#queue-pass``; follow it after the stated wait to get the ``queue_pass``
cookie. 429 answers carry ``Retry-After``. With tokens on, ``input[name=_token]`` and
``span.generated-at`` change on every response. ``ul.mirror-list a`` lists live mirrors.

All market text is HTML-escaped; no page carries scripts (unless the injection fault is on). Texts of the selectors above, stripped
of surrounding whitespace, equal the ``*_text`` / name fields of the ground truth.
"""
from __future__ import annotations

from ..labels import market_labels
from ..model import Listing, Market, Vendor
from ..vocab import CONTACT_KINDS
from . import chrome
from .base import Request, Response, esc, listing_text, not_found, page
from .common import (FEEDBACK_PAGE, deposit_line, feedback_entries, page_number, pages_of,
                     photo_response, search_indices)

__all__ = ["handle", "vendor_path", "category_path", "vendor_labelled"]


def vendor_path(handle: str) -> str:
    return f"/vendor/{handle}"


def category_path(slug: str) -> str:
    return f"/category/{slug}"


def vendor_labelled(market: Market, vendor: Vendor) -> dict:
    return {"handle": vendor.handle, "pgp_key": vendor.pgp.armored if vendor.pgp else None,
            "btc": list(vendor.btc), "xmr": list(vendor.xmr),
            "contacts": [c.value for c in vendor.contacts]}


def handle(market: Market, request: Request) -> Response:
    parts = request.path.split("/")[1:]
    if request.path == "/":
        return _index(market)
    if request.path == "/search":
        query = request.param("q", "") or ""
        return _paged(market, request, "/search", f"Search: {query}",
                      f'<h1 class="search-title">Results for &quot;{esc(query)}&quot;</h1>',
                      search_indices(market, query), extra=f"q={esc(query)}&amp;")
    if len(parts) == 3 and parts[:2] == ["static", "img"] and parts[2].endswith(".jpg"):
        listing_id, _, number = parts[2][:-4].partition("-")
        return photo_response(market, listing_id, number) or not_found(market)
    if len(parts) == 3 and parts[0] == "vendor" and parts[2] == "feedback":
        vendor = market.vendor(parts[1])
        if vendor is not None:
            return _feedback(market, request, vendor)
    if len(parts) == 2 and parts[1]:
        kind, key = parts
        if kind == "category" and (category := market.category(key)) is not None:
            return _paged(market, request, f"/category/{category.slug}", category.name,
                          f'<h1 class="category-name">{esc(category.name)}</h1>',
                          market.category_indices(category.slug))
        if kind == "listing" and (listing := market.listing_by_id(key)) is not None:
            return _listing(market, listing)
        if kind == "vendor" and (vendor := market.vendor(key)) is not None:
            return _paged(market, request, vendor.url_path, vendor.handle,
                          _vendor_profile(vendor), market.vendor_indices(vendor.handle))
    return not_found(market)


def _index(market: Market) -> Response:
    items = "\n".join(
        f'<li><a class="category" href="{esc(c.url_path)}">{esc(c.name)}</a> '
        f'<span class="category-count">({len(market.category_indices(c.slug))})</span></li>'
        for c in market.categories)
    body = (f'<h1 class="market-name">{esc(market.name)}</h1>\n'
            '<form class="search" action="/search"><input name="q"> <button>Search</button>'
            '</form>\n'
            f'<ul class="categories">\n{items}\n</ul>')
    return _page(market, "Home", body)


def _page(market: Market, title: str, body: str, status: int = 200) -> Response:
    if not chrome.on(market):
        return page(market, title, f"{body}\n<footer>{deposit_line(market)}</footer>", status)
    w = chrome.words(market)
    options = "".join(f"<option>{esc(label)}</option>" for _, subs in chrome.menu(market)
                      for label, _, _ in subs)
    groups = "\n".join(
        f'<div class="c-7f-g"><span class="c-7f-t">{esc(category.name)}</span> '
        f'<a class="c-7f-l" href="{esc(category.url_path)}">{w["all"]}</a> '
        + " \u00b7 ".join(f'<a href="/search?q={esc(words)}">{esc(label)}</a> ({count})'
                          for label, words, count in subs) + "</div>"
        for category, subs in chrome.menu(market))
    featured = "\n".join(chrome.item_line(market, item, item.url_path, "b2")
                         for item in chrome.featured(market))
    body = (f'<form class="s1" action="/search"><input name="q"> <select name="c">'
            f'<option>{w["search_all"]}</option>{options}</select></form>\n'
            f'<p class="n0">{esc(w["notice"])}</p>\n'
            f'<div class="row3"><div class="c-7f"><div class="c-7f-h">{w["browse"]}</div>\n{groups}\n'
            f'</div>\n<div class="c-main">\n{body}\n</div>\n'
            f'<div class="box2"><h3>{w["featured"]}</h3>\n{featured}\n</div></div>\n'
            f'<footer>{deposit_line(market)}<p class="f1">{w["footer"]}</p></footer>')
    return page(market, title, body, status)


def _top_box(market: Market, item: Listing) -> str:
    """The category's top listings, inside the listing's own container (as some markets do)."""
    if not chrome.on(market):
        return ""
    w = chrome.words(market)
    lines = "".join(chrome.item_line(market, top, top.url_path, "q3")
                    for top in chrome.top_in_category(market, item.category.slug))
    return (f'<div class="q3"><h4>{esc(w["top_in"].format(category=item.category.name))}</h4>'
            f"{lines}</div>\n")


def _paged(market: Market, request: Request, base: str, title: str, head: str,
           indices: list[int], extra: str = "") -> Response:
    size = market.page_size
    pages = pages_of(len(indices), size)
    number = page_number(request.param("page"), pages)
    if number is None:
        return not_found(market)
    rows = [market.listing_at(i) for i in indices[(number - 1) * size: number * size]]
    body = f"{head}\n{_listing_table(rows)}\n{_pagination(base, number, pages, extra)}"
    return _page(market, title if number == 1 else f"{title} - page {number}", body)


def _feedback(market: Market, request: Request, vendor: Vendor) -> Response:
    entries = feedback_entries(market, vendor)
    pages = pages_of(len(entries), FEEDBACK_PAGE)
    number = page_number(request.param("page"), pages)
    if number is None:
        return not_found(market)
    rows = "\n".join(
        f'<tr class="feedback"><td class="date">{date}</td><td class="stars">{stars}/5</td>'
        f'<td class="comment">{esc(text)}</td><td class="item">#{esc(item)}</td></tr>'
        for date, stars, text, item in entries[(number - 1) * FEEDBACK_PAGE:
                                               number * FEEDBACK_PAGE])
    base = f"{vendor_path(vendor.handle)}/feedback"
    body = (f'<h1 class="feedback-title">Feedback for {esc(vendor.handle)}</h1>\n'
            f'<p class="feedback-count">{len(entries)} reviews</p>\n'
            f'<table class="feedback">\n{rows}\n</table>\n{_pagination(base, number, pages)}')
    return _page(market, f"Feedback: {vendor.handle}", body)


def _listing_table(rows: list[Listing]) -> str:
    lines = ['<table class="listings">',
             "<thead><tr><th>Item</th><th>Vendor</th><th>Price</th><th>Ships from</th>"
             "<th>Ships to</th></tr></thead>", "<tbody>"]
    for item in rows:
        lines.append(
            f'<tr class="listing" data-listing-id="{esc(item.listing_id)}">'
            f'<td class="title"><a class="listing-link" href="{esc(item.url_path)}">'
            f"{esc(item.title)}</a></td>"
            f'<td class="vendor"><a class="vendor" href="/vendor/{esc(item.vendor)}">'
            f"{esc(item.vendor)}</a></td>"
            f'<td class="price-usd">{esc(item.price_text)}</td>'
            f'<td class="ships-from">{esc(item.ships_from_text)}</td>'
            f'<td class="ships-to">{esc(item.ships_to_text)}</td></tr>')
    lines += ["</tbody>", "</table>"]
    if not rows:
        lines.append('<p class="no-listings">No listings.</p>')
    return "\n".join(lines)


def _pagination(base: str, number: int, pages: int, extra: str = "") -> str:
    parts = ['<nav class="pagination">']
    if number > 1:
        parts.append(f'<a rel="prev" class="prev" href="{esc(base)}?{extra}page={number - 1}">'
                     "&laquo; Previous</a>")
    parts.append(f'<span class="page-info">Page <span class="page-current">{number}</span> of '
                 f'<span class="page-total">{pages}</span></span>')
    if number < pages:
        parts.append(f'<a rel="next" class="next" href="{esc(base)}?{extra}page={number + 1}">'
                     "Next &raquo;</a>")
    parts.append("</nav>")
    return "\n".join(parts)


def _yes_no(flag: bool) -> str:
    return "Yes" if flag else "No"


def _listing(market: Market, item: Listing) -> Response:
    words = market_labels(market, "table")
    rows = (
        ("Listing ID", "listing-id", esc(item.listing_id)),
        ("Vendor", "vendor",
         f'<a class="vendor" href="/vendor/{esc(item.vendor)}">{esc(item.vendor)}</a>'),
        ("Category", "category",
         f'<a class="category" href="{esc(item.category.url_path)}">{esc(item.category.name)}</a>'),
        ("Price", "price-usd", esc(item.price_text)),
        ("Price (BTC)", "price-btc", esc(item.price_btc_text)),
        ("Price (XMR)", "price-xmr", esc(item.price_xmr_text)),
        (words["ships_from"], "ships-from", esc(item.ships_from_text)),
        (words["ships_to"], "ships-to", esc(item.ships_to_text)),
        (words["escrow"], "escrow", _yes_no(item.escrow)),
        (words["finalize_early"], "finalize-early", _yes_no(item.finalize_early)),
    )
    table = "\n".join(f'<tr><th>{label}</th><td class="{cls}">{cell}</td></tr>'
                      for label, cls, cell in rows)
    paragraphs = "\n".join(f"<p>{listing_text(market, item, p)}</p>" for p in item.paragraphs)
    photos = "".join(f'<img class="photo" src="/static/img/{esc(item.listing_id)}-{n}.jpg" '
                     f'alt="photo {n}" width="160" height="120">'
                     for n in range(1, len(item.photos) + 1))
    body = (f'<div class="listing" id="listing-{esc(item.listing_id)}">\n'
            f'<h1 class="title">{esc(item.title)}</h1>\n'
            f'<div class="photos">{photos}</div>\n'
            f'<table class="listing-details">\n{table}\n'
            f'<tr><th>{words["stock"]}</th><td class="stock">{item.stock}</td></tr>\n'
            f'<tr><th>Feedback</th><td class="feedback-count">{item.feedback}</td></tr>\n'
            f'</table>\n{_top_box(market, item)}'
            f'<div class="description">\n{paragraphs}\n</div>\n</div>')
    return _page(market, item.title, body)


def _vendor_profile(vendor: Vendor) -> str:
    details = "\n".join(
        f'<tr><th>{label}</th><td class="{cls}">{esc(value)}</td></tr>'
        for label, cls, value in (("Member since", "member-since", vendor.since),
                                  ("Sales", "sales", vendor.sales),
                                  ("Rating", "rating", vendor.rating)))
    key = (f'<pre class="pgp-key">{esc(vendor.pgp.armored)}</pre>' if vendor.pgp
           else '<p class="no-pgp-key">This vendor has not published a PGP key.</p>')
    btc = "\n".join(f'<li><code class="btc-address">{esc(a)}</code></li>' for a in vendor.btc)
    xmr = "\n".join(f'<li><code class="xmr-address">{esc(a)}</code></li>' for a in vendor.xmr)
    contacts = "\n".join(
        f'<li class="contact" data-kind="{esc(c.kind)}"><span class="contact-kind">'
        f'{esc(CONTACT_KINDS[c.kind])}</span>: <span class="contact-value">{esc(c.value)}</span></li>'
        for c in vendor.contacts)
    return (f'<div class="vendor-profile" id="vendor-{esc(vendor.handle)}">\n'
            f'<h1 class="vendor-handle">{esc(vendor.handle)}</h1>\n'
            f'<table class="vendor-details">\n{details}\n</table>\n'
            '<div class="profile-text">'
            + "".join(f"<p>{esc(p)}</p>" for p in vendor.profile_paragraphs) + "</div>\n"
            f'<p class="feedback-link"><a class="feedback" href="{esc(vendor.url_path)}/feedback">'
            "Feedback</a></p>\n"
            f"<h2>PGP key</h2>\n{key}\n"
            f'<h2>Payment</h2>\n<ul class="btc-addresses">\n{btc}\n</ul>\n'
            f'<ul class="xmr-addresses">\n{xmr}\n</ul>\n'
            f'<h2>Contact</h2>\n<ul class="contacts">\n{contacts}\n</ul>\n'
            "</div>\n<h2>Listings</h2>")
