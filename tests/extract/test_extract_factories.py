"""Factory declarations and names: ``analyze_pipes`` checks the order of the shipped pipeline, and
configs written with the older, unversioned factory names still load and give the same results."""
from __future__ import annotations

import re

import pytest
import spacy
from spacy.language import Language
from spacy.util import load_config, load_config_from_str, load_model_from_config

from extract import DEFAULT_CONFIG, extract_record, load_pipeline
from extract.registry import FACTORY_ALIASES

RECORDS = [
    {"id": "s1", "source": "t", "title": "Crystal meth 7g",
     "description": "Price: 0.01 BTC\nShips from: the NL\nShips to: EU, UK"},
    {"id": "s2", "source": "t", "title": "MDMA 84% crystals 10g - 5g for $120, 10g for $200",
     "text": "Vendor: northstar\nEscrow: yes\nFE: no\nSent by DHL express\nWickr: nstar99\n"
             "Jabber: shop@exploit.im\nBTC 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"},
    {"id": "s3", "source": "t", "title": "100 x Xanax 2mg bars", "text": "Price 45 EUR\nWorldwide shipping"},
]


def _old_names(config_text: str) -> str:
    """The config as a version before the versioned factory names wrote it."""
    return re.sub(r'^factory = "(onionwatch_\w+)_v1"$', r'factory = "\1"', config_text, flags=re.MULTILINE)


def test_every_factory_declares_what_it_assigns():
    for old, new in FACTORY_ALIASES.items():
        meta = Language.get_factory_meta(new)
        assert meta.assigns, f"{new} declares no assigns"
        assert Language.get_factory_meta(old).assigns == meta.assigns
        assert Language.get_factory_meta(old).requires == meta.requires
        assert Language.get_factory_meta(old).default_config == meta.default_config


def test_analyze_pipes_finds_no_problem_in_the_shipped_pipeline():
    nlp = load_pipeline()
    nlp.add_pipe("onionwatch_drug_class_v1", name="drug_class", after="drugs")  # no model: lexicon classes only
    analysis = nlp.analyze_pipes()
    assert set(analysis["problems"]) == set(nlp.pipe_names)
    assert all(problems == [] for problems in analysis["problems"].values()), analysis["problems"]
    assert analysis["attrs"]["doc._.price"] == {"assigns": ["prices"], "requires": ["price_units"]}
    assert analysis["attrs"]["doc._.drugs"]["requires"] == ["drug_class"]


def test_analyze_pipes_reports_a_component_before_what_it_needs():
    """The declarations are what makes the check bite: price units before prices, a classifier alone."""
    nlp = spacy.blank("en")
    nlp.add_pipe("onionwatch_price_units_v1", name="price_units")
    nlp.add_pipe("onionwatch_quantities_v1", name="quantities")
    nlp.add_pipe("onionwatch_prices_v1", name="prices")
    nlp.add_pipe("onionwatch_drug_class_v1", name="drug_class")
    problems = nlp.analyze_pipes()["problems"]
    assert sorted(problems["price_units"]) == ["doc._.money", "doc._.price", "doc._.quantities"]
    assert problems["drug_class"] == ["doc._.drugs"]


def test_config_with_the_old_factory_names_gives_the_same_results(nlp):
    text = _old_names(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    assert 'factory = "onionwatch_drugs"' in text and "_v1\"" not in text
    old = load_model_from_config(load_config_from_str(text), auto_fill=True)
    assert list(old.pipe_factories.values()) == [f.removesuffix("_v1") for f in nlp.pipe_factories.values()]
    assert old.pipe_names == nlp.pipe_names
    for record in RECORDS:
        assert extract_record(old, **record) == extract_record(nlp, **record)
    assert not old.analyze_pipes()["problems"]["price_units"]


def test_pipeline_saved_with_the_old_names_still_loads(nlp, tmp_path):
    """A folder saved by ``nlp.to_disk`` before the names were versioned: its config.cfg names the
    old factories; spacy.load and load_pipeline build it, with the lexicon and rates it carries."""
    nlp.to_disk(tmp_path / "pipe")
    config = tmp_path / "pipe" / "config.cfg"
    config.write_text(_old_names(config.read_text(encoding="utf-8")), encoding="utf-8")
    assert load_config(config)["components"]["prices"]["factory"] == "onionwatch_prices"
    for loaded in (spacy.load(tmp_path / "pipe"), load_pipeline(tmp_path / "pipe")):
        assert loaded.pipe_factories["drugs"] == "onionwatch_drugs"
        for record in RECORDS:
            assert extract_record(loaded, **record) == extract_record(nlp, **record)


@pytest.mark.parametrize("old", sorted(FACTORY_ALIASES))
def test_each_old_name_builds_the_component_of_its_new_name(old):
    nlp = spacy.blank("en")
    a = nlp.add_pipe(old, name="a")
    b = nlp.add_pipe(FACTORY_ALIASES[old], name="b")
    assert type(a) is type(b)
