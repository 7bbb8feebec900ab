"""A record's facts: the profile's fields first, then what extraction read from the page.

Precedence, everywhere in onionwatch: a **profile field**, then **labelled fields** on the page
("Ships from: Netherlands", a details table's rows), then **free text**. Extraction already prefers
a page's labelled fields to its free text; :func:`merge` puts the profile's fields above both.

A profile field's text is read by the parser of its name (:func:`onionwatch.pipeline.field_values.parse_field`,
the one ``onionwatch profile check`` shows), so a fact means the same whichever way it came.
Every fact records where it came from in ``facts["sources"]``:

- ``{"source": "profile", "field": "payment"}``: the profile field it was parsed from;
- ``{"source": "label", "label": "Ships from", "text": "Germany"}``: a labelled field of the page
  (:mod:`extract.label_fields`: a table row, a ``<dt>``/``<dd>``, "Label: value"), with the
  label and the value's text as the page gives them (and ``span`` where it was read from a line
  of the text);
- ``{"source": "text", "span": [start, end]}``: extraction's reading of the free text (the span is
  in the text extraction ran on; null where extraction keeps none).

A field whose text its parser cannot read does not stop the record: the fact falls back to
extraction and ``facts["field_errors"]`` says what was wrong (the raw text stays in the record's
``fields``).

>>> parsed = parse_profile_fields({"price": "฿0.000787 (€7.28)", "payment": "Escrow",
...                                "ships_from": "Narnia", "content": {"xpath": "//main"}})
>>> sorted(parsed.values), parsed.errors["ships_from"][:13]
(['escrow', 'finalize_early', 'price'], 'no country or')
>>> facts = merge({"price": {"amount": 9.0, "currency": "USD", "usd": 9.0}, "ships_from": "NL",
...                "escrow": None, "spans": {"price": [40, 42], "ships_from": [50, 61]}}, parsed)
>>> facts["price"]["currency"], facts["escrow"], facts["ships_from"]
('BTC', True, 'NL')
>>> facts["sources"]["price"], facts["sources"]["ships_from"]
({'source': 'profile', 'field': 'price'}, {'source': 'text', 'span': [50, 61]})
>>> merge({"ships_to": ["EU"], "label_fields": {"ships_to": {"label": "Delivers to", "text": "Europe"}}},
...       ProfileFacts())["sources"]["ships_to"]
{'source': 'label', 'label': 'Delivers to', 'text': 'Europe'}
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from onionwatch.pipeline.field_values import FieldValueError, parse_field

__all__ = ["RESERVED_FIELDS", "FACT_OF_FIELD", "ProfileFacts", "parse_profile_fields", "merge"]

#: Keys of a record's ``fields`` that the crawler adds and no selector reads (the content area's
#: locator, the pages merged into the record, the photos): never facts.
RESERVED_FIELDS = frozenset({"content", "pages", "photos"})

#: Profile field -> the fact it gives. ``payment`` gives ``escrow`` and ``finalize_early`` (a field
#: of that name wins over it); ``handle`` gives a vendor page's ``vendor``.
FACT_OF_FIELD = {
    "title": "title", "vendor": "vendor", "handle": "vendor", "price": "price", "ships_from": "ships_from",
    "ships_to": "ships_to", "escrow": "escrow", "finalize_early": "finalize_early", "stock": "stock",
    "feedback_count": "feedback_count", "category": "category", "description": "description",
    "pgp_key": "pgp_keys", "contacts": "contacts",
}
#: Facts whose value is a list (the others take a list field's first value).
_LISTS = frozenset({"ships_to", "pgp_keys", "contacts"})
#: Facts whose source is recorded: the profile's, and the coins accepted (read from labels only).
_SOURCED = frozenset(FACT_OF_FIELD.values()) | {"currencies"}
#: Facts extraction reads from text, whose span it keeps in its result's ``spans``.
_SPANNED = ("vendor", "price", "ships_from", "ships_to", "escrow")


@dataclass
class ProfileFacts:
    """What a record's profile fields say: ``values`` (fact -> parsed value), ``fields`` (fact ->
    the profile field it came from) and ``errors`` (field -> why its text could not be read)."""

    values: dict[str, Any] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def put(self, fact: str, value: Any, name: str, *, replace: bool = True) -> None:
        if _empty(value) or (not replace and fact in self.values):
            return
        self.values[fact] = value
        self.fields[fact] = name


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _text(value: Any) -> str | None:
    """A text field's value: a string, or a list of texts joined by blank lines (as the crawler
    joins a description's paragraphs)."""
    if isinstance(value, list):
        value = "\n\n".join(str(v) for v in value if v is not None)
    if not isinstance(value, str):
        return None
    return value.strip() or None


