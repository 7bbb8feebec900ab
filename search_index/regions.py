"""Regions a listing ships to, and the countries each contains: a data table and two lookups.

Extraction writes ISO 3166-1 alpha-2 codes plus two pseudo-codes, ``WW`` (worldwide) and ``EU``
(the European Union or Europe as a whole, as markets use it). ``to:DE`` must find listings that ship
to DE, to a region containing DE, or worldwide; ``from:EU`` finds listings shipped from anywhere
in the region.

>>> ships_to_codes("DE")
['DE', 'EU', 'WW']
>>> ships_to_codes("us")
['US', 'WW']
>>> ships_from_codes("europe")[:4]
['EU', 'AD', 'AL', 'AT']
>>> region_code("worldwide"), region_code("Europe"), region_code("ch"), region_code("Germany")
('WW', 'EU', 'CH', 'DE')

A word that is neither a country (ISO 3166-1 alpha-2 or alpha-3 code or English name, as
``pycountry`` knows them) nor a region is refused, so ``to:XX`` cannot quietly match every
worldwide listing:

>>> region_code("XX")
Traceback (most recent call last):
...
ValueError: 'XX' is not a country or region: use an ISO country code (DE, US, GB), a country name, EU or WW
"""
from __future__ import annotations

import pycountry

__all__ = ["REGION_MEMBERS", "REGION_NAMES", "region_code", "ships_to_codes", "ships_from_codes"]

#: Countries of Europe as dark-web listings mean "EU": the union's members plus the rest of
#: geographic Europe that markets ship to under that word (EEA, Switzerland, UK, Balkans, ...).
_EUROPE = ("AD AL AT BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GI GR HR HU IE IM IS IT LI LT LU"
           " LV MC MD ME MK MT NL NO PL PT RO RS SE SI SK SM UA VA XK")

#: Region pseudo-code -> the country codes it contains (``WW`` contains every code).
REGION_MEMBERS: dict[str, frozenset[str]] = {"EU": frozenset(_EUROPE.split())}

#: Words an analyst may type for a region (lower case) -> its pseudo-code.
REGION_NAMES = {"eu": "EU", "europe": "EU", "european union": "EU", "ww": "WW", "worldwide": "WW",
                "world": "WW", "anywhere": "WW"}


#: Codes that are neither in ISO 3166-1 nor regions but that markets and extraction use (Kosovo).
_USER_ASSIGNED = frozenset({"XK"})


def region_code(value: str) -> str:
    """The code an analyst's country or region word stands for; ValueError for anything else."""
    word = value.strip()
    if word.lower() in REGION_NAMES:
        return REGION_NAMES[word.lower()]
    if word.upper() in _USER_ASSIGNED:
        return word.upper()
    try:
        return pycountry.countries.lookup(word).alpha_2
    except LookupError:
        raise ValueError(f"{word!r} is not a country or region: use an ISO country code (DE, US, GB),"
                         " a country name, EU or WW") from None


def ships_to_codes(value: str) -> list[str]:
    """Ship-to codes that cover a destination: itself, every region containing it, and ``WW``."""
    code = region_code(value)
    codes = [code]
    codes += [region for region, members in sorted(REGION_MEMBERS.items()) if code in members]
    if "WW" not in codes:
        codes.append("WW")
    return codes


def ships_from_codes(value: str) -> list[str]:
    """Ship-from codes inside an origin: the code itself and, for a region, all its countries."""
    code = region_code(value)
    return [code, *sorted(REGION_MEMBERS.get(code, ()))]
