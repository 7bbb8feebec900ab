"""Country names to ISO 3166-1 alpha-2 codes, plus the two regions markets ship to.

Data and one pure lookup. Names come from ``pycountry`` (the ISO 3166 tables, kept up to date by
its maintainers) and from :data:`VARIANTS`, this project's table of the ways listings write them
("USA", "Holland", "the NL", "U.K."). Country names in the languages markets are written in (German, French,
Spanish, Dutch, Italian, Portuguese, Russian, Polish: :data:`LANGUAGES`) come from the ISO 3166
translations pycountry ships as gettext catalogues, with accents also folded ("Etats-Unis"), and
:data:`VARIANTS` adds their region words ("weltweit", "todo el mundo"). Two pseudo-codes stand for regions: ``"WW"`` (worldwide)
and ``"EU"`` (the European Union or Europe as a whole).

>>> country_code("United States of America"), country_code("the NL"), country_code("Holland")
('US', 'NL', 'NL')
>>> country_code("World Wide"), country_code("Europe"), country_code("Narnia")
('WW', 'EU', None)
>>> country_code("Vereinigte Staaten"), country_code("Pays-Bas"), country_code("weltweit")
('US', 'NL', 'WW')
"""
from __future__ import annotations

import gettext
import re
import unicodedata
from functools import lru_cache

import pycountry

__all__ = ["REGIONS", "VARIANTS", "LANGUAGES", "normalise_name", "country_code", "known_names"]

#: Languages whose ISO 3166 country names are read (pycountry's gettext catalogues ``iso3166-1``).
LANGUAGES = ("de", "fr", "es", "nl", "it", "pt", "ru", "pl")

#: Pseudo-codes for regions: not ISO 3166 codes, but what listings most often ship to.
REGIONS = {"WW": "Worldwide", "EU": "European Union"}

#: Variants that ISO names do not cover, keyed by their normalised form (see :func:`normalise_name`).
VARIANTS: dict[str, str] = {
    # regions
    "worldwide": "WW", "world wide": "WW", "world-wide": "WW", "ww": "WW", "world": "WW",
    "the world": "WW", "global": "WW", "globally": "WW", "international": "WW",
    "internationally": "WW", "everywhere": "WW", "everyplace": "WW", "every country": "WW", "anywhere": "WW", "all countries": "WW",
    "all over the world": "WW", "whole world": "WW", "worlwide": "WW", "wolrdwide": "WW",
    "wordwide": "WW", "worldwilde": "WW", "worldwid": "WW", "woldwide": "WW", "wordlwide": "WW",
    "eu": "EU", "european union": "EU", "europe": "EU", "europa": "EU", "eu countries": "EU",
    "european countries": "EU", "schengen": "EU", "schengen area": "EU", "eurozone": "EU",
    # United States
    "usa": "US", "us": "US", "u s": "US", "u s a": "US", "united states": "US", "america": "US",
    "united states of america": "US", "the states": "US", "us of a": "US", "amerika": "US",
    "estados unidos": "US", "etats unis": "US",
    # United Kingdom
    "uk": "GB", "u k": "GB", "united kingdom": "GB", "great britain": "GB", "britain": "GB",
    "england": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB", "gb": "GB",
    # Europe
    "holland": "NL", "nederland": "NL", "the nl": "NL", "nl": "NL", "netherland": "NL",
    "netherlands": "NL", "niederlande": "NL", "pays bas": "NL",
    "germany": "DE", "deutschland": "DE", "brd": "DE", "bundesrepublik deutschland": "DE", "ger": "DE", "allemagne": "DE", "alemania": "DE",
    "france": "FR", "frankreich": "FR", "spain": "ES", "espana": "ES", "españa": "ES",
    "italy": "IT", "italia": "IT", "poland": "PL", "polska": "PL", "belgium": "BE",
    "belgie": "BE", "belgique": "BE", "switzerland": "CH", "schweiz": "CH", "suisse": "CH",
    "austria": "AT", "osterreich": "AT", "österreich": "AT", "sweden": "SE", "sverige": "SE",
    "norway": "NO", "norge": "NO", "denmark": "DK", "danmark": "DK", "finland": "FI",
    "suomi": "FI", "czech republic": "CZ", "czechia": "CZ", "czech": "CZ", "portugal": "PT",
    "ireland": "IE", "eire": "IE", "republic of ireland": "IE", "greece": "GR", "hellas": "GR",
    "slovakia": "SK", "slovak republic": "SK", "russia": "RU", "ukraine": "UA",
    "moldova": "MD", "macedonia": "MK", "turkey": "TR", "turkiye": "TR", "türkiye": "TR",
    "kosovo": "XK",
    # elsewhere
    "australia": "AU", "aus": "AU", "straya": "AU", "new zealand": "NZ", "nz": "NZ",
    "canada": "CA", "mexico": "MX", "méxico": "MX", "brazil": "BR", "brasil": "BR",
    "colombia": "CO", "peru": "PE", "bolivia": "BO", "venezuela": "VE", "china": "CN",
    "prc": "CN", "mainland china": "CN", "hong kong": "HK", "hongkong": "HK", "india": "IN",
    "south africa": "ZA", "rsa": "ZA", "thailand": "TH", "japan": "JP", "south korea": "KR",
    "korea": "KR", "north korea": "KP", "taiwan": "TW", "vietnam": "VN", "viet nam": "VN",
    "laos": "LA", "iran": "IR", "syria": "SY", "uae": "AE", "u a e": "AE",
    "united arab emirates": "AE", "emirates": "AE", "dubai": "AE", "tanzania": "TZ",
    "congo": "CG", "dr congo": "CD", "drc": "CD", "ivory coast": "CI", "cote d'ivoire": "CI",
    # region words and inflected forms in other market languages
    "weltweit": "WW", "welt": "WW", "ganze welt": "WW", "alle länder": "WW", "international versand": "WW",
    "mondial": "WW", "monde entier": "WW", "le monde entier": "WW", "partout": "WW",
    "mundial": "WW", "todo el mundo": "WW", "mundo": "WW", "wereldwijd": "WW", "hele wereld": "WW",
    "in tutto il mondo": "WW", "tutto il mondo": "WW", "mondo": "WW", "todo o mundo": "WW",
    "по всему миру": "WW", "весь мир": "WW", "cały świat": "WW", "na cały świat": "WW",
    "europaweit": "EU", "eu weit": "EU", "europäische union": "EU", "union européenne": "EU", "toda europa": "EU", "ganz europa": "EU",
    "toute l'europe": "EU", "heel europa": "EU", "tutta europa": "EU", "tutta l'europa": "EU", "toda a europa": "EU",
    "unión europea": "EU", "europese unie": "EU", "unione europea": "EU", "união europeia": "EU",
    "европа": "EU", "евросоюз": "EU", "ес": "EU", "unia europejska": "EU", "europe entière": "EU",
    "niederlanden": "NL", "vereinigten staaten": "US", "den usa": "US",
    "der schweiz": "CH", "türkei": "TR", "tschechien": "CZ", "slowakei": "SK", "großbritannien": "GB",
    "grossbritannien": "GB", "holanda": "NL", "hollande": "NL", "inglaterra": "GB",
    "angleterre": "GB", "россия": "RU", "рф": "RU", "украина": "UA", "сша": "US",
}

