"""Card-grid market (``vitrine-sandbox``): euro prices, bulk price tiers, shop pages.

URL scheme (anything else is 404):

- ``/``                              featured categories as tiles (``div.tiles a.tile``)
- ``/c/<slug>/<n>``                  category page ``n`` (from 1) of product cards; ``/c/<slug>``
                                     is page 1 too
- ``/item/<id>``                     one product
- ``/store/<handle>``                shop page: profile and every product card of the vendor
- ``/store/<handle>/reviews``        reviews (all on one page)
- ``/find?term=WORDS&n=N``           search, paginated like categories
- ``/media/<id>/<n>.jpg``            product photo ``n``

Cards: ``div.grid div.card`` with ``data-id``; ``a.card-link`` (title, ``href`` = ``/item/<id>``),
``span.card-price`` (``€1,234.50``), ``a.card-vendor``, ``span.card-origin``. Paging:
``ul.pager li.next a`` / ``li.prev a``; ``li.current`` holds ``n / total``.

Product page ``article.product``: ``h2.product-name``; ``div.price-box span.amount`` (main price,
euros), ``span.crypto`` (``0.01 BTC``); ``dl.facts`` with ``dd.seller a``, ``dd.section``,
``dd.origin``, ``dd.destinations``, ``dd.payment`` (``Escrow``, ``FE`` or ``Escrow / FE``);
``table.tiers tr.tier`` with ``td.tier-qty`` and ``td.tier-price`` (bulk prices, euros);
``section.about p`` is the description, one ``p`` a paragraph; ``figure.gallery img``.

Shop page ``section.shop``: ``h2.shop-name``, ``div.bio p``, ``textarea.pgp`` (armored key, or
``p.nokey``), ``ul.wallets li.btc``, ``ul.wallets li.xmr``, ``ul.reach li`` (``data-kind``;
text ``Telegram @x``), then the vendor's cards.

Every page: ``footer p.deposit`` holds the *market's* escrow deposit addresses (not a vendor's).
Defences behave as described in ``onionwatch.sandbox.runtime`` (login form at ``/login``,
CAPTCHA image ``/captcha/<cid>.png``, queue page ``div#queue a#queue-pass``, 429 with
``Retry-After``, ``input[name=_token]``, ``ul.mirror-list``).
"""
from __future__ import annotations

from ..labels import market_labels
from ..model import Listing, Market, Vendor
from ..vocab import CONTACT_KINDS
from . import chrome
from .base import HTML_TYPE, Request, Response, esc, listing_text
from .common import deposit_line, feedback_entries, page_number, pages_of, photo_response, \
    search_indices

__all__ = ["handle", "vendor_path", "category_path", "vendor_labelled"]

PER_PAGE = 24
STAR = "\u2605"


def vendor_path(handle: str) -> str:
    return f"/store/{handle}"


def category_path(slug: str) -> str:
    return f"/c/{slug}"


def vendor_labelled(market: Market, vendor: Vendor) -> dict:
    return {"handle": vendor.handle, "pgp_key": vendor.pgp.armored if vendor.pgp else None,
            "btc": list(vendor.btc), "xmr": list(vendor.xmr),
            "contacts": [c.value for c in vendor.contacts]}


def _page(market: Market, title: str, body: str, status: int = 200) -> Response:
    html = ("<!doctype html><html><head><meta charset=utf-8>"
            f"<title>{esc(title)} \u2013 Vitrine</title></head><body class=vitrine>"
            f'<nav class="top"><a class="brand" href="/">VITRINE</a> '
            f'<span class="fx">EUR/USD {market.eur_usd:.4f} \u00b7 BTC \u20ac'
            f'{market.btc_usd / market.eur_usd:,.0f}</span></nav>'
            f"{_chrome_head(market)}"
            f'<div class="wrap">{body}</div>'
            f"<footer>{deposit_line(market)}{_chrome_foot(market)}</footer></body></html>")
    return Response(status, html.encode("utf-8"), HTML_TYPE)


