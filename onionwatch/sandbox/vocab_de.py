"""German wording for the sandbox's German-language market: countries, titles, prose, labels.

Data only, like ``vocab``. Product names follow German scene usage where one exists (Kokain, Gras,
Pep, Haschisch); the rest keep their international names, as German markets do.
"""
from __future__ import annotations

__all__ = ["COUNTRIES", "REGIONS", "PRODUCT_NAMES", "TAGS", "TEMPLATES", "QTY_FORMATS",
           "QUALITY_LINES", "SHIPPING_LINES", "STEALTH_LINES", "POLICY_LINES", "PROFILE_OPENERS",
           "PROFILE_LINES", "CATEGORIES", "YES", "NO", "SIGNOFFS", "MENU_LABELS", "CHROME_WORDS"]

COUNTRIES: dict[str, tuple[str, ...]] = {
    "US": ("Vereinigte Staaten", "USA"), "GB": ("Vereinigtes K\u00f6nigreich", "UK", "England"),
    "NL": ("Niederlande", "Holland"), "DE": ("Deutschland", "DE", "BRD"),
    "CA": ("Kanada",), "AU": ("Australien",), "FR": ("Frankreich",), "ES": ("Spanien",),
    "BE": ("Belgien",), "PL": ("Polen",), "CZ": ("Tschechien",), "IT": ("Italien",),
    "SE": ("Schweden",), "CH": ("Schweiz", "CH"), "AT": ("\u00d6sterreich", "AT"),
    "IE": ("Irland",), "DK": ("D\u00e4nemark",), "PT": ("Portugal",), "NZ": ("Neuseeland",),
    "CN": ("China",), "IN": ("Indien",), "CO": ("Kolumbien",), "MX": ("Mexiko",),
}
REGIONS: dict[str, tuple[str, ...]] = {"WW": ("Weltweit", "weltweit"),
                                       "EU": ("EU", "Europa", "Europ\u00e4ische Union")}
PRODUCT_NAMES: dict[str, tuple[str, ...]] = {
    "cocaine": ("Kokain", "Koks", "Peru Kokain", "Kolumbianisches Kokain"),
    "cannabis": ("Gras", "Weed", "Haze Gras", "Indoor Gras"),
    "hash": ("Haschisch", "Hasch", "Marokko Hasch"),
    "amphetamine": ("Pep", "Speed Paste", "Amphetamin"),
    "meth": ("Crystal", "Meth", "Crystal Meth"),
    "heroin": ("Heroin", "Braunes Heroin", "Shore"),
    "mushrooms": ("Zauberpilze", "Psilos", "Magic Mushrooms"),
    "mdma_crystal": ("MDMA Kristalle", "MDMA"),
    "xtc_pills": ("XTC Pillen", "Ecstasy Pillen"),
    "ketamine": ("Ketamin", "Keta"),
}
TAGS = ("Top Qualit\u00e4t", "beste Ware", "unverschnitten", "Laborgetestet", "schneller Versand",
        "Sonderangebot", "Premium", "frische Ware", "Staffelpreise")
TEMPLATES: dict[str, tuple[str, ...]] = {
    "weight": ("{q} {name} - {tag}", "{name} {q}", "{name} | {q} | {tag}", "[{tag}] {q} {name}"),
    "count": ("{n} St\u00fcck {name} {st}", "{name} {st} - {n} Stk.", "{n}x {name} {st} ({tag})"),
    "count_plain": ("{n} St\u00fcck {name}", "{name} - {n} Stk. - {tag}", "{n}x {name}"),
    "tab": ("{n} Pappen {name} {st}", "{name} {st} - {n} Trips", "{n}x {name} {st}"),
}
QTY_FORMATS: dict[str, tuple[str, ...]] = {
    "g": ("{v}g", "{v} g", "{v} Gramm"), "kg": ("{v}kg", "{v} Kilo"),
    "oz": ("{v}oz", "{v} Unze"), "lb": ("{v}lb", "{v} Pfund"),
}
QUALITY_LINES = ("Gleiche Charge wie letzten Monat, die Kunden sind zufrieden.",
                 "Vor jedem Versand getestet, Ergebnisse auf Anfrage.",
                 "Beste Qualit\u00e4t zum fairen Preis.",
                 "Frische Ware, immer etwas mehr auf der Waage.")
SHIPPING_LINES = ("Versand aus {ships_from} innerhalb von 24-48 Stunden.",
                  "Bestellungen bis 14 Uhr gehen am selben Tag raus ({ships_from}).",
                  "Wir versenden Montag bis Freitag aus {ships_from}.")
STEALTH_LINES = ("Vakuumiert und geruchsdicht verpackt.", "Diskreter Briefversand, keine Unterschrift.",
                 "Professionelle Tarnung, noch nie eine Beschlagnahme.")
POLICY_LINES = ("Kein Ersatz bei Zollverlust, 50% Reship nach dem ersten Verlust.",
                "Adresse immer mit meinem PGP-Schl\u00fcssel verschl\u00fcsseln.",
                "Bewertung abgeben und 5% Rabatt auf die n\u00e4chste Bestellung bekommen.",
                "Gro\u00dfmengen auf Anfrage, bitte vorher anschreiben.")
PROFILE_OPENERS = ("Willkommen im Shop von {handle}.", "{handle} - zuverl\u00e4ssig seit {year}.",
                   "Hallo, hier ist {handle}. Seit {year} im Gesch\u00e4ft.")
PROFILE_LINES = ("Versand innerhalb von 48 Stunden, Montag bis Samstag.",
                 "Nachrichten nur PGP-verschl\u00fcsselt.",
                 "Urlaub wird eine Woche vorher angek\u00fcndigt.",
                 "Vorsicht vor Betr\u00fcgern mit meinem Namen.")
CATEGORIES: dict[str, str] = {
    "opioids": "Opioide", "stimulants": "Stimulanzien", "ecstasy": "Ecstasy", "cannabis": "Cannabis",
    "benzos": "Benzodiazepine", "dissociatives": "Dissoziativa", "psychedelics": "Psychedelika",
    "prescription": "Medikamente",
}
YES, NO = "Ja", "Nein"
SIGNOFFS = ("Gru\u00df", "Beste Gr\u00fc\u00dfe", "Bleibt sauber", "Danke")
#: German labels of the menu's sub-categories (``vocab.MENU`` gives the products behind them).
MENU_LABELS = {"Fentanyl": "Fentanyl", "Carfentanil": "Carfentanyl", "Pressed M30s": "M30 Pillen",
               "Heroin": "Heroin", "Cocaine": "Kokain", "Crack": "Crack", "Meth": "Crystal",
               "Speed": "Pep", "MDMA": "MDMA", "XTC pills": "XTC", "Weed": "Gras",
               "Hash": "Haschisch", "Xanax": "Xanax", "Valium": "Valium", "Klonopin": "Rivotril",
               "Ketamine": "Ketamin", "LSD": "LSD", "Shrooms": "Zauberpilze",
               "Oxycodone": "Oxycodon", "Tramadol": "Tramadol", "Hydrocodone": "Hydrocodon"}
CHROME_WORDS = {
    "browse": "Kategorien", "all": "alle", "search_all": "Alle Kategorien",
    "featured": "Top-Angebote", "top_in": "Beliebt in {category}", "by": "von",
    "from": "Versand aus {place}",
    "notice": "Achtung: mit Fentanyl gestreckte Heroin-Chargen in Deutschland und \u00d6sterreich "
              "gemeldet. Immer testen.",
    "footer": "Hilfe \u00b7 Regeln \u00b7 PGP \u00b7 Treuhand-FAQ",
}
