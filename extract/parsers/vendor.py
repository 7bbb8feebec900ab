"""The vendor's name: from labelled fields, then from common free-text forms; a pure function.

Order of evidence, first found wins:

1. a labelled field: "Vendor", "Seller", "Sold by", "Username", "User profile", "Store", "Shop",
   "Merchant", "Offered by", "Listed by" (see :data:`VENDOR_LABELS`), value on the line or the next;
2. free text naming the seller: "sold by NAME", "Terms and conditions of NAME", "NAME's shop";
3. a name followed by its feedback score at the start of a line, "NAME (97%) Seller Level 2",
   "NAME (1000) (4.97)": the way markets print an account next to its rating;
4. a forum thread's first author, a line "by NAME" / "posted by NAME" / "von NAME" (the opening
   post of a sales thread is the vendor's);
5. a profile page's heading: a line that is a single handle, near the top, that the page repeats at
   least twice more (in its bio, its listings table): "RockTrue ... Hi, this is RockTrue ...".

The name is the first handle-like word of the value (letters, digits, ``_ . -``, optional ``@``);
words that are labels or ratings themselves ("verified", "level", "none") are not names.

>>> find_vendor("Vendor\\tPHARMORA (1000) (4.97 )").name
'PHARMORA'
>>> find_vendor("Sold by: @green_leaf").name
'green_leaf'
>>> find_vendor("Home\\nDutchTopBoy (97%) Seller Level 2 (111)").name
'DutchTopBoy'
>>> find_vendor("Board index\\nM30s 100 pcs\\nby LilMedic_\\nhey all").name
'LilMedic_'
>>> find_vendor("Market\\nRockTrue\\nLevel 2\\nHi, this is RockTrue.\\nMDMA 1g\\tRockTrue\\t€30").name
'RockTrue'
>>> find_vendor("no seller named here") is None
True
>>> find_vendor("User Profile :\\nbob1 (100%) Member Level 0\\nUser Type : Buyer") is None
True
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from extract.parsers.fields import labelled_fields

__all__ = ["VendorName", "find_vendor", "VENDOR_LABELS", "NOT_NAMES"]

#: Field labels naming the account that sells (regular expressions, case-insensitive).
VENDOR_LABELS = (
    r"vendor(?:[ \t]+name)?", r"seller(?:[ \t]+name)?", r"sold[ \t]+by", r"user[ \t]*name", r"user[ \t]+profile",
    r"vendor[ \t]+profile", r"seller[ \t]+profile", r"store(?:[ \t]+name)?", r"shop(?:[ \t]+name)?", r"merchant",
    r"offered[ \t]+by", r"listed[ \t]+by", r"posted[ \t]+by", r"supplier", r"vendeur", r"verkäufer", r"vendedor",
)
#: Words that are never a vendor's name although they follow a label.
NOT_NAMES = frozenset({
    "vendor", "vendors", "seller", "sellers", "name", "none", "n/a", "na", "null", "unknown", "anonymous",
    "level", "verified", "trusted", "profile", "information", "info", "the", "a", "an", "my", "our", "contact",
    "rating", "ratings", "feedback", "since", "member", "type", "yes", "no", "escrow", "price", "ships", "shop",
    "store", "login", "logout", "register", "password", "search", "home", "message", "send", "view", "report",
})
_NAME = r"@?(?P<name>[A-Za-z0-9][A-Za-z0-9_.\-]{1,39}[A-Za-z0-9_])"
_NAME_RE = re.compile(_NAME)
_FREE_RE = re.compile(
    r"(?:\bsold[ \t]+by|\bterms[ \t]+(?:and|&)[ \t]+conditions[ \t]+of|\bvendor[ \t]+profile[ \t]+of|\bshop[ \t]+of"
    r"|\bstore[ \t]+of)[ \t]*+:?[ \t]*+" + _NAME, re.IGNORECASE)
_FREE_RE_LOCAL = re.compile(
    r"(?:\bviewing[ \t]+profile[ \t]*[-–:][ \t]*|\bprofile[ \t]+of[ \t]+|\bprofil[ \t]+(?:von|de)[ \t]+|\bverkauft[ \t]+von[ \t]+"
    r"|\bvendu[ \t]+par[ \t]+|\bvendido[ \t]+por[ \t]+|\bverkocht[ \t]+door[ \t]+)" + _NAME, re.IGNORECASE)
_AUTHOR_RE = re.compile(r"^[ \t]*(?:(?:posted[ \t]+)?by|von|par|por|door|автор:?)[ \t]+" + _NAME + r"[ \t]*$",
                        re.IGNORECASE | re.MULTILINE)
_HANDLE_LINE_RE = re.compile(r"^[ \t]*" + _NAME + r"[ \t]*$", re.MULTILINE)
#: How many lines from the top a profile heading may stand, and how often the page must repeat it.
HEADING_LINES = 12
HEADING_REPEATS = 2
_POSSESSIVE_RE = re.compile(r"(?<![A-Za-z0-9_.\-])" + _NAME + r"'s[ \t]+(?:shop|store|listings|terms)\b", re.IGNORECASE)
_RATED_RE = re.compile(
    r"^[ \t]*" + _NAME + r"[ \t]+\((?:\d{1,3}(?:\.\d+)?[ \t]*%|\d{1,6})\)[ \t]*"
    r"(?=\(|[^\n]{0,20}\b(?:seller|vendor|level|trust|rating|sales|deals|feedback)\b)", re.IGNORECASE | re.MULTILINE)


#: Fields saying what kind of account a profile page shows; a buyer's profile names no vendor.
_ROLE_LABELS = (r"user[ \t]+type", r"account[ \t]+type", r"member[ \t]+type", r"role", r"user[ \t]+class")
_BUYER_RE = re.compile(r"(?:buyer|customer|member|user|client)\b", re.IGNORECASE)


@dataclass(frozen=True)
class VendorName:
    """A vendor name, its span, and how it was found ("label", "text" or "rating")."""

    name: str
    start: int
    end: int
    source: str


def _name(value: str, offset: int) -> tuple[str, int, int] | None:
    m = _NAME_RE.match(value)
    if not m or m.group("name").lower() in NOT_NAMES or not re.search(r"[A-Za-z]", m.group("name")):
        return None
    rest = value[m.end():]
    # a sentence, not a handle: "Vendor: we ship fast"
    if rest[:1] == " " and re.match(r" [a-z]{2,} [a-z]{2,}", rest) and not rest.lstrip().startswith("("):
        return None
    return m.group("name"), offset + m.start("name"), offset + m.end("name")


def _buyer_profile(text: str) -> bool:
    for field in labelled_fields(text, _ROLE_LABELS, next_line=False):
        return bool(_BUYER_RE.match(field.value))
    return False


def find_vendor(text: str) -> VendorName | None:
    """The vendor named in ``text``, or None (also for a page that says its account is a buyer's)."""
    if _buyer_profile(text):
        return None
    for field in labelled_fields(text, VENDOR_LABELS):
        found = _name(field.value, field.start)
        if found:
            return VendorName(*found, "label")
    for pattern in (_FREE_RE, _POSSESSIVE_RE):
        for m in pattern.finditer(text):
            name = m.group("name")
            if name.lower() not in NOT_NAMES and re.search(r"[A-Za-z]", name):
                return VendorName(name, m.start("name"), m.end("name"), "text")
    for pattern, source in ((_FREE_RE_LOCAL, "text"), (_RATED_RE, "rating"), (_AUTHOR_RE, "author")):
        for m in pattern.finditer(text):
            name = m.group("name")
            if name.lower() not in NOT_NAMES and re.search(r"[A-Za-z]", name):
                return VendorName(name, m.start("name"), m.end("name"), source)
    return _heading(text)


def _heading(text: str) -> VendorName | None:
    """A handle standing alone on one of the first lines that the page repeats elsewhere."""
    top = len("\n".join(text.split("\n", HEADING_LINES)[:HEADING_LINES]))
    for m in _HANDLE_LINE_RE.finditer(text, 0, top):
        name = m.group("name")
        if name.lower() in NOT_NAMES or not re.search(r"[A-Za-z]", name):
            continue
        # counted as a substring: card layouts glue cells together ("€32.02RockTrueFrance")
        repeats = text.count(name) - 1 if len(name) >= 5 else 0
        if repeats >= HEADING_REPEATS:
            return VendorName(name, m.start("name"), m.end("name"), "heading")
    return None