def _chrome_head(market: Market) -> str:
    """A mega-menu of every category and drug, and the day's trending cards."""
    if not chrome.on(market):
        return ""
    w = chrome.words(market)
    groups = "".join(
        f'<div class="x1c"><b>{esc(category.name)}</b> '
        + " ".join(f'<a href="/find?term={esc(words)}">{esc(label)}</a>'
                   for label, words, _ in subs) + "</div>"
        for category, subs in chrome.menu(market))
    cards = "".join(chrome.item_line(market, item, f"/item/{item.listing_id}", "t9")
                    for item in chrome.featured(market))
    return (f'<div class="x1">{groups}</div>'
            f'<div class="tr9"><h3>{w["trending"]}</h3>{cards}</div>')


def _chrome_foot(market: Market) -> str:
    if not chrome.on(market):
        return ""
    w = chrome.words(market)
    return f'<p class="ft2">{esc(w["notice"])}</p><p class="ft3">{w["footer"]}</p>'


def _also(market: Market, item: Listing) -> str:
    """"You may also like": the category's top cards, inside the product's own ``article``."""
    if not chrome.on(market):
        return ""
    cards = "".join(chrome.item_line(market, top, f"/item/{top.listing_id}", "ym")
                    for top in chrome.top_in_category(market, item.category.slug))
    return f'<div class="ym"><h4>{chrome.words(market)["also"]}</h4>{cards}</div>'


def _missing(market: Market) -> Response:
    return _page(market, "Not found", '<h2 class="oops">404 \u2013 nothing here</h2>', 404)


def handle(market: Market, request: Request) -> Response:
    parts = request.path.split("/")[1:]
    if request.path == "/":
        tiles = "".join(f'<a class="tile" href="{category_path(c.slug)}">{esc(c.name)}</a>'
                        for c in market.categories)
        return _page(market, "Shop", f'<div class="tiles">{tiles}</div>'
                     '<form action="/find"><input name="term"></form>')
    if parts[0] == "c" and len(parts) in (2, 3) and (cat := market.category(parts[1])):
        number = page_number(parts[2] if len(parts) == 3 else "1",
                             pages_of(len(market.category_indices(cat.slug)), PER_PAGE))
        if number is not None:
            return _grid(market, cat.name, market.category_indices(cat.slug), number,
                         lambda n: f"{category_path(cat.slug)}/{n}")
    if request.path == "/find":
        term = request.param("term", "") or ""
        found = search_indices(market, term)
        number = page_number(request.param("n"), pages_of(len(found), PER_PAGE))
        if number is not None:
            return _grid(market, f"Search: {term}", found, number,
                         lambda n: f"/find?term={esc(term)}&amp;n={n}")
    if parts[0] == "item" and len(parts) == 2 and (item := market.listing_by_id(parts[1])):
        return _product(market, item)
    if parts[0] == "media" and len(parts) == 3 and parts[2].endswith(".jpg"):
        found = photo_response(market, parts[1], parts[2][:-4])
        if found:
            return found
    if parts[0] == "store" and len(parts) in (2, 3) and (vendor := market.vendor(parts[1])):
        if len(parts) == 2:
            return _shop(market, vendor)
        if parts[2] == "reviews":
            return _reviews(market, vendor)
    return _missing(market)


def _card(item: Listing) -> str:
    return (f'<div class="card" data-id="{esc(item.listing_id)}">'
            f'<img src="/media/{esc(item.listing_id)}/1.jpg" alt="">'
            f'<a class="card-link" href="/item/{esc(item.listing_id)}">{esc(item.title)}</a>'
            f'<span class="card-price">{esc(item.price_text)}</span>'
            f'<a class="card-vendor" href="{vendor_path(esc(item.vendor))}">{esc(item.vendor)}</a>'
            f'<span class="card-origin">{esc(item.ships_from_text)}</span></div>')


def _grid(market: Market, title: str, indices: list[int], number: int, link) -> Response:
    pages = pages_of(len(indices), PER_PAGE)
    cards = "".join(_card(market.listing_at(i))
                    for i in indices[(number - 1) * PER_PAGE: number * PER_PAGE])
    pager = ['<ul class="pager">']
    if number > 1:
        pager.append(f'<li class="prev"><a href="{link(number - 1)}">\u2039</a></li>')
    pager.append(f'<li class="current">{number} / {pages}</li>')
    if number < pages:
        pager.append(f'<li class="next"><a href="{link(number + 1)}">\u203a</a></li>')
    pager.append("</ul>")
    return _page(market, title, f'<h2 class="section-title">{esc(title)}</h2>'
                 f'<div class="grid">{cards}</div>{"".join(pager)}')


