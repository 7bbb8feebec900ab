"""Label wordings of a listing's details, mapped onto the facts they give. Data only.

Markets state their terms as label-value pairs (a table row, a ``<dt>``/``<dd>``, "Label: value",
a label element beside its value). :data:`FIELD_LABELS` maps each fact the label reader
(:mod:`extract.label_values`, :mod:`extract.label_fields`) fills to the wordings that name it:
regular expressions, matched case-insensitively against the *whole* label text (its trailing
":" and surrounding blanks removed), ``[ \\t]+`` between words.

The shipping and terms wordings are the ones the text parsers already read
(:mod:`extract.lexicons.shipping`, :mod:`extract.lexicons.terms`), so a label means the same to
every reader; the wordings below add what a whole-label match can afford and a line-start match
cannot (a lone "From", "Escrow?", "Multisig"), and the facts the text parsers have no labels for
(the currencies a listing accepts). Sources: the sandbox families' own wordings, the development
pages (Dream's "Ships from"/"Escrow" label rows, Apollon's "Origin Country :", "Ship to :",
"Payment :", "FE :") and the trade's usual wording (EN, DE, FR, ES, IT, NL, PT, RU, PL). Never add
an entry because a scored page failed.

>>> import re
>>> any(re.fullmatch(p, "dispatched from", re.I) for p in FIELD_LABELS["ships_from"])
True
>>> sorted(FIELD_LABELS)
['currencies', 'escrow', 'finalize_early', 'payment', 'ships_from', 'ships_to', 'stock']
"""
from __future__ import annotations

from extract.lexicons.shipping import FROM_LABELS, TO_LABELS
from extract.lexicons.terms import ESCROW_LABELS, FE_LABELS, PAYMENT_LABELS

__all__ = ["FIELD_LABELS", "STOCK_LABELS", "CURRENCY_LABELS", "MAX_LABEL_CHARS"]

#: A label is short: longer texts are sentences, not labels.
MAX_LABEL_CHARS = 40

_FROM_EXTRA = (
    r"from", r"ships?[ \t]+from[ \t]+country", r"shipping[ \t]+origin", r"origin[ \t]+of[ \t]+shipment",
    r"dispatch(?:ed)?[ \t]+(?:country|location)", r"dispatch[ \t]+from", r"shipped[ \t]+out[ \t]+from",
    r"sending[ \t]+from", r"vendor[ \t]+location", r"seller[ \t]+location", r"item[ \t]+location",
    r"country", r"from[ \t]+country", r"source[ \t]+country", r"warehouse", r"stock[ \t]+location",
    r"versand[ \t]*land", r"versendet[ \t]+aus", r"herkunftsland", r"land", r"pays", r"pays[ \t]+d'exp[ée]dition",
    r"exp[ée]di[ée][ \t]+depuis", r"pa[íi]s", r"pa[íi]s[ \t]+de[ \t]+env[íi]o", r"paese[ \t]+di[ \t]+spedizione",
    r"verzendland", r"страна", r"kraj[ \t]+wysyłki",
)
_TO_EXTRA = (
    r"to", r"ships?[ \t]+to[ \t]+countr(?:y|ies)", r"shipping[ \t]+(?:countries|area|zones?|regions?)",
    r"delivers?[ \t]+(?:to|in)", r"delivery[ \t]+(?:area|countries|zones?|regions?|to)", r"destination[ \t]+countr(?:y|ies)",
    r"ships?[ \t]+worldwide", r"we[ \t]+ship[ \t]+to", r"available[ \t]+countries", r"countries",
    r"lieferung[ \t]+nach", r"lieferbar[ \t]+nach", r"versand[ \t]+nach", r"liefergebiet", r"zielgebiet",
    r"pays[ \t]+de[ \t]+livraison", r"livr[ée][ \t]+(?:en|à|vers)", r"destinations?", r"env[íi]o[ \t]+a",
    r"pa[íi]ses[ \t]+de[ \t]+env[íi]o", r"spedisce[ \t]+(?:in|a)", r"levering", r"bezorging[ \t]+naar",
    r"страны[ \t]+доставки", r"kraje[ \t]+wysyłki",
)
_ESCROW_EXTRA = (
    r"escrow\??", r"escrow[ \t]+(?:status|protection|protected|option|policy)", r"uses?[ \t]+escrow",
    r"market[ \t]+escrow", r"multi[ \t-]?sig(?:nature)?(?:[ \t]+escrow)?", r"treuhand[ \t]*(?:service)?",
    r"escrow[ \t]+(?:active|on|required|mandatory|used|offered)",
    r"treuhand(?:service)?[ \t]+(?:verf[üu]gbar|m[öo]glich|aktiv|erlaubt|akzeptiert)",
    r"s[ée]questre[ \t]+(?:disponible|activ[ée]|accept[ée])", r"garant[íi]a[ \t]+(?:disponible|activa)",
    r"sicherheit(?:s[ \t]*service)?", r"garantie[ \t]+du[ \t]+march[ée]", r"custodia",
)
_FE_EXTRA = (
    r"fe\??", r"f\.e\.", r"fe[ \t]+(?:percentage|%|policy|option)", r"(?:early[ \t]+)?finali[sz](?:e|ing|ation)[ \t]+early\??",
    r"early[ \t]+finali[sz](?:e|ation)(?:[ \t]+(?:allowed|enabled|available|required))?",
    r"finali[sz]e[ \t]+before[ \t]+delivery", r"release[ \t]+early", r"pay[ \t]+upfront", r"prepayment",
    r"vorkasse(?:[ \t]*\(fe\))?", r"vorab[ \t]+finalisieren",
    r"(?:vorkasse|vorab[ \t]+finalisieren|fe)[ \t]+(?:m[öo]glich|erlaubt|verf[üu]gbar|akzeptiert)", r"finalisation[ \t]+anticip[ée]e", r"paiement[ \t]+anticip[ée]",
    r"finalizaci[óo]n[ \t]+anticipada", r"pago[ \t]+anticipado", r"finalizzazione[ \t]+anticipata",
    r"vroegtijdig[ \t]+finaliseren", r"предоплата",
)
_PAYMENT_EXTRA = (
    r"payment[ \t]+(?:type|method|terms|mode|option|model|system)s?", r"pay[ \t]+(?:type|method|with)",
    r"escrow[ \t]+(?:type|mode|model)", r"purchase[ \t]+type", r"order[ \t]+type", r"sale[ \t]+type",
    r"zahlung(?:sart|sweise|smethode)?", r"bezahlung", r"paiement", r"mode[ \t]+de[ \t]+paiement",
    r"pago", r"m[ée]todo[ \t]+de[ \t]+pago", r"pagamento", r"betaling(?:swijze)?", r"оплата",
    r"płatność",
)

