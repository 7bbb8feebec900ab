"""German-language market (``schattenmarkt-sandbox``): German wording, euro prices ``1.234,50 €``.

URL scheme (anything else is 404):

- ``/``                                 ``div#kategorien a.kat`` (German category names)
- ``/kategorie/<slug>?seite=N``         offers of a category, 20 a page, N from 1
- ``/angebot/<id>-<wort>``              one offer; the word after the id is decoration, any
                                        word is accepted (links always use the canonical one)
- ``/verkaeufer/<handle>?seite=N``      vendor page and their offers
- ``/bewertungen/<handle>``             reviews
- ``/suche?begriff=WORTE&seite=N``      search
- ``/bilder/<id>-<n>.jpg``              photo ``n`` of an offer

Offer tables: ``table.angebote tr.angebot`` (``data-id``) with ``a.angebot-link``,
``a.verkaeufer``, ``td.preis``, ``td.versand``; paging ``div.seiten a.weiter`` (``rel=next``) and
``a.zurueck`` (``rel=prev``).

Offer page ``div.angebot``: ``h1.angebot-titel``; ``dl.eckdaten`` with ``dd.verkaeufer a``,
``dd.kategorie``, ``dd.preis`` (``1.234,50 €``), ``dd.preis-xmr`` (``1.234567 XMR``),
``dd.versand-aus``, ``dd.versand-nach`` (German country names), ``dd.treuhand`` and ``dd.fe``
(``Ja``/``Nein``), ``dd.bestand``; ``div.beschreibung p`` (German text); ``div.bilder img``.

Vendor page ``div.verkaeufer-profil``: ``h1.verkaeufer-name``, ``div.ueber p``,
``pre.pgp-schluessel`` (or ``p.kein-schluessel``), ``ul.btc li code``, ``ul.xmr li code``,
``ul.kontakt li`` (``data-art``; text ``Wickr: name``).

Every page: ``footer p.deposit`` (the *market's* escrow addresses). Defences behave as described
in ``onionwatch.sandbox.runtime`` (``/login``, CAPTCHA, queue page ``div#queue a#queue-pass``,
429 with ``Retry-After``, ``input[name=_token]``, ``ul.mirror-list``); their pages are in English.
"""
from __future__ import annotations

from ..labels import market_labels
from ..model import Listing, Market, Vendor
from ..vocab import CONTACT_KINDS
from . import chrome
from .base import HTML_TYPE, Request, Response, esc, listing_text
from .common import (deposit_line, feedback_entries, page_number, pages_of, photo_response,
                     search_indices)

__all__ = ["handle", "vendor_path", "category_path", "vendor_labelled"]


def vendor_path(handle: str) -> str:
    return f"/verkaeufer/{handle}"


def category_path(slug: str) -> str:
    return f"/kategorie/{slug}"


def vendor_labelled(market: Market, vendor: Vendor) -> dict:
    return {"handle": vendor.handle, "pgp_key": vendor.pgp.armored if vendor.pgp else None,
            "btc": list(vendor.btc), "xmr": list(vendor.xmr),
            "contacts": [c.value for c in vendor.contacts]}


def _page(market: Market, title: str, body: str, status: int = 200) -> Response:
    html = ('<!DOCTYPE html>\n<html lang="de"><head><meta charset="utf-8">'
            f"<title>{esc(title)} \u00b7 Schattenmarkt</title></head><body>"
            '<header><a class="logo" href="/">Schattenmarkt</a> <span class="kurs">1 XMR = '
            f'{market.xmr_usd / market.eur_usd:.2f} \u20ac</span></header>'
            f'{_chrome_menu(market)}<main>{body}</main>{_chrome_side(market)}'
            f'<footer>{deposit_line(market)}{_chrome_foot(market)}</footer></body></html>')
    return Response(status, html.encode("utf-8"), HTML_TYPE)


