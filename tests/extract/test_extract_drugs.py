"""Drug recognition: tables of invented listing strings, grouped by the kind of market they imitate."""
from __future__ import annotations

import pytest

from extract.lexicons.drugs import DRUG_CLASSES, DRUGS, by_name


def names(nlp, text):
    return [(d["name"], text[d["span"][0]:d["span"][1]]) for d in nlp(text)._.drugs]


# Titles as classic centralised markets show them (short, shouty, amount first).
MARKET_TITLES = [
    ("100x M30 Blues - pressed - USPS priority", [("m30", "M30"), ("m30", "Blues")]),
    ("10 x A215 30mg Oxycodone", [("a215", "A215"), ("oxycodone", "Oxycodone")]),
    ("5G FENTANYL HCL 98% PURE", [("fentanyl", "FENTANYL HCL")]),
    ("Carfentanil 1g - research only", [("carfentanil", "Carfentanil")]),
    ("Acetyl fentanyl powder 2g", [("acetylfentanyl", "Acetyl fentanyl")]),
    ("Furanylfentanyl 500mg", [("furanylfentanyl", "Furanylfentanyl")]),
    ("Isotonitazene 1g / Metonitazene 1g", [("isotonitazene", "Isotonitazene"), ("metonitazene", "Metonitazene")]),
    ("Afghan Heroin #4 - 3.5g", [("heroin", "Heroin #4")]),
    ("Tramadol 50 mg x 100", [("tramadol", "Tramadol")]),
    ("Peruvian Flake Cocaine 90% 7g", [("cocaine", "Peruvian Flake"), ("cocaine", "Cocaine")]),
    ("Crystal Meth shards 28g", [("methamphetamine", "Crystal Meth"), ("methamphetamine", "shards")]),
    ("Dry Speed Paste 50g", [("amphetamine", "Speed Paste")]),
    ("25x Blue Punisher XTC 220mg MDMA", [("mdma", "XTC"), ("mdma", "MDMA")]),
    ("AAA+ Amnesia Haze 14g - Cali weed", [("cannabis", "Amnesia Haze"), ("cannabis", "Cali weed")]),
    ("Moroccan Hash 25g", [("hashish", "Moroccan Hash")]),
    ("Xanax bars 2mg x 50 (Greenies)", [("alprazolam", "Xanax bars")]),
    ("Valium 10mg Roche x 100", [("diazepam", "Valium")]),
    ("Ketamine crystals 5g S-isomer", [("ketamine", "Ketamine crystals")]),
    ("LSD 150ug blotters x10", [("lsd", "LSD"), ("lsd", "blotters")]),
    ("Golden Teacher magic mushrooms 28g", [("psilocybin mushrooms", "Golden Teacher"),
                                           ("psilocybin mushrooms", "magic mushrooms")]),
    ("Testosterone Enanthate 250mg/ml 10ml", [("testosterone", "Testosterone Enanthate")]),
    ("Modafinil (Modalert) 200mg x 30", [("modafinil", "Modafinil"), ("modafinil", "Modalert")]),
    ("Roxicodone 30mg - 20 tabs", [("oxycodone", "Roxicodone")]),
]

# How vendors write inside descriptions: spacing tricks, misspellings, brand names.
OBFUSCATED = [
    ("we never sell fent anyl cut product", [("fentanyl", "fent anyl")]),
    ("no fent-anyl here", [("fentanyl", "fent-anyl")]),
    ("tested clean of fentanil", [("fentanyl", "fentanil")]),
    ("best oxy 30 in town", [("oxycodone", "oxy 30")]),
    ("alprazolan 2mg", [("alprazolam", "alprazolan")]),
    ("fetnanyl strips free", [("fentanyl", "fetnanyl")]),
    ("OXY-CODONE IR", [("oxycodone", "OXY-CODONE")]),
    ("Percocet 10/325 and Norco", [("oxycodone", "Percocet"), ("hydrocodone", "Norco")]),
]

# Words that are drugs only in context: kept with an amount nearby, dropped without one.
AMBIGUOUS = [
    ("shipping speed is great, nice stealth", []),
    ("5g speed, pure", [("amphetamine", "speed")]),
    ("ice cold service", []),
    ("1g ice", [("methamphetamine", "ice")]),
    ("Hash: SHA256", []),
    ("bars 2mg", [("alprazolam", "bars")]),
    ("vendor bars his customers from disputes", []),
]

# Pages from marketplaces that also sell other goods: nothing to find.
NEGATIVES = [
    "Netflix premium account 1 year",
    "Microsoft Office 2019 product key",
    "Hacking guide for beginners - PDF",
    "Counterfeit 50 EUR notes, grade A",
    "Read my terms before you order. Heroic support.",
]


@pytest.mark.parametrize("text, expected", MARKET_TITLES + OBFUSCATED + AMBIGUOUS)
def test_drug_mentions(nlp, text, expected):
    assert names(nlp, text) == expected


@pytest.mark.parametrize("text", NEGATIVES)
def test_no_drug_in_other_goods(nlp, text):
    assert names(nlp, text) == []


def test_classes_and_spans(nlp):
    text = "Carfentanil, protonitazene and M30s"
    doc = nlp(text)
    found = doc._.drugs
    assert [(d["name"], d["class"]) for d in found] == [
        ("carfentanil", "fentanyl"), ("protonitazene", "nitazene"), ("m30", "pressed_pill")]
    assert [text[slice(*d["span"])] for d in found] == ["Carfentanil", "protonitazene", "M30s"]
    assert [s.label_ for s in doc.spans["drugs"]] == ["carfentanil", "protonitazene", "m30"]


def test_lexicon_is_consistent():
    assert len(by_name()) == len(DRUGS), "canonical names must be unique"
    seen = {}
    for entry in DRUGS:
        assert entry.drug_class in DRUG_CLASSES
        for term in (*entry.all_terms(), *entry.ambiguous):
            assert term == term.lower() or not term.isascii(), term
            assert seen.setdefault(term, entry.name) == entry.name, f"{term!r} in {seen[term]} and {entry.name}"
