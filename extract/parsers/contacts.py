"""Contact handles outside the market: e-mail, Jabber/XMPP, Wickr, Telegram, Session, Signal, Threema.

Pure functions. Each kind has a shape it must have, so a label followed by a sentence ("Wickr:
just ask me") or markup ("Jabber : <script>") gives nothing:

- e-mail ``user@host.tld`` (also ``.onion`` hosts); it is Jabber/XMPP instead when a Jabber/XMPP
  label or word stands before it on its line, or it is an ``xmpp:`` URI;
- Wickr, Telegram, Threema and Signal handles after their name ("Wickr: hgservice",
  "ADD OUR NEW WICKR SENORHATS", "t.me/name", "Threema ID ABCD1234", "Signal +44 7700 900123");
- Session IDs: 66 hexadecimal digits starting ``05`` (with or without a label).

>>> [(c.kind, c.value) for c in find_contacts("Jabber : diego@xmpp.jp\\nE-Mail : bob@mail.com")]
[('jabber', 'diego@xmpp.jp'), ('email', 'bob@mail.com')]
>>> [(c.kind, c.value) for c in find_contacts("ADD OUR NEW WICKR SENORHATS, telegram @fast_ship")]
[('wickr', 'SENORHATS'), ('telegram', 'fast_ship')]
>>> find_contacts("WiCKR : just ask me") + find_contacts("our group chat on wickr including regulars")
[]
"""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Contact", "find_contacts", "CONTACT_KINDS"]

CONTACT_KINDS = ("email", "jabber", "wickr", "telegram", "session", "signal", "threema")

_EMAIL_RE = re.compile(r"(?<![\w.+\-])(?P<v>[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}@(?:[A-Za-z0-9\-]{1,63}\.)+[A-Za-z]{2,24})(?![\w\-])")
_JABBER_WORD_RE = re.compile(r"\b(?:jabber|xmpp|jid|omemo|otr)\b|xmpp:", re.IGNORECASE)
_EMAIL_WORD_RE = re.compile(r"\be-?mail\b", re.IGNORECASE)
#: Words that follow a messenger's name but are not a handle.
_NOT_HANDLES = frozenset({
    "just", "ask", "me", "us", "only", "support", "available", "id", "name", "username", "user", "handle", "for",
    "and", "or", "is", "at", "on", "the", "a", "an", "my", "our", "contact", "message", "add", "via", "with", "to",
    "please", "pm", "dm", "account", "also", "here", "below", "above", "now", "new", "soon", "coming", "me:",
    "bulk", "orders", "customers", "buyers", "request", "upon", "if", "you", "your", "it", "this", "that", "we",
    "will", "can", "be", "not", "no", "none", "n/a", "inquiries", "enquiries", "questions", "chat", "app",
    "number", "email", "mail", "jabber", "wickr", "telegram", "signal", "session", "threema", "wikr", "me.",
})
_SEP = r"[ \t]*(?:(?:id|name|username|handle|me|user|account)[ \t]*)?(?:[:=\-–>|]+[ \t]*)?"
_HANDLE = r"@?(?P<v>[A-Za-z0-9][A-Za-z0-9_.\-]{1,31}[A-Za-z0-9_])"
_WICKR_RE = re.compile(r"\bwi(?:c)?kr(?:[ \t]*me)?" + _SEP + r"(?:(?:is|at|on|add)[ \t]+)?" + _HANDLE, re.IGNORECASE)
_TELEGRAM_RE = re.compile(r"\b(?:telegram|tg)\b" + _SEP + r"(?:(?:is|at|on)[ \t]+)?@?(?P<v>[A-Za-z][A-Za-z0-9_]{4,31})\b"
                          r"|\bt(?:elegram)?\.me/(?P<u>[A-Za-z][A-Za-z0-9_]{4,31})\b", re.IGNORECASE)
_THREEMA_RE = re.compile(r"\bthreema" + _SEP + r"(?P<v>[A-Z0-9*][A-Z0-9]{7})\b", re.IGNORECASE)
_SIGNAL_RE = re.compile(r"\bsignal" + _SEP + r"(?P<v>\+?\d[\d \-]{6,16}\d|[A-Za-z][A-Za-z0-9_]{2,31}\.\d{2,9})(?![\w])",
                        re.IGNORECASE)
_ARMOR_RE = re.compile(r"-----BEGIN PGP.*?(?:-----END PGP[^\n]*?-----|\Z)", re.DOTALL)
_SESSION_RE = re.compile(r"(?<![0-9A-Fa-f])(?P<v>05[0-9a-fA-F]{64})(?![0-9A-Fa-f])")


@dataclass(frozen=True)
class Contact:
    kind: str
    value: str
    start: int
    end: int


def _line_before(text: str, pos: int) -> str:
    return text[text.rfind("\n", 0, pos) + 1:pos]


def _ok_handle(value: str) -> bool:
    return value.lower().strip(".") not in _NOT_HANDLES and bool(re.search(r"[A-Za-z0-9]{2}", value))


def find_contacts(text: str) -> list[Contact]:
    """Contact handles in ``text``, in text order, each value once per kind."""
    found: list[Contact] = []
    # nothing inside a PGP armor block is a handle ("...+TGEAGkkl..." is base64)
    taken: list[tuple[int, int]] = [m.span() for m in _ARMOR_RE.finditer(text)] if "-----BEGIN PGP" in text else []

    def add(kind: str, value: str, start: int, end: int) -> None:
        if any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        found.append(Contact(kind, value, start, end))

    for m in _SESSION_RE.finditer(text):
        add("session", m.group("v").lower(), m.start("v"), m.end("v"))
    for m in _EMAIL_RE.finditer(text):
        before = _line_before(text, m.start())
        jabber = _JABBER_WORD_RE.search(before)
        email = _EMAIL_WORD_RE.search(before)
        kind = "jabber" if jabber and (not email or jabber.start() > email.start()) else "email"
        add(kind, m.group("v"), m.start("v"), m.end("v"))
    for kind, pattern in (("wickr", _WICKR_RE), ("telegram", _TELEGRAM_RE), ("threema", _THREEMA_RE),
                          ("signal", _SIGNAL_RE)):
        for m in pattern.finditer(text):
            group = "u" if kind == "telegram" and m.group("u") else "v"
            value = m.group(group)
            if kind in ("wickr", "telegram") and not _ok_handle(value):
                continue
            said = text[m.start():m.start(group)]
            if not re.search(r"[:=\-–>|@/]", said) and not re.search(r"[A-Z0-9_.]", value):
                continue  # "a group chat on wickr including...": a plain word, not a handle
            if kind == "threema" and not re.search(r"\d", value) and not value.isupper():
                continue
            add(kind, value, m.start(group), m.end(group))
    seen: set[tuple[str, str]] = set()
    unique = []
    for c in sorted(found, key=lambda c: c.start):
        key = (c.kind, c.value.lower())
        if key not in seen:
            seen.add(key)
            unique.append(c)
    return unique
