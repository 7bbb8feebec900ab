"""Dream/Empire-style market: categories of paginated listing tables, table-layout detail pages.

URL scheme (anything else, including a page number out of range, is 404):

- ``/``                            index: market name, one link per category
- ``/category/<slug>?page=N``      listings of a category, ``market.page_size`` a page, N from 1
- ``/listing/<id>``                one listing
- ``/vendor/<handle>?page=N``      vendor profile and their listings, paginated like categories

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

All market text is HTML-escaped; no page carries scripts. Texts of the selectors above, stripped
of surrounding whitespace, equal the ``*_text`` / name fields of the ground truth.
"""
from __future__ import annotations

from ..model import Listing, Market, Vendor
from ..vocab import CONTACT_KINDS
from .base import Request, Response, esc, not_found, page

__all__ = ["handle"]


def handle(market: Market, request: Request) -> Response:
    parts = request.path.split("/")[1:]
    if request.path == "/":
        return _index(market)
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
            f'<ul class="categories">\n{items}\n</ul>')
    return page(market, "Home", body)


def _page_number(request: Request, pages: int) -> int | None:
    raw = request.param("page", "1")
    if not raw or not raw.isdigit() or raw != str(int(raw)):
        return None
    number = int(raw)
    return number if 1 <= number <= pages else None


def _paged(market: Market, request: Request, base: str, title: str, head: str,
           indices: list[int]) -> Response:
    size = market.page_size
    pages = max(1, -(-len(indices) // size))
    number = _page_number(request, pages)
    if number is None:
        return not_found(market)
    rows = [market.listings[i] for i in indices[(number - 1) * size: number * size]]
    body = f"{head}\n{_listing_table(rows)}\n{_pagination(base, number, pages)}"
    return page(market, title if number == 1 else f"{title} - page {number}", body)


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


def _pagination(base: str, number: int, pages: int) -> str:
    parts = ['<nav class="pagination">']
    if number > 1:
        parts.append(f'<a rel="prev" class="prev" href="{esc(base)}?page={number - 1}">'
                     "&laquo; Previous</a>")
    parts.append(f'<span class="page-info">Page <span class="page-current">{number}</span> of '
                 f'<span class="page-total">{pages}</span></span>')
    if number < pages:
        parts.append(f'<a rel="next" class="next" href="{esc(base)}?page={number + 1}">'
                     "Next &raquo;</a>")
    parts.append("</nav>")
    return "\n".join(parts)


def _yes_no(flag: bool) -> str:
    return "Yes" if flag else "No"


def _listing(market: Market, item: Listing) -> Response:
    rows = (
        ("Listing ID", "listing-id", esc(item.listing_id)),
        ("Vendor", "vendor",
         f'<a class="vendor" href="/vendor/{esc(item.vendor)}">{esc(item.vendor)}</a>'),
        ("Category", "category",
         f'<a class="category" href="{esc(item.category.url_path)}">{esc(item.category.name)}</a>'),
        ("Price", "price-usd", esc(item.price_text)),
        ("Price (BTC)", "price-btc", esc(item.price_btc_text)),
        ("Price (XMR)", "price-xmr", esc(item.price_xmr_text)),
        ("Ships from", "ships-from", esc(item.ships_from_text)),
        ("Ships to", "ships-to", esc(item.ships_to_text)),
        ("Escrow", "escrow", _yes_no(item.escrow)),
        ("Finalize early", "finalize-early", _yes_no(item.finalize_early)),
    )
    table = "\n".join(f'<tr><th>{label}</th><td class="{cls}">{cell}</td></tr>'
                      for label, cls, cell in rows)
    paragraphs = "\n".join(f"<p>{esc(p)}</p>" for p in item.paragraphs)
    body = (f'<div class="listing" id="listing-{esc(item.listing_id)}">\n'
            f'<h1 class="title">{esc(item.title)}</h1>\n'
            f'<table class="listing-details">\n{table}\n</table>\n'
            f'<div class="description">\n{paragraphs}\n</div>\n</div>')
    return page(market, item.title, body)


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
            f'<div class="profile-text"><p>{esc(vendor.profile)}</p></div>\n'
            f"<h2>PGP key</h2>\n{key}\n"
            f'<h2>Payment</h2>\n<ul class="btc-addresses">\n{btc}\n</ul>\n'
            f'<ul class="xmr-addresses">\n{xmr}\n</ul>\n'
            f'<h2>Contact</h2>\n<ul class="contacts">\n{contacts}\n</ul>\n'
            "</div>\n<h2>Listings</h2>")
