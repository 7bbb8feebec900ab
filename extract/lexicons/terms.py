"""Trade terms as listings write them: escrow, finalize early (FE), shipping methods. Data only.

The parser is :mod:`extract.parsers.terms`. Patterns are regular expressions matched
case-insensitively on word boundaries.

>>> "express" in SHIPPING_METHODS
True
"""
from __future__ import annotations

__all__ = [
    "ESCROW_LABELS", "FE_LABELS", "PAYMENT_LABELS", "YES_WORDS", "NO_WORDS",
    "FE_TRUE_TEXT", "FE_FALSE_TEXT", "ESCROW_TRUE_TEXT", "ESCROW_FALSE_TEXT", "SHIPPING_METHODS",
    "ESCROW_DEPOSIT_LABELS",
]

#: Labels before a market's own escrow deposit address (not a vendor's address), on the same line.
ESCROW_DEPOSIT_LABELS = (
    r"escrow[ \t-]+(?:deposit[ \t-]+)?(?:address|wallet)", r"deposit[ \t-]+address", r"market[ \t-]+(?:address|wallet)",
    r"treuhand[ \t-]*(?:einzahlungs)?(?:adresse|konto)", r"einzahlungsadresse", r"adresse[ \t]+de[ \t]+d[ée]p[ôo]t",
    r"direcci[óo]n[ \t]+de[ \t]+dep[óo]sito", r"stortingsadres", r"indirizzo[ \t]+di[ \t]+deposito", r"адрес[ \t]+для[ \t]+депозита",
)

#: Field labels whose value says yes/no to escrow (English, then German, French, Spanish, Italian,
#: Dutch, Portuguese and Russian market wording).
ESCROW_LABELS = (r"escrow(?:[ \t]+(?:enabled|available|allowed|accepted|supported))?", r"full[ \t]+escrow",
                 r"treuhand(?:service|konto)?", r"s[ée]questre", r"d[ée]p[ôo]t[ \t]+fiduciaire",
                 r"(?:dep[óo]sito[ \t]+en[ \t]+)?garant[íi]a", r"custodia", r"deposito[ \t]+a[ \t]+garanzia",
                 r"garantie", r"гарант", r"эскроу")
#: Field labels whose value says yes/no to finalizing early.
FE_LABELS = (
    r"fe(?:[ \t]+(?:enabled|allowed|available|accepted|required|only|status))?",
    r"finali[sz]e[ \t]+early(?:[ \t]+(?:enabled|allowed|available|accepted|required|only))?",
    r"early[ \t]+(?:release|finali[sz]ation)", r"direct[ \t]+pay(?:ment)?", r"auto[ \t]*finali[sz]e[ \t]+early",
    r"(?:vorkasse|fr[üu]hzeitig(?:e|es)?[ \t]+finalisier(?:en|ung)|finalisation[ \t]+anticip[ée]e|"
    r"finalizaci[óo]n[ \t]+anticipada|pago[ \t]+por[ \t]+adelantado|vroeg[ \t]+finaliseren)(?:[ \t]*\((?:fe|fee)\))?",
)
#: Field labels whose value names the payment terms ("Full Escrow", "7 Days Escrow", "FE", "Direct").
PAYMENT_LABELS = (r"payment(?:[ \t]+(?:type|method|terms|mode|option))?", r"escrow[ \t]+type",
                  r"transaction[ \t]+type", r"order[ \t]+type", r"listing[ \t]+type")

YES_WORDS = (r"yes", r"y", r"true", r"on", r"enabled?", r"allowed", r"available", r"accepted", r"required",
             r"ok", r"✓", r"✔", r"☑", r"100[ \t]*%", r"always", r"only", r"ja", r"jawohl", r"erlaubt", r"verfügbar", r"möglich", r"oui", r"si", r"sí", r"sim",
             r"да", r"tak")
NO_WORDS = (r"no", r"n", r"false", r"off", r"disabled?", r"not[ \t]+(?:allowed|available|accepted|enabled|required)",
            r"never", r"none", r"✗", r"✘", r"×", r"☒", r"nein", r"nicht[ \t]+(?:erlaubt|möglich|verfügbar)", r"keine?",
            r"non", r"nee", r"nunca", r"нет", r"nie")

