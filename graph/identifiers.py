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

__all__ = ["Identifier", "vendor_identifiers", "listing_identifiers", "normalise_contact", "read_contacts",
           "address_contacts", "handle_key", "handle_skeleton", "account_id"]

#: What may stand around a contact in a contact field: messenger names and labels, separators.
_LABEL_WORDS = re.compile(r"\b(?:e-?mail|jabber|xmpp|wickr(?:\s*me)?|wikr|telegram|tg|session|signal|threema|id|"
                          r"username|user|handle|name|contact|me)\b|t(?:elegram)?\.me/|https?://|[\s:=\-\u2013>|@/,;.()\[\]]")
#: Other names of the messengers (one identifier whatever name a page uses).
_KIND_NAMES = {"tg": "telegram", "xmpp": "jabber", "wikr": "wickr", "mail": "email"}
#: A contact field of a messenger's name and one token.
_LABELLED_HANDLE = re.compile(r"(?P<k>wickr|telegram|tg|session|jabber|xmpp|signal|threema|e-?mail)"
                              r"(?:\s*me)?\s*[:=\-]?\s*@?(?P<v>[A-Za-z0-9][A-Za-z0-9_.@+\-]{0,62})", re.IGNORECASE)
#: A contact field holding one bare handle (its kind shown elsewhere on the page).
_BARE_HANDLE = re.compile(r"@?[A-Za-z0-9][A-Za-z0-9_.\-]{1,62}[A-Za-z0-9_]")
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
    """``(kind, value)`` identifier of one messenger contact, or None when ``text`` is not one.

    With ``kind`` (the extraction's ``{"kind": ..., "value": ...}``), ``text`` is the value and is
    only normalised. Without it, ``text`` is what a contact field shows and is read by
    :func:`read_contacts`: it must be one contact and nothing else, so prose in a contact field
    ("WiCKR : just ask me", "Telegram: first come, first served") gives None.

    >>> normalise_contact("Telegram: @DrWhite_Shop")
    ('contact', 'telegram:drwhite_shop')
    >>> normalise_contact("drwhite@protonmail.com")
    ('email', 'drwhite@protonmail.com')
    >>> normalise_contact("@DrWhite_Shop", "telegram"), normalise_contact("WiCKR : just ask me")
    (('contact', 'telegram:drwhite_shop'), None)
    """
    if kind is None:
        found = read_contacts(text)
        return found[0] if len(found) == 1 else None
    value = unicodedata.normalize("NFKC", text or "").strip().lower()
    kind = unicodedata.normalize("NFKC", kind).strip().lower().replace(" ", "").replace("-", "")
    kind = _KIND_NAMES.get(kind, kind)
    if kind == "telegram":
        value = value.removeprefix("https://").removeprefix("t.me/").removeprefix("telegram.me/").lstrip("@")
    if not value or any(ch.isspace() for ch in value):
        return None  # a value with spaces is words, not a handle
    if kind in ("", "email") and _is_email(value):
        return ("email", value)
    return ("contact", f"{kind or 'other'}:{value}")


def _is_email(value: str) -> bool:
    from extract.parsers.contacts import find_contacts

    return "@" in value and [(c.kind, c.start, c.end) for c in find_contacts(value)] == [("email", 0, len(value))]


def address_contacts(text: str) -> list[tuple[str, str]]:
    """The e-mail and Jabber addresses written in free text, as extraction reads them
    (:func:`extract.parsers.contacts.find_contacts`): an address with a Jabber label before it on
    its line is a Jabber contact, so it is the same identifier the extraction's contacts give.

    >>> address_contacts("Mail me: DrWhite@protonmail.com\\nJabber: drwhite@xmpp.jp")
    [('email', 'drwhite@protonmail.com'), ('contact', 'jabber:drwhite@xmpp.jp')]
    >>> address_contacts("ships in 2 days @ 10am")
    []
    """
    if "@" not in (text or ""):
        return []
    from extract.parsers.contacts import find_contacts

    found = (normalise_contact(c.value, c.kind) for c in find_contacts(text) if c.kind in ("email", "jabber"))
    return [c for c in found if c]


