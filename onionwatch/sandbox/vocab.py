"""The sandbox's own vocabulary: products, slang, title phrasings, countries, handles, prose.

Data only, no logic beyond small lookups. This is the oracle's vocabulary and is written apart from
the extraction lexicons on purpose: the extractor must recognise these strings without having been
built from them. Amounts are ``(value, unit)``; units are ``g kg oz lb`` (weight), ``pill tab``
(counts), ``mg ug`` (strength). Title templates use ``{name} {q} {n} {st} {tag}``.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Product", "PRODUCTS", "CATEGORIES", "TEMPLATES", "QTY_FORMATS", "STRENGTH_FORMATS",
    "GRAMS_PER_UNIT", "COUNTRIES", "COUNTRY_WEIGHTS", "REGIONS", "NEIGHBOURS",
    "HANDLE_PREFIXES", "HANDLE_CORES", "HANDLE_SUFFIXES", "CONTACT_KINDS", "JABBER_DOMAINS",
    "QUALITY_LINES", "SHIPPING_LINES", "STEALTH_LINES", "POLICY_LINES", "PROFILE_OPENERS",
    "PROFILE_LINES", "HOSTILE_PARAGRAPH", "MENU", "CHROME_WORDS",
]


@dataclass(frozen=True)
class Product:
    """One kind of thing vendors list. ``usd`` is the price of one gram / pill / tab."""

    key: str
    drug: str
    drug_class: str
    category: str
    form: str
    names: tuple[str, ...]
    amounts: tuple[tuple[float, str], ...]
    usd: float
    tags: tuple[str, ...]
    strengths: tuple[tuple[float, str], ...] = ()


_G_SMALL = ((0.1, "g"), (0.25, "g"), (0.5, "g"), (1, "g"), (2, "g"), (5, "g"))
_G_STREET = ((0.5, "g"), (1, "g"), (2, "g"), (3.5, "g"), (5, "g"), (7, "g"), (10, "g"),
             (14, "g"), (28, "g"), (1, "oz"), (50, "g"), (100, "g"), (250, "g"), (1, "kg"))
_G_WEED = ((1, "g"), (3.5, "g"), (7, "g"), (14, "g"), (28, "g"), (0.25, "oz"), (0.5, "oz"),
           (1, "oz"), (4, "oz"), (1, "lb"))
_PILLS = ((10, "pill"), (20, "pill"), (25, "pill"), (50, "pill"), (100, "pill"), (200, "pill"),
          (500, "pill"), (1000, "pill"))
_TABS = ((5, "tab"), (10, "tab"), (25, "tab"), (50, "tab"), (100, "tab"))
_OPI_TAGS = ("STRONG", "fire", "top quality", "free shipping", "vendor favourite", "bulk deal")

PRODUCTS: tuple[Product, ...] = (
    Product("fentanyl", "fentanyl", "opioid", "opioids", "powder",
            ("Fentanyl HCl", "Fentanyl powder", "China White (Fentanyl)", "Fent powder", "Fetty"),
            _G_SMALL, 55.0, ("99% pure", "lab tested") + _OPI_TAGS),
    Product("carfentanil", "carfentanil", "opioid", "opioids", "powder",
            ("Carfentanil", "Carfentanil HCl", "Carfent"), _G_SMALL[:4], 120.0,
            ("research chemical", "not for human consumption", "lab tested")),
    Product("acetylfentanyl", "acetylfentanyl", "opioid", "opioids", "powder",
            ("Acetylfentanyl", "Acetyl Fentanyl", "Acetyl-F"), _G_SMALL, 45.0,
            ("research chemical", "lab tested") + _OPI_TAGS[:2]),
    Product("furanylfentanyl", "furanylfentanyl", "opioid", "opioids", "powder",
            ("Furanylfentanyl", "Furanyl Fentanyl", "FU-F"), _G_SMALL, 40.0,
            ("research chemical", "stock limited")),
    Product("m30_pressed", "fentanyl", "opioid", "opioids", "pressed_pill",
            ("M30 Blues", "M30 blues pressed", "Blue M30s", "Perc 30s (pressed)", "Pressed M30",
             "Blues M30 (fent pressed)"), _PILLS, 9.0, ("fent", "pressed", "fire", "dark blues",
                                                     "real look", "no fillers")),
    Product("heroin", "heroin", "opioid", "opioids", "powder",
            ("Afghan #4 Heroin", "Heroin #4", "Brown Heroin", "Black Tar Heroin", "H #3 Brown",
             "Dope (Heroin)", "Mexican Tar"), _G_STREET, 80.0, ("uncut", "pure", "top grade")
            + _OPI_TAGS[:3]),
    Product("cocaine", "cocaine", "stimulant", "stimulants", "powder",
            ("Peruvian Cocaine", "Colombian Cocaine 90%", "Fishscale Cocaine", "Cocaine HCl",
             "Bolivian Flake", 'Peruvian Flake "Fishscale"', "Coke"), _G_STREET, 90.0,
            ("uncut", "90% pure", "straight from the brick", "reagent tested", "Pure & Uncut")),
    Product("crack", "cocaine", "stimulant", "stimulants", "crack",
            ("Crack Cocaine rocks", "Crack rock", "Hard (Crack)"), _G_STREET[:8], 85.0,
            ("cooked fresh", "big rocks")),
    Product("meth", "methamphetamine", "stimulant", "stimulants", "crystal",
            ("Crystal Meth", "Methamphetamine shards", "Ice (Crystal Meth)", "Tina", "Glass shards",
             "Meth"), _G_STREET, 40.0, ("clear shards", "d-meth", "99%", "triple washed")),
    Product("amphetamine", "amphetamine", "stimulant", "stimulants", "paste",
            ("Speed paste", "Amphetamine sulfate", "Amph base", "Speed"), _G_STREET[:12], 12.0,
            ("68%", "dutch", "strong paste")),
    Product("mdma_crystal", "MDMA", "empathogen", "ecstasy", "crystal",
            ("MDMA Crystal 84%", "Dutch MDMA", "Molly", "MDMA champagne rocks", "MDMA"),
            _G_STREET[:12], 35.0, ("84%", "champagne", "lab tested", "dutch import")),
    Product("xtc_pills", "MDMA", "empathogen", "ecstasy", "pill",
            ("Blue Punisher XTC", "Tesla XTC pills", "Red Bull XTC", "Philipp Plein XTC",
             "Ecstasy pills"), _PILLS, 8.0, ("high dose", "dutch", "new batch"),
            ((180, "mg"), (220, "mg"), (250, "mg"), (280, "mg"))),
    Product("cannabis", "cannabis", "cannabinoid", "cannabis", "flower",
            ("OG Kush", "Girl Scout Cookies", "Amnesia Haze", "Gorilla Glue #4", "Gelato",
             "Purple Haze", "Sour Diesel", "Cali Weed"), _G_WEED, 9.0,
            ("AAA+", "top shelf", "indoor", "Cali", "organic", "sticky")),
    Product("hash", "cannabis", "cannabinoid", "cannabis", "resin",
            ("Moroccan Hash", "Afghan Hash", "Dry Sift Hash", "Charas"), _G_WEED[:7], 10.0,
            ("premium", "double zero", "soft & sticky")),
    Product("alprazolam", "alprazolam", "benzodiazepine", "benzos", "pill",
            ("Xanax bars", "Alprazolam (Xanax)", "Green Hulk bars", "Yellow school bus bars",
             "Pfizer Xanax"), _PILLS, 3.0, ("real pharma", "pressed", "bars"),
            ((1, "mg"), (2, "mg"))),
    Product("diazepam", "diazepam", "benzodiazepine", "benzos", "pill",
            ("Diazepam (Valium)", "Valium", "Blue Valium"), _PILLS, 1.5, ("Roche", "pharma grade"),
            ((5, "mg"), (10, "mg"))),
    Product("clonazepam", "clonazepam", "benzodiazepine", "benzos", "pill",
            ("Klonopin", "Rivotril (Clonazepam)", "Clonazepam"), _PILLS, 2.0, ("Roche",),
            ((1, "mg"), (2, "mg"))),
    Product("ketamine", "ketamine", "dissociative", "dissociatives", "crystal",
            ("Ketamine shards", "Special K", "Ketamine crystal", "Ket needles"), _G_STREET[:12],
            35.0, ("needle shards", "S-isomer", "vet grade")),
    Product("lsd", "LSD", "psychedelic", "psychedelics", "blotter",
            ("LSD", "Lucy blotters", "Acid", "LSD-25"), _TABS, 8.0,
            ("Hofmann print", "Alex Grey print", "lab tested"),
            ((100, "ug"), (150, "ug"), (200, "ug"), (250, "ug"))),
    Product("mushrooms", "psilocybin", "psychedelic", "psychedelics", "dried_mushrooms",
            ("Golden Teacher mushrooms", "Magic mushrooms (Psilocybe cubensis)", "Penis Envy shrooms",
             "B+ cubensis"), _G_WEED[:7], 9.0, ("dried", "potent", "organic grown")),
    Product("oxycodone", "oxycodone", "opioid", "prescription", "pill",
            ("Oxycodone (Roxicodone)", "OxyContin", "Oxycodone HCl", "Roxies"), _PILLS[:6], 25.0,
            ("pharma", "real pharmacy", "not pressed"), ((10, "mg"), (15, "mg"), (30, "mg"))),
    Product("tramadol", "tramadol", "opioid", "prescription", "pill",
            ("Tramadol", "Tramadol HCl", "Ultram (Tramadol)", "Tramadol tabs"), _PILLS, 1.2,
            ("Indian pharma", "blister packs"), ((50, "mg"), (100, "mg"), (200, "mg"))),
    Product("hydrocodone", "hydrocodone", "opioid", "prescription", "pill",
            ("Hydrocodone (Norco)", "Norco", "Hydrocodone"), _PILLS[:6], 12.0, ("US pharma",),
            ((5, "mg"), (10, "mg"))),
)

#: Category slug -> displayed name, in menu order.
CATEGORIES: dict[str, str] = {
    "opioids": "Opioids", "stimulants": "Stimulants", "ecstasy": "Ecstasy", "cannabis": "Cannabis",
    "benzos": "Benzos", "dissociatives": "Dissociatives", "psychedelics": "Psychedelics",
    "prescription": "Prescription",
}

#: Category slug -> the sub-categories a market's menu lists under it: ``(label, product keys)``.
#: Every class is named, fentanyl included, on every page (the chrome issue 13 is about).
MENU: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "opioids": (("Fentanyl", ("fentanyl", "acetylfentanyl", "furanylfentanyl")),
                ("Carfentanil", ("carfentanil",)), ("Pressed M30s", ("m30_pressed",)),
                ("Heroin", ("heroin",))),
    "stimulants": (("Cocaine", ("cocaine",)), ("Crack", ("crack",)), ("Meth", ("meth",)),
                   ("Speed", ("amphetamine",))),
    "ecstasy": (("MDMA", ("mdma_crystal",)), ("XTC pills", ("xtc_pills",))),
    "cannabis": (("Weed", ("cannabis",)), ("Hash", ("hash",))),
    "benzos": (("Xanax", ("alprazolam",)), ("Valium", ("diazepam",)), ("Klonopin", ("clonazepam",))),
    "dissociatives": (("Ketamine", ("ketamine",)),),
    "psychedelics": (("LSD", ("lsd",)), ("Shrooms", ("mushrooms",))),
    "prescription": (("Oxycodone", ("oxycodone",)), ("Tramadol", ("tramadol",)),
                     ("Hydrocodone", ("hydrocodone",))),
}
#: The words of the chrome around every page (headings, notices, footers), English.
CHROME_WORDS = {
    "browse": "Browse", "all": "all", "search_all": "All categories", "featured": "Featured listings",
    "top_in": "Top in {category}", "by": "by", "from": "Ships from {place}",
    "notice": "Warning: pressed M30s laced with fentanyl reported in the United States and Canada. "
              "Test every batch.",
    "footer": "Support \u00b7 Rules \u00b7 PGP \u00b7 Canary \u00b7 Escrow FAQ",
    "sponsored": "Sponsored shops", "hot": "Hot topics", "jump": "Jump to",
    "trending": "Trending now", "also": "You may also like",
}

#: Title phrasings by amount kind: weight, counted with a strength, counted without one.
TEMPLATES: dict[str, tuple[str, ...]] = {
    "weight": ("{name} {q}", "{q} {name}", "{q} {name} - {tag}", "[{tag}] {name} {q}",
               "{name} | {q} | {tag}", "{name} - {q} - {tag}", "{q} of {name} ({tag})"),
    "count": ("{n}x {name} {st}", "{name} {st} x {n}", "{n} x {name} ({st})",
              "{name} {st} - {n} pills", "{n} pcs {name} {st} [{tag}]", "{name} {st} x{n}"),
    "count_plain": ("{n}x {name} - {tag}", "{name} x {n}", "{n} x {name} ({tag})",
                    "{n} {name} - {tag}", "{name} - {n} pcs"),
    "tab": ("{n}x {name} {st} tabs", "{name} {st} x {n} tabs", "{n} {name} blotters {st}",
            "{name} {st} - {n} tabs [{tag}]"),
}

#: Ways weights are written; ``{s}`` is a plural "s".
QTY_FORMATS: dict[str, tuple[str, ...]] = {
    "g": ("{v}g", "{v} g", "{v}gr", "{v} gram{s}"),
    "kg": ("{v}kg", "{v} kg", "{v} KG", "{v} kilo{s}"),
    "oz": ("{v}oz", "{v} oz", "{v} OZ", "{v} ounce{s}"),
    "lb": ("{v}lb", "{v} lb", "{v} pound{s}"),
}
STRENGTH_FORMATS: dict[str, tuple[str, ...]] = {
    "mg": ("{v}mg", "{v} mg", "{v}MG"),
    "ug": ("{v}ug", "{v}\u00b5g", "{v} mcg", "{v}mcg"),
}
GRAMS_PER_UNIT = {"g": 1.0, "kg": 1000.0, "oz": 28.35, "lb": 453.6}

#: ISO 3166-1 alpha-2 -> spellings seen on sandbox pages (first is the usual one).
COUNTRIES: dict[str, tuple[str, ...]] = {
    "US": ("United States", "USA", "United States of America", "U.S.A.", "US"),
    "GB": ("United Kingdom", "UK", "Great Britain", "England"),
    "NL": ("Netherlands", "The Netherlands", "Holland", "NL"),
    "DE": ("Germany", "Deutschland", "DE"),
    "CA": ("Canada", "CAN"),
    "AU": ("Australia", "AUS"),
    "FR": ("France",),
    "ES": ("Spain", "Espa\u00f1a"),
    "BE": ("Belgium", "Belgi\u00eb"),
    "PL": ("Poland", "Polska"),
    "CZ": ("Czech Republic", "Czechia"),
    "IT": ("Italy",),
    "SE": ("Sweden",),
    "CH": ("Switzerland",),
    "AT": ("Austria",),
    "IE": ("Ireland",),
    "DK": ("Denmark",),
    "PT": ("Portugal",),
    "NZ": ("New Zealand",),
    "CN": ("China",),
    "IN": ("India",),
    "CO": ("Colombia",),
    "MX": ("Mexico",),
}
COUNTRY_WEIGHTS: dict[str, int] = {
    "US": 30, "GB": 12, "NL": 12, "DE": 12, "CA": 6, "AU": 5, "FR": 4, "ES": 4, "BE": 2, "PL": 3,
    "CZ": 1, "IT": 2, "SE": 1, "CH": 1, "AT": 1, "IE": 1, "DK": 1, "PT": 1, "NZ": 1, "CN": 2,
    "IN": 2, "CO": 1, "MX": 1,
}
#: Pseudo-codes for regions -> spellings.
REGIONS: dict[str, tuple[str, ...]] = {
    "WW": ("Worldwide", "World Wide", "WW"),
    "EU": ("Europe", "EU", "European Union"),
}
#: Where a vendor in a country plausibly also ships, for short ships-to lists.
NEIGHBOURS: dict[str, tuple[str, ...]] = {
    "US": ("CA", "MX"), "CA": ("US",), "GB": ("IE", "NL", "FR"), "IE": ("GB",),
    "AU": ("NZ",), "NZ": ("AU",), "MX": ("US",), "CO": ("US", "ES"),
}

HANDLE_PREFIXES = ("dr", "mr", "the", "big", "lil", "king", "queen", "pharma", "green", "blue",
                   "ice", "snow", "dutch", "cali", "uk", "euro", "top", "real", "true", "plug")
HANDLE_CORES = ("white", "kush", "candy", "chem", "stealth", "ghost", "wolf", "tiger", "fox",
                "rabbit", "dragon", "bear", "moon", "star", "rock", "flake", "crystal", "pill",
                "dope", "cartel", "vibes", "medic", "lab", "connect")
HANDLE_SUFFIXES = ("", "", "", "420", "_uk", "_usa", "shop", "store", "_official", "247", "_nl",
                   "88", "x", "labs", "direct")

#: Contact kind -> label shown on the page.
CONTACT_KINDS = {"wickr": "Wickr", "telegram": "Telegram", "session": "Session", "jabber": "Jabber"}
JABBER_DOMAINS = ("jabber.sandbox.invalid", "xmpp.sandbox.invalid", "chat.sandbox.invalid")

QUALITY_LINES = (
    "Same batch as last month, customers love it.",
    "Reagent tested before every shipment, results on request.",
    "Top quality, you will not find better at this price.",
    "Fresh stock, weighed on a calibrated scale, always a little extra.",
    "Consistent product, no complaints in {sales} sales.",
    "Start low, go slow. Test your product.",
)
SHIPPING_LINES = (
    "Ships from {ships_from} within 24-48h of payment.",
    "Orders before 2pm ship same day from {ships_from}.",
    "Dispatch Monday to Friday from {ships_from}, tracking on request.",
)
STEALTH_LINES = (
    "Vacuum sealed, MBB, decoy packaging.",
    "Professional stealth, triple vacuum sealed and smell proof.",
    "Discreet envelope, no signature needed.",
    "Stealth is our priority, never had a seizure.",
)
POLICY_LINES = (
    "No refunds on customs seizures, 50% reship after the first loss.",
    "FE only for buyers with 10+ orders. Always encrypt your address with my PGP key.",
    "Leave feedback and get 5% off your next order.",
    "Bulk discounts available, message me before ordering.",
    "Do not finalize before you receive. Disputes are handled fairly.",
)
PROFILE_OPENERS = (
    "Welcome to {handle}'s shop.",
    "{handle} - trusted vendor since {year}.",
    "Hi, this is {handle}. Professional service since {year}.",
    "Quality first. {handle} has served {sales}+ customers.",
)
PROFILE_LINES = (
    "Orders ship within 48 hours, Monday to Saturday.",
    "Encrypt all messages with my PGP key or they will be ignored.",
    "Bulk orders: contact me on {contact_kind} first.",
    "Reships are handled case by case. Be patient, be respectful.",
    "Same handle and key on every market. Beware of scammers using my name.",
    "Vacation mode is announced here a week in advance.",
)
#: Hostile market text, as real markets carry: pages must show it escaped, never as markup.
HOSTILE_PARAGRAPH = ('<script>alert("sandbox-xss")</script><b>BEST PRICES</b> & '
                     '<img src=x onerror="alert(1)"> "free" reship')

# --- actors' writing habits (the same on every market they sell on) -----------------------------
SIGNOFF_OPENERS = ("Stay safe", "Much love", "Respect", "Blessings", "Cheers", "Take care",
                   "Peace", "Thanks for choosing us", "Enjoy responsibly", "Happy days")
SIGNOFF_AUDIENCES = ("", " fam", " brothers", " all", " my people", " friends", " everyone")
SIGNOFF_MARKS = ("!!", " <3", " ~", ".", " :)", " //", "!", " ;)")
MOTTOS = (
    "no bullshit, just quality", "from our lab to your door", "small shop, big heart",
    "quality over quantity since day one", "we never cut, we never will",
    "your satisfaction is our reputation", "straight from the source", "discretion is everything",
    "fast, safe, reliable", "one love, one shop", "the plug you can trust",
    "honest weights, honest prices", "family business, old school rules", "real ones only",
)
#: Stock photo captions: the same pictures appear on unrelated vendors' listings (hard negatives).
STOCK_PHOTOS = 6

# --- forum shop wording: facts written in free text ----------------------------------------------
FORUM_BOARDS = {"opioids": "Opiates & Opioids", "stimulants": "Uppers", "ecstasy": "Party Pills",
                "cannabis": "Green Corner", "benzos": "Benzo Bay", "dissociatives": "Dissos",
                "psychedelics": "Psychedelia", "prescription": "Pharmacy"}
FORUM_SUBJECTS = ("[WTS] {title}", "{title} - {from_code} > {to_short}", "WTS: {title}",
                  "{title} | ships {from_code}", "[SHOP] {title}")
FORUM_SHIP_LINES = (
    "shipping from {from_text}, {to_text} only",
    "we ship from {from_text} to {to_text}",
    "located in {from_text}, shipping to {to_text}",
    "dispatch from {from_text} -> {to_text}",
    "sending from {from_text}. destinations: {to_text}",
)
FORUM_PRICE_LINES = (
    "price is {price} for {amount}", "{amount} goes for {price}", "{price} per {amount}",
    "asking {price} for {amount}, no haggling",
)
FORUM_TERMS = {
    (True, False): ("escrow only, no FE", "market escrow, we never ask for FE"),
    (False, True): ("FE required, sorry", "finalize early only (we have history)"),
    (True, True): ("escrow or FE, your choice", "FE for regulars, escrow for new buyers"),
}
FORUM_SHORT = {"WW": "WW", "EU": "EU"}