def _product(market: Market, item: Listing) -> Response:
    words = market_labels(market, "grid")
    tiers = "".join(f'<tr class="tier"><td class="tier-qty">{esc(t.quantity_text)}</td>'
                    f'<td class="tier-price">{esc(t.text)}</td></tr>' for t in item.tiers)
    about = "".join(f"<p>{listing_text(market, item, p)}</p>" for p in item.paragraphs)
    gallery = "".join(f'<img src="/media/{esc(item.listing_id)}/{n}.jpg" alt="">'
                      for n in range(1, len(item.photos) + 1))
    body = (f'<article class="product" data-id="{esc(item.listing_id)}">'
            f'<figure class="gallery">{gallery}</figure>'
            f'<h2 class="product-name">{esc(item.title)}</h2>'
            f'<div class="price-box"><span class="amount">{esc(item.price_text)}</span> '
            f'<span class="crypto">{esc(item.price_btc_text)}</span></div>'
            '<dl class="facts">'
            f'<dt>Seller</dt><dd class="seller"><a href="{vendor_path(esc(item.vendor))}">'
            f'{esc(item.vendor)}</a></dd>'
            f'<dt>Section</dt><dd class="section">{esc(item.category.name)}</dd>'
            f'<dt>{words["ships_from"]}</dt><dd class="origin">{esc(item.ships_from_text)}</dd>'
            f'<dt>{words["ships_to"]}</dt><dd class="destinations">{esc(item.ships_to_text)}</dd>'
            f'<dt>{words["payment"]}</dt><dd class="payment">{esc(item.labelled["payment"])}</dd>'
            f'<dt>{words["stock"]}</dt><dd class="stock">{item.stock}</dd></dl>'
            f'<table class="tiers"><tr><th>Qty</th><th>Price</th></tr>{tiers}</table>'
            f'{_also(market, item)}<section class="about">{about}</section></article>')
    return _page(market, item.title, body)


def _shop(market: Market, vendor: Vendor) -> Response:
    key = (f'<textarea class="pgp" readonly>{esc(vendor.pgp.armored)}</textarea>'
           if vendor.pgp else '<p class="nokey">No public key.</p>')
    wallets = "".join(f'<li class="btc">{esc(a)}</li>' for a in vendor.btc) + "".join(
        f'<li class="xmr">{esc(a)}</li>' for a in vendor.xmr)
    reach = "".join(f'<li data-kind="{c.kind}">{CONTACT_KINDS[c.kind]} {esc(c.value)}</li>'
                    for c in vendor.contacts)
    cards = "".join(_card(market.listing_at(i)) for i in market.vendor_indices(vendor.handle))
    bio = "".join(f"<p>{esc(p)}</p>" for p in vendor.profile_paragraphs)
    body = (f'<section class="shop"><h2 class="shop-name">{esc(vendor.handle)}</h2>'
            f'<span class="level">Level {min(9, 1 + vendor.sales // 50)}</span> '
            f'<span class="since">since {vendor.since}</span>'
            f'<div class="bio">{bio}</div>{key}<ul class="wallets">{wallets}</ul>'
            f'<ul class="reach">{reach}</ul>'
            f'<a class="reviews" href="{vendor_path(esc(vendor.handle))}/reviews">Reviews</a>'
            f'</section><div class="grid">{cards}</div>')
    return _page(market, vendor.handle, body)


def _reviews(market: Market, vendor: Vendor) -> Response:
    items = "".join(f'<li class="review"><b>{STAR * stars}</b> {esc(text)} '
                    f'<time>{date}</time></li>'
                    for date, stars, text, _ in feedback_entries(market, vendor))
    return _page(market, f"Reviews {vendor.handle}",
                 f'<h2>Reviews of {esc(vendor.handle)}</h2><ul class="reviews">{items}</ul>')