def read_contacts(text: str) -> list[tuple[str, str]]:
    """The contacts a contact field read by a market profile's selector shows (``Wickr: abc``,
    ``Wickr abc``, ``@abc``, a Session id), found with the extraction's shape rules
    (:func:`extract.parsers.contacts.find_contacts`). A field must hold its contacts and nothing
    else: one with words left over is prose and gives nothing, so a vendor's sentence never
    becomes a contact. A field of one bare handle-shaped token (the kind is shown elsewhere, e.g.
    in an attribute) is kept as an ``other:`` contact.

    >>> read_contacts("Wickr reallab2"), read_contacts("@true_ghost")
    ([('contact', 'wickr:reallab2')], [('contact', 'other:true_ghost')])
    >>> read_contacts("Bulk orders: contact me on Telegram first."), read_contacts("Telegram: first come, first served")
    ([], [])
    """
    from extract.parsers.contacts import find_contacts

    text = unicodedata.normalize("NFKC", text or "").strip()
    if not text:
        return []
    found = find_contacts(text)
    if found:
        rest = text
        for contact in sorted(found, key=lambda c: -c.start):
            rest = rest[:contact.start] + " " + rest[contact.end:]
        leftover = _LABEL_WORDS.sub(" ", rest.lower())
        if re.search(r"[a-z0-9]", leftover):
            return []  # words besides the contacts and their labels: prose, not a contact field
        out = [normalise_contact(c.value, c.kind) for c in found]
        return [c for c in out if c]
    labelled = _LABELLED_HANDLE.fullmatch(text)
    if labelled:  # "Wickr: z", "Signal: bob": a messenger's name and one token, shapes aside
        return [c for c in [normalise_contact(labelled.group("v"), labelled.group("k"))] if c]
    if _BARE_HANDLE.fullmatch(text):
        return [c for c in [normalise_contact(text.lstrip("@"), "")] if c]
    return []


def _pgp_identifiers(text: str, evidence) -> Iterator[Identifier]:
    from extract.validators import find_pgp_keys

    found = False
    try:
        keys = list(find_pgp_keys(text))
    except Exception:  # noqa: BLE001 - a malformed block must not lose the rest of the account
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
    for key in extracted.get("pgp_keys") or []:
        if isinstance(key, dict) and key.get("fingerprint"):
            add(Identifier("pgp", str(key["fingerprint"]).upper(), evidence))
    addresses = list(doc.get("btc_addresses") or []) + list(doc.get("xmr_addresses") or [])
    # the extraction's checksum-valid addresses, less the market's own escrow deposit address
    addresses += [a.get("address", "") for a in extracted.get("crypto_addresses") or []
                  if isinstance(a, dict) and a.get("role") != "escrow_deposit"]
    for ident in _address_identifiers(addresses + [doc.get("profile_text") or ""], evidence):
        add(ident)
    # contacts: the extraction's (kind and value, checked for shape), then what the profile's
    # contact fields show (read with the same rules); never free words of the profile text
    known_values: set[str] = set()
    for contact in extracted.get("contacts") or []:
        if isinstance(contact, dict) and contact.get("value"):
            normal = normalise_contact(str(contact["value"]), str(contact.get("kind") or ""))
            if normal:
                known_values.add(normal[1].split(":", 1)[-1])
                add(Identifier(normal[0], normal[1], evidence))
    for field_text in doc.get("contacts") or []:
        for kind, value in (read_contacts(field_text) if isinstance(field_text, str) else []):
            if kind == "contact" and value.startswith("other:") and value[6:] in known_values:
                continue  # a bare handle the extraction already read with its kind
            add(Identifier(kind, value, evidence))
    for kind, value in address_contacts(doc.get("profile_text") or ""):
        add(Identifier(kind, value, evidence))
    for photo in doc.get("photos") or []:
        if isinstance(photo, dict) and photo.get("phash"):
            add(Identifier("photo", photo["phash"], photo.get("evidence") or evidence))
    return list(found.values())


def listing_identifiers(doc: dict[str, Any], *, scan_text: bool = True) -> list[Identifier]:
    """Identifiers on a listing document: its shipping origin, photo hashes and (when
    ``scan_text``) crypto, e-mail and Jabber addresses written in its description."""
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
        out.extend(Identifier(kind, value, evidence, listing_id) for kind, value in address_contacts(text))
    return out
