"""The pipeline as spaCy sees it: config, factories through entry points, to_disk / from_disk."""
from __future__ import annotations

import json

import spacy
from spacy.util import load_config, load_model_from_config

from extract import DEFAULT_CONFIG, extract_record, load_pipeline
from extract.lexicons.drugs import DrugEntry

SAMPLE = {"id": "s1", "source": "t", "title": "Crystal meth 7g",
          "description": "Price: 0.01 BTC\nShips from: the NL\nShips to: EU, UK"}


def test_config_names_every_component():
    config = load_config(DEFAULT_CONFIG)
    assert config["nlp"]["lang"] == "en"
    assert config["nlp"]["pipeline"] == ["drugs", "quantities", "prices", "price_units", "shipping", "vendor",
                                         "terms", "pgp_keys", "crypto_addresses", "contacts"]
    assert [config["components"][n]["factory"] for n in config["nlp"]["pipeline"]] == list(FACTORIES)
    assert config["components"]["drugs"]["lexicon"]["@misc"] == "onionwatch.drug_lexicon.v1"
    assert config["components"]["prices"]["rates"]["@misc"] == "onionwatch.rate_table.v1"


def test_factories_found_by_spacy_blank():
    nlp = spacy.blank("en")
    for factory in FACTORIES:
        nlp.add_pipe(factory)
    doc = nlp("1g fentanyl\nVendor: northstar\nEscrow: yes\nWickr: nstar99")
    assert doc._.drugs[0]["name"] == "fentanyl"
    assert (doc._.vendor["name"], doc._.escrow["value"], doc._.contacts[0]["value"]) == ("northstar", True, "nstar99")


FACTORIES = ("onionwatch_drugs_v1", "onionwatch_quantities_v1", "onionwatch_prices_v1", "onionwatch_price_units_v1",
             "onionwatch_shipping_v1", "onionwatch_vendor_v1", "onionwatch_terms_v1", "onionwatch_pgp_keys_v1",
             "onionwatch_crypto_addresses_v1", "onionwatch_contacts_v1")
#: The names pipelines saved before the factory names were versioned use.
OLD_FACTORIES = tuple(f.removesuffix("_v1") for f in FACTORIES)


def test_factories_registered_as_entry_points():
    """setup.cfg lists every factory under spacy_factories, versioned names and the older aliases, so
    spaCy finds them without an import."""
    from importlib.metadata import entry_points
    names = {ep.name for ep in entry_points(group="spacy_factories")}
    wanted = FACTORIES + OLD_FACTORIES + ("onionwatch_drug_class_v1", "onionwatch_drug_class")
    missing = [f for f in wanted if f not in names]
    assert not missing, f"add to setup.cfg [options.entry_points] spacy_factories: {missing}"


def test_to_disk_from_disk_round_trip(nlp, tmp_path):
    before = extract_record(nlp, **SAMPLE)
    nlp.to_disk(tmp_path / "pipe")
    assert (tmp_path / "pipe" / "drugs" / "lexicon.jsonl").exists()
    assert (tmp_path / "pipe" / "prices" / "rates.json").exists()
    again = spacy.load(tmp_path / "pipe")
    assert again.pipe_names == nlp.pipe_names
    assert extract_record(again, **SAMPLE) == before
    assert extract_record(load_pipeline(tmp_path / "pipe"), **SAMPLE) == before


def test_saved_lexicon_and_rates_travel_with_the_pipeline(tmp_path):
    config = load_config(DEFAULT_CONFIG)
    nlp = load_model_from_config(config, auto_fill=True)
    nlp.get_pipe("drugs").set_lexicon([DrugEntry("testamine", "stimulant", ("tst-9",))])
    rates = nlp.get_pipe("prices").rates
    nlp.get_pipe("prices").rates = type(rates)("2020-01-01", {"BTC": 1000.0})
    nlp.to_disk(tmp_path / "custom")
    again = spacy.load(tmp_path / "custom")
    r = extract_record(again, id=1, source=None, text="TST-9 5g\nPrice: 0.5 BTC")
    assert [d["name"] for d in r["drugs"]] == ["testamine"]
    assert r["price"]["usd"] == 500.0
    assert json.loads((tmp_path / "custom" / "prices" / "rates.json").read_text())["date"] == "2020-01-01"


def test_lexicon_from_config_file(tmp_path):
    lexicon = tmp_path / "lexicon.jsonl"
    lexicon.write_text(json.dumps({"name": "kratom", "class": "opioid", "terms": ["kratom powder"]}) + "\n")
    config = load_config(DEFAULT_CONFIG, overrides={"components.drugs.lexicon.path": str(lexicon)})
    nlp = load_model_from_config(config, auto_fill=True)
    assert [d["name"] for d in nlp("kratom powder and heroin")._.drugs] == ["kratom"]


def test_doc_bytes_round_trip(nlp):
    doc = nlp("Ships from: Holland\n5g cocaine for $200")
    restored = spacy.tokens.Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert restored._.drugs == doc._.drugs
    assert restored._.price == doc._.price
    assert [s.text for s in restored.spans["drugs"]] == ["cocaine"]
