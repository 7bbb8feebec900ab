"""Contacts come from the extraction and from contact fields, never from the words of a profile:
two vendors who both write "contact me on Telegram first" are not one actor."""
from __future__ import annotations

import pytest

from graph.identifiers import read_contacts, vendor_identifiers
from graph.pipeline import actor_map, build_vendor_graph

# What contact fields show on real and simulated markets, and what they are.
FIELDS = [
    ("Wickr: bluekush", [("contact", "wickr:bluekush")]),
    ("Wickr reallab2", [("contact", "wickr:reallab2")]),
    ("Wickr Me - Bru89", [("contact", "wickr:bru89")]),
    ("Telegram @WolfPlug_usa", [("contact", "telegram:wolfplug_usa")]),
    ("Jabber crystalbig_nl@jabber.example", [("contact", "jabber:crystalbig_nl@jabber.example")]),
    ("Session 05dd83cd1ccdef43807bfc920526645b24b11789648d3598ba2169ab52ef179c27",
     [("contact", "session:05dd83cd1ccdef43807bfc920526645b24b11789648d3598ba2169ab52ef179c27")]),
    ("E-Mail : joris127@mail.example", [("email", "joris127@mail.example")]),
    ("@true_ghost", [("contact", "other:true_ghost")]),
    # prose in a contact field: no contact
    ("WiCKR : just ask me", []),
    ("Telegram: first come, first served", []),
    ("Wickr: first, then PM me here", []),
    ("Bulk orders: contact me on Telegram first.", []),
]


@pytest.mark.parametrize("text, expected", FIELDS)
def test_contact_fields(text, expected):
    assert read_contacts(text) == expected


def _vendor(market, handle, profile, *, fields=(), extracted=()):
    return {"kind": "vendor", "market": market, "handle": handle, "profile_text": profile,
            "contacts": list(fields), "extracted": {"contacts": list(extracted)}}


PROFILE = "Bulk orders: contact me on Telegram first. Wickr: first come first served. Session first!"


def test_profile_words_are_never_contacts():
    doc = _vendor("m", "a", PROFILE, fields=["Wickr: first come first served"],
                  extracted=[{"kind": "wickr", "value": "alpha_line"}])
    assert [(i.kind, i.value) for i in vendor_identifiers(doc)] == [("contact", "wickr:alpha_line")]


def test_a_bare_field_the_extraction_read_with_its_kind_is_one_identifier():
    doc = _vendor("m", "a", "", fields=["@alpha_line"], extracted=[{"kind": "telegram", "value": "@Alpha_Line"}])
    assert [(i.kind, i.value) for i in vendor_identifiers(doc)] == [("contact", "telegram:alpha_line")]


def test_the_same_profile_sentence_links_no_accounts():
    G, result = build_vendor_graph([
        _vendor("m1", "northwind", PROFILE, fields=["Telegram: first come, first served"],
                extracted=[{"kind": "wickr", "value": "northwind77"}]),
        _vendor("m2", "quietstorm", PROFILE, fields=["Telegram: first come, first served"],
                extracted=[{"kind": "wickr", "value": "storm_q"}]),
    ])
    contacts = sorted(n for n, d in G.nodes(data=True) if d.get("type") == "identifier")
    assert contacts == ["contact:wickr:northwind77", "contact:wickr:storm_q"]
    actors = actor_map(G)
    assert actors["m1/northwind"] != actors["m2/quietstorm"] and not result.links


def test_one_contact_shown_two_ways_still_links():
    G, _ = build_vendor_graph([
        _vendor("m1", "northwind", "", fields=["Wickr northwind77"]),
        _vendor("m2", "nw_store", "", extracted=[{"kind": "wickr", "value": "NorthWind77"}]),
    ])
    actors = actor_map(G)
    assert actors["m1/northwind"] == actors["m2/nw_store"]


def test_addresses_in_profile_text_are_read_as_the_extraction_reads_them():
    # one Jabber address: the extraction's contact and the profile text's address are one identifier
    doc = _vendor("m", "a", "Orders by Jabber: Crystal_NL@jabber.example\nor mail Crystal@mail.example",
                  extracted=[{"kind": "jabber", "value": "crystal_nl@jabber.example"}])
    assert sorted((i.kind, i.value) for i in vendor_identifiers(doc)) == [
        ("contact", "jabber:crystal_nl@jabber.example"), ("email", "crystal@mail.example")]


def test_listing_text_gives_addresses_not_handles():
    from graph.identifiers import listing_identifiers

    doc = {"listing_id": "1", "description": "Questions: ask@mail.example. Ships at 10 @ night. Wickr: bluekush"}
    assert [(i.kind, i.value) for i in listing_identifiers(doc)] == [("email", "ask@mail.example")]