def _chrome_menu(market: Market) -> str:
    """Every category with its drugs and counts, above the content."""
    if not chrome.on(market):
        return ""
    w = chrome.words(market)
    rows = "".join(
        f'<li><span class="k1">{esc(category.name)}</span> '
        + " | ".join(f'<a href="/suche?begriff={esc(words)}">{esc(label)}</a> <i>{count}</i>'
                     for label, words, count in subs) + "</li>"
        for category, subs in chrome.menu(market))
    return f'<div class="m4"><h2>{w["browse"]}</h2><ul>{rows}</ul></div>'


def _chrome_side(market: Market) -> str:
    """The day's top offers, beside the content."""
    if not chrome.on(market):
        return ""
    w = chrome.words(market)
    items = "".join(chrome.item_line(market, item, item.url_path, "z")
                    for item in chrome.featured(market))
    return f'<div class="z0"><h2>{w["featured"]}</h2>{items}</div>'


def _chrome_foot(market: Market) -> str:
    if not chrome.on(market):
        return ""
    w = chrome.words(market)
    return f'<p class="hw">{esc(w["notice"])}</p><p class="f9">{w["footer"]}</p>'


def _missing(market: Market) -> Response:
    return _page(market, "Nicht gefunden", '<h1 class="fehler">404 \u2013 Seite nicht gefunden'
                 "</h1>", 404)


def handle(market: Market, request: Request) -> Response:
    parts = request.path.split("/")[1:]
    if request.path == "/":
        links = "".join(f'<a class="kat" href="{category_path(c.slug)}">{esc(c.name)}</a> '
                        for c in market.categories)
        return _page(market, "Start", f'<div id="kategorien">{links}</div>')
    if len(parts) == 2 and parts[1]:
        kind, key = parts
        if kind == "kategorie" and (cat := market.category(key)):
            return _paged(market, request, category_path(cat.slug), cat.name,
                          f'<h1 class="kategorie-name">{esc(cat.name)}</h1>',
                          market.category_indices(cat.slug))
        if kind == "angebot" and key.partition("-")[1]:
            item = market.listing_by_id(key.partition("-")[0])
            if item is not None:
                return _offer(market, item)
        if kind == "verkaeufer" and (vendor := market.vendor(key)):
            return _paged(market, request, vendor_path(vendor.handle), vendor.handle,
                          _profile(vendor), market.vendor_indices(vendor.handle))
        if kind == "bewertungen" and (vendor := market.vendor(key)):
            items = "".join(f'<li class="bewertung">{date} \u2013 {stars}/5 \u2013 {esc(text)}</li>'
                            for date, stars, text, _ in feedback_entries(market, vendor))
            return _page(market, "Bewertungen", f'<h1>Bewertungen f\u00fcr {esc(vendor.handle)}'
                         f'</h1><ul class="bewertungen">{items}</ul>')
        if kind == "bilder" and key.endswith(".jpg"):
            listing_id, _, number = key[:-4].partition("-")
            if found := photo_response(market, listing_id, number):
                return found
    if request.path == "/suche":
        words = request.param("begriff", "") or ""
        return _paged(market, request, "/suche", f"Suche: {words}",
                      f'<h1 class="suche">Suche: {esc(words)}</h1>', search_indices(market, words),
                      f"begriff={esc(words)}&amp;")
    return _missing(market)


