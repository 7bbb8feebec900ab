"""Identifiers of a vendor account, read from its documents: PGP fingerprints, crypto addresses,
messenger contacts, e-mail addresses, photo hashes and shipping origins.

Every identifier is a ``(kind, value)`` pair with a normalised ``value`` (so ``@DrWhite_Shop`` and
``drwhite_shop`` on Telegram are one identifier) and comes with the evidence pointer of the
document it was read from. Nothing here does I/O; PGP keys and addresses are checked by
:mod:`extract.validators` so only checksum-valid addresses and parseable keys become identifiers.

>>> vendor = {"market": "m", "handle": "DrWhite", "contacts": ["Telegram: @DrWhite_Shop"],
...           "btc_addresses": ["1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH"], "evidence": None}
>>> sorted((i.kind, i.value) for i in vendor_identifiers(vendor))
[('btc', '1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH'), ('contact', 'telegram:drwhite_shop')]
>>> handle_key("dr.white"), handle_key("DrWh1te_"), handle_key("TheDrWhite420")
('drwhite', 'drwhite', 'drwhite')
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from .tables import HANDLE_AFFIXES, LEET

__all__ = ["Identifier", "vendor_identifiers", "listing_identifiers", "normalise_contact",
           "handle_key", "handle_skeleton", "account_id"]

_EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+\b")
_CONTACT = re.compile(r"^\s*([A-Za-z][A-Za-z .-]{1,20}?)\s*[:=]\s*(\S.*?)\s*$")
_ARMOR_BODY = re.compile(r"[^A-Za-z0-9+/=]")
_AFFIX_RE = re.compile(r"^(?:%s)+|(?:%s)+$" % ("|".join(HANDLE_AFFIXES), "|".join(HANDLE_AFFIXES)))
_LEET_SYMBOLS = "$@!"
#: Listing text is scanned for addresses only when it has a run long enough to be one (Base58 and
#: bech32 addresses have 26 characters or more); vendor pages are always scanned.
_LONG_TOKEN = re.compile(r"[0-9A-Za-z]{26,}")
_INNER_LEET = re.compile(r"(?<=[a-z])[013457$@!]+(?=[a-z])")
_CURRENCY_KIND = {"BTC": "btc", "XMR": "xmr"}


@dataclass(frozen=True)
class Identifier:
    """One identifier seen on one account, with where it was seen (a vendor page or listings)."""

    kind: str
    value: str
    evidence: dict[str, Any] | None = field(default=None, compare=False, hash=False)
    listing_id: str | None = field(default=None, compare=False, hash=False)

    @property
    def node(self) -> str:
        """The graph node of this identifier (``pgp:C959...``)."""
        return f"{self.kind}:{self.value}"


def account_id(market: str, handle: str) -> str:
    """The graph node of a vendor account: ``market/handle``.

    >>> account_id("empire", "DrWhite")
    'empire/DrWhite'
    """
    return f"{market}/{handle}"


def handle_skeleton(handle: str) -> str:
    """A handle folded for comparison: NFKC, lower case, only letters and digits, and leetspeak
    undone where a digit or symbol stands between letters (a trailing ``420`` stays digits).

    >>> handle_skeleton("Dr.Wh1te_"), handle_skeleton("drwhite420")
    ('drwhite', 'drwhite420')
    """
    text = "".join(ch for ch in unicodedata.normalize("NFKC", handle).lower()
                   if ch.isalnum() or ch in _LEET_SYMBOLS)
    text = _INNER_LEET.sub(lambda m: m.group(0).translate(LEET), text)
    return "".join(ch for ch in text if ch.isalnum())


def handle_key(handle: str) -> str:
    """The blocking key of a handle: its skeleton without digits and common affixes
    (``the``, ``official``, ``shop``, country codes, ...). Falls back to the skeleton when
    stripping would leave fewer than three letters.

    >>> handle_key("drwhite_official"), handle_key("UKShop")
    ('drwhite', 'ukshop')
    """
    skeleton = handle_skeleton(handle)
    letters = re.sub(r"\d+", "", skeleton)
    core = _AFFIX_RE.sub("", letters)
    if len(core) >= 3:
        return core
    return letters if len(letters) >= 3 else skeleton


def normalise_contact(text: str, kind: str | None = None) -> tuple[str, str] | None:
    """``(kind, value)`` of a messenger contact as a page shows it (``Wickr: drwhite420``),
    or None when nothing is left. E-mail addresses without a messenger kind come back as
    ``("email", address)``.

    >>> normalise_contact("Telegram: @DrWhite_Shop")
    ('contact', 'telegram:drwhite_shop')
    >>> normalise_contact("drwhite@protonmail.com")
    ('email', 'drwhite@protonmail.com')
    """
    text = unicodedata.normalize("NFKC", text or "").strip()
    if kind is None:
        match = _CONTACT.match(text)
        if match and not _EMAIL.fullmatch(text):
            kind, text = match.group(1), match.group(2)
    value = text.strip().lower()
    kind = (kind or "").strip().lower().replace(" ", "")
    if kind in ("telegram", "tg"):
        kind, value = "telegram", value.lstrip("@").removeprefix("https://t.me/").removeprefix("t.me/")
    if not value:
        return None
    if kind in ("", "email", "e-mail", "mail") and _EMAIL.fullmatch(value):
        return ("email", value)
    return ("contact", f"{kind or 'other'}:{value}")


def _pgp_identifiers(text: str, evidence) -> Iterator[Identifier]:
    from extract.validators import find_pgp_keys

    found = False
    try:
        keys = list(find_pgp_keys(text))
    except Exception:  # a malformed block must not lose the rest of the account
        keys = []
    for key, _start, _end in keys:
        found = True
        yield Identifier("pgp", key.fingerprint, evidence)
    if not found and "BEGIN PGP PUBLIC KEY BLOCK" in text:
        # an unparseable block still links exact copies of itself: hash its base64 body
        body = text.split("BEGIN PGP PUBLIC KEY BLOCK", 1)[1].split("END PGP", 1)[0]
        lines = [ln for ln in body.splitlines() if ln.strip() and ":" not in ln]
        digest = hashlib.sha256(_ARMOR_BODY.sub("", "".join(lines)).encode()).hexdigest()[:40]
        yield Identifier("pgp", f"block:{digest}", evidence)


def _address_identifiers(texts: Iterable[str], evidence, listing_id=None) -> Iterator[Identifier]:
    from extract.validators import find_addresses

    for text in texts:
        if not text:
            continue
        for info, _start, _end in find_addresses(text):
            kind = _CURRENCY_KIND.get(info.currency, "crypto")
            value = info.address if kind != "crypto" else f"{info.currency.lower()}:{info.address}"
            yield Identifier(kind, value, evidence, listing_id)


def vendor_identifiers(doc: dict[str, Any]) -> list[Identifier]:
    """Identifiers on a vendor document (as the store keeps it), deduplicated, in a stable order."""
    evidence = doc.get("evidence")
    found: dict[tuple[str, str], Identifier] = {}

    def add(ident: Identifier) -> None:
        found.setdefault((ident.kind, ident.value), ident)

    extracted = doc.get("extracted") or {}
    for text in [doc.get("pgp_key") or "", doc.get("profile_text") or ""]:
        if "PGP" in text:
            for ident in _pgp_identifiers(text, evidence):
                add(ident)
    for fingerprint in extracted.get("pgp_fingerprints") or []:
        add(Identifier("pgp", str(fingerprint).upper(), evidence))
    addresses = list(doc.get("btc_addresses") or []) + list(doc.get("xmr_addresses") or [])
    addresses += [a.get("address", "") if isinstance(a, dict) else str(a)
                  for a in extracted.get("addresses") or []]
    for ident in _address_identifiers(addresses + [doc.get("profile_text") or ""], evidence):
        add(ident)
    contacts = [(c, None) if isinstance(c, str) else (c.get("value", ""), c.get("kind"))
                for c in list(doc.get("contacts") or []) + list(extracted.get("contacts") or [])]
    for text, kind in contacts:
        normal = normalise_contact(text, kind)
        if normal:
            add(Identifier(normal[0], normal[1], evidence))
    for email in _EMAIL.findall(doc.get("profile_text") or ""):
        add(Identifier("email", email.lower(), evidence))
    for photo in doc.get("photos") or []:
        if isinstance(photo, dict) and photo.get("phash"):
            add(Identifier("photo", photo["phash"], photo.get("evidence") or evidence))
    return list(found.values())


def listing_identifiers(doc: dict[str, Any], *, scan_text: bool = True) -> list[Identifier]:
    """Identifiers on a listing document: its shipping origin, photo hashes and (when
    ``scan_text``) crypto addresses and e-mail addresses written in its description."""
    evidence, listing_id = doc.get("evidence"), str(doc.get("listing_id"))
    out: list[Identifier] = []
    if doc.get("ships_from"):
        out.append(Identifier("origin", str(doc["ships_from"]), evidence, listing_id))
    photos = list(doc.get("photos") or []) + list((doc.get("extracted") or {}).get("photos") or [])
    for photo in photos:
        if isinstance(photo, dict) and photo.get("phash"):
            out.append(Identifier("photo", photo["phash"], photo.get("evidence") or evidence, listing_id))
    if scan_text:
        text = doc.get("description") or ""
        if _LONG_TOKEN.search(text):
            out.extend(_address_identifiers([text], evidence, listing_id))
        if "@" in text:
            out.extend(Identifier("email", e.lower(), evidence, listing_id) for e in _EMAIL.findall(text))
    return out