def _shaped(fact: str, parsed: Any) -> Any:
    """A parsed value in its fact's shape: a list fact is a list, another takes a list's first value."""
    if fact in _LISTS:
        values = parsed if isinstance(parsed, list) else [parsed]
        if fact == "contacts":  # parse_field gives one list of contacts per text
            values = [c for v in values for c in (v if isinstance(v, list) else [v])]
        return [v for v in values if not _empty(v)]
    if isinstance(parsed, list):
        return next((v for v in parsed if not _empty(v)), None)
    return parsed


def parse_profile_fields(fields: dict[str, Any] | None) -> ProfileFacts:
    """Read a record's profile fields (its ``fields``: the strings the selectors read) into facts,
    each by the parser of its name; text fields (title, vendor, category, description) are kept
    as text. Reserved keys (:data:`RESERVED_FIELDS`) and fields that give no fact are skipped."""
    out = ProfileFacts()
    for name, raw in (fields or {}).items():
        if name in RESERVED_FIELDS or _empty(raw):
            continue
        fact = FACT_OF_FIELD.get(name)
        if fact is None and name != "payment":
            continue
        try:
            parsed = parse_field(name, raw)
        except FieldValueError as exc:
            out.errors[name] = str(exc)
            continue
        if name == "payment":  # "Escrow", "FE": a field named escrow / finalize_early wins
            for term in ("escrow", "finalize_early"):
                out.put(term, (parsed or {}).get(term), "payment", replace=False)
            continue
        if parsed is None:  # a text field
            parsed = _text(raw)
        if fact == "vendor" and name == "handle" and "vendor" in out.fields:
            continue
        out.put(fact, _shaped(fact, parsed), name)
    return out


def _text_source(fact: str, extracted: dict[str, Any]) -> dict[str, Any]:
    labelled = (extracted.get("label_fields") or {}).get(fact)
    if labelled:  # the label reader's (extract.label_fields)
        return {"source": "label", **labelled}
    value = extracted.get(fact)
    if isinstance(value, dict) and "source" in value:  # extraction's stock says how it was found
        return {"source": value["source"], "span": value.get("span")}
    span = (extracted.get("spans") or {}).get(fact) if fact in _SPANNED else None
    return {"source": "text", "span": list(span) if span else None}


def merge(extracted: dict[str, Any] | None, profile: ProfileFacts) -> dict[str, Any]:
    """Extraction's result with the profile's facts put over it, and where each fact came from
    (``sources``); ``field_errors`` lists the profile fields whose text could not be read.

    A fact the profile gives replaces extraction's; a fact the profile lacks keeps extraction's
    reading. Contacts are the exception that loses nothing: the profile's come first, then those
    extraction found elsewhere in the text (each of those with its own span). Extraction's other keys (drugs, quantities, spans, an
    ``error``) are kept as they are. The result is new: neither argument is changed.
    """
    facts = dict(extracted or {})
    sources: dict[str, dict[str, Any]] = {}
    for fact, value in facts.items():
        if fact in _SOURCED and fact not in profile.values and not _empty(value):
            sources[fact] = _text_source(fact, facts)
    for fact, value in profile.values.items():
        if fact == "contacts":
            seen = {(c["kind"], c["value"].lower()) for c in value}
            value = [*value, *(c for c in facts.get("contacts") or []
                               if (c.get("kind"), str(c.get("value")).lower()) not in seen)]
        facts[fact] = value
        sources[fact] = {"source": "profile", "field": profile.fields[fact]}
    facts["sources"] = sources
    if profile.errors:
        facts["field_errors"] = dict(profile.errors)
    return facts
