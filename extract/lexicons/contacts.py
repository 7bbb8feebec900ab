"""Contact vocabulary: the kinds of handle, the names messengers go by, the words around a handle. Data only.

The parser is :mod:`extract.parsers.contacts`. Names and words are regular expressions matched
case-insensitively; a messenger's name is looked for at the start of a word.

>>> "wickr" in MESSENGER_NAMES and "wickr" in CONTACT_KINDS
True
>>> "support" in NOT_HANDLES
True
"""
from __future__ import annotations

__all__ = ["CONTACT_KINDS", "MESSENGER_NAMES", "TELEGRAM_LINK", "HANDLE_LABELS", "JABBER_WORDS", "EMAIL_WORDS",
           "NOT_HANDLES"]

#: Every kind of contact the parser reports, in the order the pipeline config lists them.
CONTACT_KINDS = ("email", "jabber", "wickr", "telegram", "session", "signal", "threema")

#: What each messenger is called before a handle ("Wickr Me: ...", "TG @..."). A name that must end a
#: word says so itself (``\b``): "tg" is a word, while "signal" also starts a glued handle.
MESSENGER_NAMES: dict[str, str] = {
    "wickr": r"wi(?:c)?kr(?:[ \t]*me)?",     # also the common misspelling "wikr"
    "telegram": r"(?:telegram|tg)\b",
    "threema": r"threema",
    "signal": r"signal",
}
#: A Telegram profile link's host, before ``/username`` ("t.me/name", "telegram.me/name").
TELEGRAM_LINK = r"t(?:elegram)?\.me/"

#: Words between a messenger's name and the handle ("Wickr ID: ...", "Telegram username - ...").
HANDLE_LABELS = ("id", "name", "username", "handle", "me", "user", "account")

#: Words (or URI schemes) that make an e-mail-shaped address on the same line a Jabber/XMPP address.
JABBER_WORDS = (r"\b(?:jabber|xmpp|jid|omemo|otr)\b", r"xmpp:")
#: Words that keep an address after them an e-mail address, even after a Jabber word.
EMAIL_WORDS = (r"\be-?mail\b",)

#: Words that follow a messenger's name but are not a handle ("Wickr: just ask me").
NOT_HANDLES = frozenset({
    "just", "ask", "me", "us", "only", "support", "available", "id", "name", "username", "user", "handle", "for",
    "and", "or", "is", "at", "on", "the", "a", "an", "my", "our", "contact", "message", "add", "via", "with", "to",
    "please", "pm", "dm", "account", "also", "here", "below", "above", "now", "new", "soon", "coming", "me:",
    "bulk", "orders", "customers", "buyers", "request", "upon", "if", "you", "your", "it", "this", "that", "we",
    "will", "can", "be", "not", "no", "none", "n/a", "inquiries", "enquiries", "questions", "chat", "app",
    "number", "email", "mail", "jabber", "wickr", "telegram", "signal", "session", "threema", "wikr", "me.",
})
