"""A drug named by its context (pill stamps, blotter prints, strains, steroid lab brands): tables of
invented listing titles, and invented non-drug titles that must stay without a drug."""
from __future__ import annotations

import pytest

from extract.components.drug_context import ContextRules
from extract.lexicons.drugs import by_name


@pytest.fixture(scope="module")
def rules():
    return ContextRules.default()


# (title, rule that names it, the cue's text)
INFERRED = [
    # ecstasy pills sold by their stamp
    ("50x Orange Donkey Kong", "pill_press", "Donkey Kong"),
    ("250 Grey Partyflock - lab tested", "pill_press", "Partyflock"),
    ("Red Tesla pills 20 pcs", "pill_press", "Tesla"),
    ("Yellow Superman 230mg+ (tested)", "pill_press", "Superman"),
    ("Pink Skull 180mg tabs", "pill_press", "Skull"),
    ("20 X SILVER ANCHOR 150MG", "pill_press", "150MG"),
    ("Blue Owls 200-240mg super pills", "pill_press", "200-240mg"),
    ("Green Crocodile 190+ mg pressed", "pill_press", "190+ mg"),
    # LSD blotter sold by its print
    ("25x Hypno Owl 220ug", "blotter", "220ug"),
    ("x5 Orchid 130 mcg", "blotter", "130 mcg"),
    ("100 Hits of Cosmic Wave", "blotter", "100 Hits"),
    ("Hofmann tabs - 10 pack", "blotter", "Hofmann"),
    ("Dutch Silver Liquid @ 150ug - 10 drops", "blotter", "150ug"),
    # cannabis strains not in the lexicon
    ("3.5g Velvet OG - indoor", "cannabis", "OG"),
    ("1/2 oz Lime Sherbet", "cannabis", "Lime Sherbet"),
    ("QP greenhouse mix", "cannabis", "greenhouse"),
    ("28g Moonrise AAA+ greenhouse", "cannabis", "AAA+"),
    ("3.5g Velvet Sherbet", "cannabis", "Velvet Sherbet"),
    ("5 grams of finest honey hash", "cannabis", "hash"),
    ("Half ounce jar cured Comet Dream", "cannabis", "jar cured"),
    ("10g Dolomite Kush trim", "cannabis", "Kush"),
    # steroid lab brands
    ("Trenorex 200mg/10ml", "steroid", "200mg/10ml"),
    ("Mastabol 100 mg/ml amps", "steroid", "100 mg/ml"),
    ("Stanoplex 10mg 100 tabs - cycle support", "steroid", "cycle"),
]

# Invented titles of non-drug listings that carry numbers, units and brand words.
NOT_DRUGS = [
    "Tesla Model 3 service manual PDF",
    "Tesla Model S charger 2 pcs",
    "Rolex Submariner replica 40mm",
    "10x Twitter accounts aged 2012",
    "Superman comics collection 1-200",
    "Thermal compound 5g tube",
    "Ground coffee 1lb dark roast",
    "500 Bitcoin wallets list",
    "Perfume 100ml Chanel copy",
    "E-liquid 10ml 18mg/ml nicotine",
    "Growing guide: indoor gardening ebook",
    "Hardware wallet x2 bundle",
    "Gold chain 10g 14k",
    "Netflix account 1 year",
    "Fake ID with DOB and SSN",
]


@pytest.mark.parametrize("title,rule,cue", INFERRED)
def test_rules_name_the_class_from_context(rules, title, rule, cue):
    found = rules.infer(title)
    assert found is not None, title
    assert (found[0], title[found[1]:found[2]]) == (rule, cue)


@pytest.mark.parametrize("title", NOT_DRUGS)
def test_rules_leave_non_drug_titles_alone(rules, title):
    assert rules.infer(title) is None


@pytest.mark.parametrize("title", NOT_DRUGS)
def test_pipeline_finds_no_drug_in_non_drug_titles(nlp, title):
    assert nlp(title)._.drugs == []


CLASS_OF_RULE = {"pill_press": "empathogen", "blotter": "psychedelic", "cannabis": "cannabis", "steroid": "steroid"}


@pytest.mark.parametrize("title,rule,cue", INFERRED)
def test_pipeline_reports_the_inferred_class_with_the_cue_span(nlp, title, rule, cue):
    drugs = nlp(title)._.drugs
    assert [(d["class"], title[d["span"][0]:d["span"][1]]) for d in drugs] == [(CLASS_OF_RULE[rule], cue)]


def test_a_named_drug_on_the_line_wins_over_context(nlp):
    # the line names its drug: no inference is added beside it
    text = "25x Blue Punisher 240mg MDMA"
    assert [d["name"] for d in nlp(text)._.drugs] == ["mdma"]


def test_context_is_read_line_by_line(nlp):
    text = "Shipping notes\n10x Hypno Owl 200ug\nRolex replica 40mm"
    drugs = nlp(text)._.drugs
    assert [(d["name"], text[d["span"][0]:d["span"][1]]) for d in drugs] == [("lsd", "200ug")]


def test_long_lines_are_not_read_for_context(nlp):
    line = "3.5g Velvet Sherbet " + "and a very long description of the product " * 6
    assert len(line) > 200
    assert nlp(line)._.drugs == []
    # except for a microgram dose on blotter, which names LSD in any description
    long_lsd = "Hypno Owl 200ug blotters, " + "printed on thick paper with a bright design " * 6
    assert [d["name"] for d in nlp(long_lsd)._.drugs] == ["lsd"]


def test_switching_context_off_keeps_only_the_lsd_rule():
    import spacy

    from extract.lexicons.drugs import DRUGS
    nlp = spacy.blank("en")
    nlp.add_pipe("onionwatch_drugs_v1", name="drugs", config={"infer_context": False})
    assert [d["name"] for d in nlp("25x Hypno Owl 220ug")._.drugs] == ["lsd"]
    assert nlp("50x Orange Donkey Kong")._.drugs == []
    assert nlp("3.5g Velvet OG - indoor")._.drugs == []
    assert len(nlp.get_pipe("drugs").entries) == len(DRUGS)


@pytest.mark.parametrize("text,expected", [
    ("Test C 250mg/ml 10ml vial", ["testosterone"]),
    ("Test-P 100 x 10ml", ["testosterone"]),
    ("Unit test C code samples", []),
])
def test_steroid_shorthand_needs_a_dose(nlp, text, expected):
    assert [d["name"] for d in nlp(text)._.drugs] == expected


def test_short_abbreviations_need_a_number():
    # "DOB" is a date of birth until a dose stands beside it
    assert by_name()["4-bromo-2,5-dimethoxyamphetamine"].ambiguous == ("dob",)
    assert "dob" not in by_name()["mescaline"].terms