def _paged(market: Market, request: Request, base: str, title: str, head: str,
           indices: list[int], extra: str = "") -> Response:
    size = market.page_size
    pages = pages_of(len(indices), size)
    number = page_number(request.param("seite"), pages)
    if number is None:
        return _missing(market)
    rows = "".join(
        f'<tr class="angebot" data-id="{esc(item.listing_id)}"><td><a class="angebot-link" '
        f'href="{esc(item.url_path)}">{esc(item.title)}</a></td><td><a class="verkaeufer" '
        f'href="{esc(vendor_path(item.vendor))}">{esc(item.vendor)}</a></td>'
        f'<td class="preis">{esc(item.price_text)}</td>'
        f'<td class="versand">{esc(item.ships_from_text)}</td></tr>'
        for item in (market.listing_at(i) for i in indices[(number - 1) * size: number * size]))
    nav = ['<div class="seiten">']
    if number > 1:
        nav.append(f'<a rel="prev" class="zurueck" href="{base}?{extra}seite={number - 1}">'
                   "\u00ab zur\u00fcck</a>")
    nav.append(f"<span>Seite {number} von {pages}</span>")
    if number < pages:
        nav.append(f'<a rel="next" class="weiter" href="{base}?{extra}seite={number + 1}">'
                   "weiter \u00bb</a>")
    nav.append("</div>")
    return _page(market, title, f'{head}<table class="angebote">{rows}</table>{"".join(nav)}')


def _offer(market: Market, item: Listing) -> Response:
    words = market_labels(market, "markt")
    facts = (("Verk\u00e4ufer", "verkaeufer",
              f'<a href="{esc(vendor_path(item.vendor))}">{esc(item.vendor)}</a>'),
             ("Kategorie", "kategorie", esc(item.category.name)),
             ("Preis", "preis", esc(item.price_text)),
             ("Preis (XMR)", "preis-xmr", esc(item.price_xmr_text)),
             (words["ships_from"], "versand-aus", esc(item.ships_from_text)),
             (words["ships_to"], "versand-nach", esc(item.ships_to_text)),
             (words["escrow"], "treuhand", esc(item.escrow_text)),
             (words["finalize_early"], "fe", esc(item.finalize_early_text)),
             (words["stock"], "bestand", str(item.stock)))
    dl = "".join(f'<dt>{label}:</dt><dd class="{cls}">{value}</dd>' for label, cls, value in facts)
    text = "".join(f"<p>{listing_text(market, item, p)}</p>" for p in item.paragraphs)
    pics = "".join(f'<img src="/bilder/{esc(item.listing_id)}-{n}.jpg" alt="Bild {n}">'
                   for n in range(1, len(item.photos) + 1))
    body = (f'<div class="angebot" id="angebot-{esc(item.listing_id)}">'
            f'<h1 class="angebot-titel">{esc(item.title)}</h1><div class="bilder">{pics}</div>'
            f'<dl class="eckdaten">{dl}</dl><div class="beschreibung">{text}</div></div>')
    return _page(market, item.title, body)


def _profile(vendor: Vendor) -> str:
    key = (f'<pre class="pgp-schluessel">{esc(vendor.pgp.armored)}</pre>' if vendor.pgp
           else '<p class="kein-schluessel">Kein PGP-Schl\u00fcssel hinterlegt.</p>')
    btc = "".join(f"<li><code>{esc(a)}</code></li>" for a in vendor.btc)
    xmr = "".join(f"<li><code>{esc(a)}</code></li>" for a in vendor.xmr)
    kontakt = "".join(f'<li data-art="{c.kind}">{CONTACT_KINDS[c.kind]}: {esc(c.value)}</li>'
                      for c in vendor.contacts)
    about = "".join(f"<p>{esc(p)}</p>" for p in vendor.profile_paragraphs)
    return (f'<div class="verkaeufer-profil"><h1 class="verkaeufer-name">{esc(vendor.handle)}'
            f'</h1><p class="seit">Mitglied seit {vendor.since} \u00b7 {vendor.sales} '
            f'Verk\u00e4ufe</p><div class="ueber">{about}</div>{key}'
            f'<h2>Zahlung</h2><ul class="btc">{btc}</ul><ul class="xmr">{xmr}</ul>'
            f'<h2>Kontakt</h2><ul class="kontakt">{kontakt}</ul>'
            f'<a class="bewertungen" href="/bewertungen/{esc(vendor.handle)}">Bewertungen</a>'
            "</div><h2>Angebote</h2>")
