"""Context cues that name a drug class when a line names no substance: data only.

Listings often sell a product by a name that is not a substance: a stamp pressed into an ecstasy
pill ("Blue Punisher", "Tesla"), a print on LSD blotter ("Fat Freddy's"), a cannabis strain not in
the lexicon ("Larry OG", "Grape Bubblegum"), a steroid lab's brand ("Sustatex 300mg/10ml"). The
words around it say what it is: a pill count and an MDMA-sized dose, a microgram dose on tabs, a
weight with grower's words ("greenhouse", "indoor", "strain", "AAA+"), a concentration in mg/ml.

The rules that read these tables live in :mod:`extract.components.drug_context`; every table here
is a plain value so that it can be extended without touching code. Names in the tables are ordinary
words too ("Tesla", "Superman", "Twitter"), so a table name alone never counts: it needs the same
context the rules ask for.

>>> "partyflock" in PRESS_NAMES
True
>>> "strain" in CANNABIS_CUES
True
"""
from __future__ import annotations

__all__ = [
    "BLOTTER_NAMES", "CANNABIS_CUES", "CANNABIS_WEIGHTS", "INFERRED_NAMES", "MDMA_DOSE_MG",
    "PILL_WORDS", "PRESS_NAMES", "PRESS_NAMES_COMMON", "STEROID_CUES", "STRAIN_SUFFIXES", "WEIGHT_UNITS",
]

#: The canonical lexicon name an inference reports, per rule.
INFERRED_NAMES = {
    "pill_press": "mdma",
    "blotter": "lsd",
    "cannabis": "cannabis",
    "steroid": "anabolic steroid",
}

#: Milligrams of MDMA in a pressed ecstasy pill as vendors state it (weight of the pill or its
#: MDMA content); outside this range a "<N> mg" pill is more likely a prescription drug.
MDMA_DOSE_MG = (80, 350)

#: Words for pills sold by a stamp ("presses", "pressed", "XTC" is in the lexicon itself).
PILL_WORDS = ("pill", "pills", "presses", "pressed", "pressies", "tablets", "tabs", "tab")

#: Stamps (logos) of pressed ecstasy pills widely reported by pill-testing services since the
#: 2000s, names no other trade uses: a count beside one ("500 Purple Doraemon") is enough.
PRESS_NAMES = (
    "partyflock", "doraemon", "punisher", "punishers", "blue punisher", "red punisher", "audemars piguet",
    "philipp plein", "donkey kong", "dom perignon", "mitsubishi", "mitsubishis", "pink panther",
    "blue dolphin", "playboy bunny", "hello kitty", "pac man", "pacman", "super mario", "tweety",
    "death star", "rockstar", "heineken", "red bull", "transformers", "autobot", "domino", "dominos",
)

#: Stamps that are ordinary brands or words too ("Tesla", "Superman", "Twitter"): they count only
#: with a pill word or an MDMA-sized dose ("Superman 210mg+", "Tesla pills").
PRESS_NAMES_COMMON = (
    "tesla", "superman", "bentley", "rolex", "skype", "twitter", "bitcoin", "bitcoins", "lego",
    "minion", "minions", "playboy", "ferrari", "lamborghini", "versace", "gucci", "louis vuitton",
    "chanel", "batman", "mario", "smiley", "smileys", "homer", "simpsons", "nintendo", "playstation",
    "instagram", "facebook", "whatsapp", "snapchat", "netflix", "youtube", "android", "nike",
    "adidas", "puma", "lacoste", "mercedes", "audi", "bmw", "porsche", "ufo", "crown", "skull",
    "lightning", "lightning bolt", "lightning bolts", "hulk", "ninja", "yoda", "trump", "buddha",
    "shrek", "dolphin", "dolphins", "diamond", "diamonds", "heart", "hearts", "star", "stars",
)

#: Prints on LSD blotter; counted only with a microgram dose or a tab/hit count.
BLOTTER_NAMES = (
    "fat freddy", "fat freddy's", "fat freddys", "hofmann", "albert hofmann", "bicycle day",
    "alex grey", "blue lotus", "om", "shiva", "ganesh", "buddha", "mandala", "alice", "cheshire cat",
    "twins", "strawberry", "strawberries", "fluff", "window pane", "windowpane", "yellow sunshine",
    "orange sunshine", "purple haze", "owsley", "grateful dead", "dancing bears", "felix the cat",
)

#: Words a cannabis listing uses beside a weight: grower's words, grades, forms, strain parts.
#: Lower case, matched as whole words; a line naming no drug with one of these and a weight is
#: cannabis.
CANNABIS_CUES = (
    "strain", "strains", "indica", "sativa", "hybrid", "cbd", "greenhouse", "green house",
    "homegrow", "homegrown", "home grown", "home grow", "indoor", "outdoor", "out door", "hydro",
    "hydroponic", "cured", "jar cured", "trim", "trimmed", "shake", "popcorn", "nugs",
    "commercial", "mids", "midgrade", "mid grade", "reggie", "schwag", "top shelf", "high grade",
    "highgrade", "aaa+", "aa+", "a+++", "loud", "dank", "exotic", "exotics", "purps",
    "purp", "og", "kush", "haze", "cookies", "diesel", "cheese", "skunk", "bud", "buds", "pollen",
    "hash", "wax", "bho", "shatter", "budder", "crumble", "rosin", "kief", "feminized", "feminised",
    "autoflower", "pheno", "phenotype",
)

#: Second words of strain names ("Larry OG", "Grape Bubblegum", "Purp Dream"): with a weight, a
#: capitalised word before one of these names a strain.
STRAIN_SUFFIXES = (
    "og", "kush", "haze", "cookies", "chem", "diesel", "dream", "widow", "cheese", "skunk", "purple",
    "purps", "bubblegum", "berry", "cake", "glue", "gelato", "runtz", "sherbet", "punch", "express",
    "thunderfuck",
)

#: Weights cannabis is sold by without a number ("QP", "a zip", "half ounce"); numbers with a
#: unit ("3.5g", "1/2 oz", "16 OZ") are read by the rule itself.
CANNABIS_WEIGHTS = (
    "qp", "hp", "zip", "zips", "eighth", "8th", "1/8th", "half ounce", "quarter ounce", "half oz",
    "quarter oz", "half pound", "quarter pound", "half lb", "ounce", "pound", "gram",
)

#: Units of weight a number is sold by.
WEIGHT_UNITS = ("g", "gr", "grs", "gram", "grams", "gramm", "oz", "ounce", "ounces", "lb", "lbs", "pound",
                "pounds", "kg", "kilo", "kilos")

#: Words of injectable and oral steroid listings besides a mg/ml concentration.
STEROID_CUES = (
    "vial", "vials", "amp", "amps", "ampoule", "ampoules", "cycle", "cycles", "pct", "bodybuilding",
    "injectable", "injectables", "oil based", "water based", "test e", "test c", "test p",
)
