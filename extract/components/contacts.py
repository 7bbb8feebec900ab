"""Contact handles (e-mail, Jabber/XMPP, Wickr, Telegram, Session, Signal, Threema): a spaCy
component (factory ``onionwatch_contacts_v1``).

Matching is :func:`extract.parsers.contacts.find_contacts` over ``doc.text``. Results:
``doc._.contacts`` (``[{"kind", "value", "span"}]``) and ``doc.spans[span_key]`` labelled by kind.

>>> import spacy
>>> nlp = spacy.blank("en"); _ = nlp.add_pipe("onionwatch_contacts_v1")
>>> nlp("Jabber: shop@exploit.im")._.contacts
[{'kind': 'jabber', 'value': 'shop@exploit.im', 'span': [8, 23]}]
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from extract.components._doc import doc_text, register_extensions, set_span_group
from extract.components._pipe import BatchedPipe
from extract.parsers.contacts import CONTACT_KINDS, find_contacts
from extract.registry import versioned_factory

__all__ = ["ContactRecognizer", "make_contact_recognizer"]


class ContactRecognizer(BatchedPipe):
    """Finds contact handles of the configured ``kinds`` and annotates the Doc."""

    def __init__(self, name: str = "contacts", *, span_key: str = "contacts",
                 kinds: list[str] | tuple[str, ...] = CONTACT_KINDS) -> None:
        register_extensions()
        unknown = set(kinds) - set(CONTACT_KINDS)
        if unknown:
            raise ValueError(f"unknown contact kinds {sorted(unknown)}: choose from {list(CONTACT_KINDS)}")
        self.name = name
        self.span_key = span_key
        self.kinds = tuple(kinds)

    def __call__(self, doc: Doc) -> Doc:
        found = [c for c in find_contacts(doc_text(doc)) if c.kind in self.kinds]
        doc._.contacts = [{"kind": c.kind, "value": c.value, "span": [c.start, c.end]} for c in found]
        set_span_group(doc, self.span_key, [(c.start, c.end, c.kind) for c in found])
        return doc


@versioned_factory("onionwatch_contacts_v1", alias="onionwatch_contacts", assigns=["doc._.contacts", "doc.spans"],
                   default_config={"span_key": "contacts", "kinds": list(CONTACT_KINDS)})
def make_contact_recognizer(nlp: Language, name: str, span_key: str, kinds: list[str]) -> ContactRecognizer:
    """Factory for ``onionwatch_contacts_v1`` (entry point in setup.cfg)."""
    return ContactRecognizer(name, span_key=span_key, kinds=kinds)