#: Labels of a listing's stock.
STOCK_LABELS = (
    r"stock", r"in[ \t]+stock", r"stock[ \t]+(?:left|available|level|count)", r"quantity(?:[ \t]+(?:left|available|in[ \t]+stock|remaining))?",
    r"qty(?:[ \t]+(?:left|available))?", r"available", r"availability", r"items?[ \t]+(?:left|available|remaining)",
    r"units?[ \t]+(?:left|available)", r"remaining", r"left", r"supply",
    r"bestand", r"lagerbestand", r"verf[üu]gbar(?:keit)?", r"lager", r"auf[ \t]+lager", r"menge", r"st[üu]ck[ \t]+verf[üu]gbar",
    r"en[ \t]+stock", r"disponible", r"disponibilit[ée]", r"quantit[ée](?:[ \t]+disponible)?",
    r"existencias", r"cantidad(?:[ \t]+disponible)?", r"disponibilit[àa]", r"quantit[àa]", r"voorraad", r"estoque",
    r"в[ \t]+наличии", r"наличие", r"остаток", r"dostępność", r"ilość",
)
#: Labels of the currencies (or payment coins) a listing accepts.
CURRENCY_LABELS = (
    r"(?:accepted[ \t]+)?(?:currenc(?:y|ies)|cryptocurrenc(?:y|ies)|coins?)(?:[ \t]+accepted)?",
    r"(?:we[ \t]+)?accepts?", r"payment[ \t]+(?:currenc(?:y|ies)|coins?)", r"pay[ \t]+with", r"paid[ \t]+in",
    r"w[äa]hrung(?:en)?", r"akzeptierte[ \t]+w[äa]hrungen", r"devises?(?:[ \t]+accept[ée]es)?", r"monedas?(?:[ \t]+aceptadas?)?",
    r"valut[ae]", r"munten", r"moedas?", r"валют[аы]", r"waluty?",
)

#: Fact -> label wordings. ``payment`` labels name the payment terms (escrow / FE) and often the
#: currencies too; ``currencies`` labels name only the coins accepted.
FIELD_LABELS: dict[str, tuple[str, ...]] = {
    "ships_from": FROM_LABELS + _FROM_EXTRA,
    "ships_to": TO_LABELS + _TO_EXTRA,
    "escrow": ESCROW_LABELS + _ESCROW_EXTRA,
    "finalize_early": FE_LABELS + _FE_EXTRA,
    "payment": PAYMENT_LABELS + _PAYMENT_EXTRA,
    "stock": STOCK_LABELS,
    "currencies": CURRENCY_LABELS,
}
