"""Contact handles outside the market: e-mail, Jabber/XMPP, Wickr, Telegram, Session, Signal, Threema.

Pure functions. Each kind has a shape it must have, so a label followed by a sentence ("Wickr:
just ask me") or markup ("Jabber : <script>") gives nothing:

- e-mail ``user@host.tld`` (also ``.onion`` hosts); it is Jabber/XMPP instead when a Jabber/XMPP
  label or word stands before it on its line, or it is an ``xmpp:`` URI;
- Wickr, Telegram, Threema and Signal handles after their name ("Wickr: hgservice",
  "ADD OUR NEW WICKR SENORHATS", "t.me/name", "Threema ID ABCD1234", "Signal +44 7700 900123");
- Session IDs: 66 hexadecimal digits starting ``05`` (with or without a label).

The vocabulary (kinds, messenger names, label words, words that are not handles) is the lexicon
:mod:`extract.lexicons.contacts`; the shapes of handles are here.

>>> [(c.kind, c.value) for c in find_contacts("Jabber : diego@xmpp.jp\\nE-Mail : bob@mail.com")]
[('jabber', 'diego@xmpp.jp'), ('email', 'bob@mail.com')]
>>> [(c.kind, c.value) for c in find_contacts("ADD OUR NEW WICKR SENORHATS, telegram @fast_ship")]
[('wickr', 'SENORHATS'), ('telegram', 'fast_ship')]
>>> find_contacts("WiCKR : just ask me") + find_contacts("our group chat on wickr including regulars")
[]
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from extract.lexicons.contacts import (
    CONTACT_KINDS, EMAIL_WORDS, HANDLE_LABELS, JABBER_WORDS, MESSENGER_NAMES, NOT_HANDLES, TELEGRAM_LINK,
)
from extract.parsers.lines import Lines
from extract.parsers.needles import Needles, finditer_near
from extract.parsers.spans import SpanSet

__all__ = ["Contact", "find_contacts", "CONTACT_KINDS"]

_EMAIL_RE = re.compile(r"(?<![\w.+\-])(?P<v>[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}@(?:[A-Za-z0-9\-]{1,63}\.)+[A-Za-z]{2,24})(?![\w\-])")
_JABBER_WORD_RE = re.compile("|".join(JABBER_WORDS), re.IGNORECASE)
_EMAIL_WORD_RE = re.compile("|".join(EMAIL_WORDS), re.IGNORECASE)
_SEP = r"[ \t]*(?:(?:" + "|".join(HANDLE_LABELS) + r")[ \t]*)?(?:[:=\-–>|]+[ \t]*)?"
_HANDLE = r"@?(?P<v>[A-Za-z0-9][A-Za-z0-9_.\-]{1,31}[A-Za-z0-9_])"
_WICKR_RE = re.compile(r"\b" + MESSENGER_NAMES["wickr"] + _SEP + r"(?:(?:is|at|on|add)[ \t]+)?" + _HANDLE, re.IGNORECASE)
_TELEGRAM_RE = re.compile(r"\b" + MESSENGER_NAMES["telegram"] + _SEP + r"(?:(?:is|at|on)[ \t]+)?@?(?P<v>[A-Za-z][A-Za-z0-9_]{4,31})\b"
                          r"|\b" + TELEGRAM_LINK + r"(?P<u>[A-Za-z][A-Za-z0-9_]{4,31})\b", re.IGNORECASE)
_THREEMA_RE = re.compile(r"\b" + MESSENGER_NAMES["threema"] + _SEP + r"(?P<v>[A-Z0-9*][A-Z0-9]{7})\b", re.IGNORECASE)
_SIGNAL_RE = re.compile(r"\b" + MESSENGER_NAMES["signal"] + _SEP
                        + r"(?P<v>\+?\d[\d \-]{6,16}\d|[A-Za-z][A-Za-z0-9_]{2,31}\.\d{2,9})(?![\w])", re.IGNORECASE)
#: (Keep these in step with MESSENGER_NAMES in :mod:`extract.lexicons.contacts`.)
#: What every match of each messenger's pattern holds (see :mod:`extract.parsers.needles`): a page
#: without any is not searched for that messenger, and a page with some only near them.
MESSENGER_NEEDLES = {"wickr": Needles("kr"), "telegram": Needles("telegram", "tg", ".me/"),
                     "threema": Needles("threema"), "signal": Needles("gnal")}
#: How far into a match of each messenger's pattern one of its needles starts, at most: "wi" or
#: "wic" before "kr"; "telegram" or "tg" first, or "t" before ".me/"; "si" before "gnal".
NEEDLE_OFFSETS = {"wickr": 3, "telegram": 1, "threema": 0, "signal": 2}
#: How far into an e-mail address its "@" is, at most: after the local part (1 to 64 characters).
_AT_OFFSET = 64
_ARMOR_RE = re.compile(r"-----BEGIN PGP.*?(?:-----END PGP[^\n]*?-----|\Z)", re.DOTALL)
# "05" comes first and the look back after it, so that the search skips to each "05" (same matches)
_SESSION_RE = re.compile(r"(?P<v>05(?<![0-9A-Fa-f]05)[0-9a-fA-F]{64})(?![0-9A-Fa-f])")


@dataclass(frozen=True)
class Contact:
    kind: str
    value: str
    start: int
    end: int


class _Words:
    """Where a pattern matches in the text, to ask "the first match on this line before ``pos``"
    by binary search instead of searching the line again for every address."""

    def __init__(self, pattern: re.Pattern, text: str, start: int = 0, end: int | None = None) -> None:
        spans = [m.span() for m in pattern.finditer(text, start, len(text) if end is None else end)]
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]

    def first_between(self, start: int, pos: int) -> int | None:
        i = bisect_left(self.starts, start)
        return self.starts[i] if i < len(self.starts) and self.ends[i] <= pos else None


def _ok_handle(value: str) -> bool:
    return value.lower().strip(".") not in NOT_HANDLES and bool(re.search(r"[A-Za-z0-9]{2}", value))


def find_contacts(text: str) -> list[Contact]:
    """Contact handles in ``text``, in text order, each value once per kind."""
    found: list[Contact] = []
    # nothing inside a PGP armor block is a handle ("...+TGEAGkkl..." is base64)
    taken = SpanSet(m.span() for m in _ARMOR_RE.finditer(text)) if "-----BEGIN PGP" in text else SpanSet()
    new: list[tuple[int, int]] = []  # this pass's spans: one pattern's matches never overlap

    def add(kind: str, value: str, start: int, end: int) -> None:
        if taken.overlaps(start, end):
            return
        new.append((start, end))
        found.append(Contact(kind, value, start, end))

    def end_pass() -> None:
        taken.merge(new)
        new.clear()

    for m in _SESSION_RE.finditer(text):
        add("session", m.group("v").lower(), m.start("v"), m.end("v"))
    end_pass()
    lines = Lines(text)
    low = text.lower()
    emails = list(finditer_near(_EMAIL_RE, text, low, ("@",), _AT_OFFSET))
    # the words are looked for only on the lines from the first address to the last (these patterns
    # never cross a line), not over the whole page
    first, last = (lines.start(emails[0].start()), lines.span(emails[-1].start())[1]) if emails else (0, 0)
    jabber_words, email_words = _Words(_JABBER_WORD_RE, text, first, last), _Words(_EMAIL_WORD_RE, text, first, last)
    for m in emails:
        line_start = lines.start(m.start())
        jabber = jabber_words.first_between(line_start, m.start())
        email = email_words.first_between(line_start, m.start())
        kind = "jabber" if jabber is not None and (email is None or jabber > email) else "email"
        add(kind, m.group("v"), m.start("v"), m.end("v"))
    end_pass()
    for kind, pattern in (("wickr", _WICKR_RE), ("telegram", _TELEGRAM_RE), ("threema", _THREEMA_RE),
                          ("signal", _SIGNAL_RE)):
        for m in finditer_near(pattern, text, low, MESSENGER_NEEDLES[kind].needles, NEEDLE_OFFSETS[kind]):
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
        end_pass()
    seen: set[tuple[str, str]] = set()
    unique = []
    for c in sorted(found, key=lambda c: c.start):
        key = (c.kind, c.value.lower())
        if key not in seen:
            seen.add(key)
            unique.append(c)
    return unique