#: Free-text phrases: FE is (True) or is not (False) how the vendor works.
FE_TRUE_TEXT = (
    r"100[ \t]*%[ \t]*(?:fe|finali[sz]e[ \t]+early)", r"(?:fe|finali[sz]e[ \t]+early)[ \t]+(?:only|required|is[ \t]+required|mandatory)",
    r"(?:fe|finali[sz]e[ \t]+early)[ \t]+(?:is[ \t]+)?(?:accepted|allowed|enabled|available)",
    r"we[ \t]+(?:only[ \t]+)?(?:do|accept|require|offer)[ \t]+(?:fe|finali[sz]e[ \t]+early)\b",
    r"fe[ \t]+for[ \t]+(?:all|every|new|trusted)", r"direct[ \t]+pay(?:ment)?[ \t]+only",
    r"escrow[ \t]+(?:or|and|/|&)[ \t]+(?:fe|finali[sz]e[ \t]+early)", r"(?:fe|finali[sz]e[ \t]+early)[ \t]+(?:or|and|/|&)[ \t]+escrow",
)
FE_FALSE_TEXT = (
    r"no[ \t]+(?:fe|finali[sz]e[ \t]+early|early[ \t]+finali[sz]ation)\b",
    r"(?:fe|finali[sz]e[ \t]+early)[ \t]+(?:is[ \t]+)?not[ \t]+(?:allowed|accepted|available|required|enabled|possible)",
    r"(?:do|will|does)[ \t]*(?:not|n't)[ \t]+(?:do|accept|offer|require|ask[ \t]+for)[ \t]+(?:fe|finali[sz]e[ \t]+early)\b",
    r"never[ \t]+(?:ask[ \t]+for[ \t]+)?(?:fe|finali[sz]e[ \t]+early)\b", r"escrow[ \t]+only",
    r"(?:full|100[ \t]*%|always)[ \t]+escrow", r"\d+[ \t]+days?[ \t]+escrow",
)
#: Free-text phrases: escrow is (True) or is not (False) offered.
ESCROW_TRUE_TEXT = (
    r"(?:full|100[ \t]*%|always)[ \t]+escrow", r"escrow[ \t]+(?:only|accepted|available|supported|protected|protection)",
    r"(?:we|i)[ \t]+(?:offer|accept|use|support)[ \t]+(?:full[ \t]+)?escrow", r"\d+[ \t]+days?[ \t]+escrow",
    r"through[ \t]+(?:the[ \t]+)?escrow", r"(?:market|site)[ \t]+escrow",
    r"escrow[ \t]+(?:or|and|/|&)[ \t]+(?:fe|finali[sz]e[ \t]+early)", r"(?:fe|finali[sz]e[ \t]+early)[ \t]+(?:or|and|/|&)[ \t]+escrow", r"escrow[ \t]+(?:is[ \t]+)?(?:fine|ok|welcome)",
    r"(?:use|via|with)[ \t]+(?:the[ \t]+)?(?:market[ \t]+)?escrow", r"mit[ \t]+treuhand", r"über[ \t]+treuhand",
)
ESCROW_FALSE_TEXT = (
    r"no[ \t]+escrow", r"escrow[ \t]+(?:is[ \t]+)?not[ \t]+(?:accepted|available|supported|offered|possible)",
    r"(?:do|will|does)[ \t]*(?:not|n't)[ \t]+(?:do|accept|offer|use)[ \t]+escrow",
    r"100[ \t]*%[ \t]*(?:fe|finali[sz]e[ \t]+early)", r"(?:fe|finali[sz]e[ \t]+early)[ \t]+only", r"direct[ \t]+pay(?:ment)?[ \t]+only",
    r"(?:fe|finali[sz]e[ \t]+early)[ \t]+(?:is[ \t]+)?(?:required|mandatory)", r"ohne[ \t]+treuhand", r"kein[ \t]+treuhand",
)

#: Shipping methods and carriers (canonical name -> patterns).
SHIPPING_METHODS: dict[str, tuple[str, ...]] = {
    "express": (r"express(?:[ \t]+(?:mail|shipping|delivery|post))?", r"overnight", r"next[ \t-]+day(?:[ \t]+delivery)?"),
    "priority": (r"priority(?:[ \t]+(?:mail|shipping))?",),
    "first class": (r"first[ \t-]+class(?:[ \t]+mail)?", r"1st[ \t]+class"),
    "second class": (r"second[ \t-]+class", r"2nd[ \t]+class"),
    "standard": (r"standard[ \t]+(?:shipping|delivery|post|mail)", r"regular[ \t]+(?:shipping|mail|post)"),
    "registered": (r"registered[ \t]+(?:mail|post|letter|shipping)", r"signed[ \t]+for", r"recorded[ \t]+delivery"),
    "tracked": (r"tracked(?:[ \t]+(?:shipping|delivery|mail|post))?", r"with[ \t]+tracking"),
    "untracked": (r"untracked", r"no[ \t]+tracking", r"without[ \t]+tracking"),
    "stealth": (r"stealth(?:[ \t]+(?:shipping|packaging))?", r"vacuum[ \t-]+seal(?:ed)?"),
    "letter": (r"letter[ \t]*(?:post|mail)", r"lettermail"),
    "ems": (r"ems",),
    "usps": (r"usps",), "ups": (r"ups(?=[ \t]+(?:ground|next|shipping|express))",), "fedex": (r"fed[ \t]*ex",),
    "dhl": (r"dhl",), "royal mail": (r"royal[ \t]+mail",), "postnl": (r"post[ \t]*nl",),
    "deutsche post": (r"deutsche[ \t]+post",), "canada post": (r"canada[ \t]+post",),
    "australia post": (r"australia[ \t]+post", r"auspost"), "dpd": (r"dpd",), "gls": (r"gls",),
    "hermes": (r"hermes",), "colissimo": (r"colissimo",),
}