#: Translated names that are English words ("Island" is Iceland in German): never read as places.
_ENGLISH_WORDS = frozenset({"island", "man", "chili", "turkey", "jordan"})

_SPACES = re.compile(r"\s+")
_DROP = re.compile(r"[.\u00ae\u2122*!?\"()\[\]]")


def normalise_name(text: str) -> str:
    """The lookup form of a place name: lower case, no dots, single spaces, no leading "the"
    unless the variant table has the form with it.

    >>> normalise_name("  U.S.A. "), normalise_name("The  Netherlands")
    ('u s a', 'netherlands')
    """
    text = _DROP.sub(lambda m: " " if m.group(0) == "." else "", text.lower())
    text = _SPACES.sub(" ", text.replace("_", " ").replace("-", " ").replace("\u2019", "'")).strip()
    if text not in VARIANTS and text.startswith("the ") and text[4:]:
        text = text[4:]
    return text


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    names: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        forms = [country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)]
        for form in forms:
            if form:
                names.setdefault(normalise_name(form), code)
        # "Korea, Republic of" -> "korea": only when no other country already has that short form
        if "," in country.name:
            names.setdefault(normalise_name(country.name.split(",")[0]), code)
    for lang in LANGUAGES:
        try:
            catalogue = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
        except OSError:  # a pycountry build without that catalogue: English names still work
            continue
        for country in pycountry.countries:
            for form in (country.name, getattr(country, "common_name", None)):
                local = catalogue.gettext(form) if form else None
                if not local or local == form or "," in local:
                    continue
                for key in {normalise_name(local), normalise_name(_fold(local))}:
                    if len(key) > 3 and key not in _ENGLISH_WORDS:
                        names.setdefault(key, country.alpha_2)
    names.update(VARIANTS)
    return names


def _fold(text: str) -> str:
    """``text`` without accents ("États-Unis" -> "Etats-Unis")."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _codes() -> dict[str, str]:
    codes = {c.alpha_2: c.alpha_2 for c in pycountry.countries}
    codes.update({c.alpha_3: c.alpha_2 for c in pycountry.countries})
    codes.update({"UK": "GB", "WW": "WW", "EU": "EU", "USA": "US"})
    return codes


def country_code(text: str, *, allow_codes: bool = True) -> str | None:
    """ISO 3166-1 alpha-2 code (or ``"WW"`` / ``"EU"``) for a name, variant or code; else None.

    Bare ISO codes ("NL", "DEU") are accepted only in upper case, so that English words such as
    "in", "no" or "it" are never read as countries.

    >>> country_code("Deutschland"), country_code("DEU"), country_code("no"), country_code("NO")
    ('DE', 'DE', None, 'NO')
    """
    stripped = text.strip().strip(".,;:")
    if not stripped:
        return None
    if allow_codes and stripped.isupper() and stripped.isalpha() and stripped in _codes():
        return _codes()[stripped]
    key = normalise_name(stripped)
    if len(key) <= 2 and key not in VARIANTS:
        return None
    return _names().get(key)


def known_names() -> dict[str, str]:
    """Every normalised name this module knows, with its code (used to find names in free text).

    >>> known_names()["holland"]
    'NL'
    """
    return dict(_names())
