"""The trained drug classifier's mechanics, on generated data only: reading labelled files, training
with `spacy train` on the packaged recipe, saving and loading, and annotating beside the lexicon.

The generated listings use made-up product words (no real titles, no lexicon names), so what the
model adds is what it learnt here. These tests check mechanics, not accuracy on real listings: that
is measured by bench/extract_eval.py on a vendor split of the Agora data.
"""
from __future__ import annotations

import io
import json
import random
import shutil

import pytest
import spacy

from extract import extract_record, load_pipeline
from extract.classify import (
    DRUG_MODEL_ENV, NO_DRUG, ModelError, TrainingError, add_drug_classifier, category_class, combine_classes,
    read_labelled, train_drug_classifier,
)
from extract.classify.labelled import LabelledFileError, read_labelled_csv
from onionwatch.app.cli import main

#: Made-up words per class: a model that gets these right learnt them from the generated file.
WORDS = {
    "cannabis": ["zorbik", "plumfrost", "greeny"],
    "empathogen": ["wobblestar", "quenta", "lovebit"],
    "stimulant": ["zappo", "brisko", "kwiktrail"],
    NO_DRUG: ["ebook", "tutorial", "hosting"],
}


def generated(n_per_class: int = 40, seed: int = 3) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for label, words in WORDS.items():
        for i in range(n_per_class):
            rows.append({"text": f"{rng.randint(1, 50)} {rng.choice(['x', 'g', 'pcs'])} {rng.choice(words)} "
                                 f"{rng.choice(['deal', 'offer', 'lot', 'batch'])} {i}",
                         "class": None if label == NO_DRUG else label})
    rng.shuffle(rows)
    return rows


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    folder = tmp_path_factory.mktemp("drug-model")
    labelled = folder / "labelled.jsonl"
    labelled.write_text("".join(json.dumps(r) + "\n" for r in generated()), encoding="utf-8")
    result = train_drug_classifier(read_labelled(labelled).examples, folder / "out",
                                   overrides={"training.max_epochs": 20}, quiet=True)
    return result


# ---- labelled files ------------------------------------------------------------------------------

def test_jsonl_rows_and_null_class(tmp_path):
    path = tmp_path / "l.jsonl"
    path.write_text('{"text": "2g zorbik", "class": "cannabis"}\n\n{"text": "an ebook", "class": null}\n'
                    '{"text": "a guide", "class": "None"}\n', encoding="utf-8")
    data = read_labelled(path)
    assert data.examples == [("2g zorbik", "cannabis"), ("an ebook", NO_DRUG), ("a guide", NO_DRUG)]
    assert data.classes() == ["cannabis", NO_DRUG]


@pytest.mark.parametrize("content, message", [
    ('{"text": "x", "class": "a"}\nnot json\n', "line 2: not JSON"),
    ('{"text": "", "class": "a"}\n', "line 1: \"text\" must be a non-empty string"),
    ('{"text": "x", "class": 3}\n', "line 1: \"class\" must be a string or null"),
    ('{"title": "x"}\n', "line 1: expected an object"),
])
def test_bad_jsonl_rows_name_the_line(tmp_path, content, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LabelledFileError, match=message):
        read_labelled(path)


def test_csv_text_class_and_agora_shape():
    plain = read_labelled_csv(io.StringIO("text,class\n10 zappo,stimulant\nhosting,\n"), "p.csv")
    assert plain.examples == [("10 zappo", "stimulant"), ("hosting", NO_DRUG)]
    agora = read_labelled_csv(io.StringIO(
        "vendor,product,cat,subcat,subsubcat\n"
        "v1,5 x wobblestar,Drugs,Ecstasy,Pills\n"
        "v1,mystery box,Drugs,Other,NA\n"
        "v2,a guide,Information,Guides,NA\n"
        "v3,2g quenta,Drugs,Cannabis,Synthetics\n"), "a.csv")
    assert agora.examples == [("5 x wobblestar", "empathogen"), ("a guide", NO_DRUG),
                              ("2g quenta", "synthetic_cannabinoid")]
    assert agora.skipped == 1


def test_csv_without_known_columns_and_wrong_suffix(tmp_path):
    with pytest.raises(LabelledFileError, match="text,class or product,cat"):
        read_labelled_csv(io.StringIO("a,b\n1,2\n"), "x.csv")
    other = tmp_path / "x.txt"
    other.write_text("x", encoding="utf-8")
    with pytest.raises(LabelledFileError, match="give a .jsonl or .csv"):
        read_labelled(other)


@pytest.mark.parametrize("path, expected", [
    (["Drugs", "Benzos", "NA"], "benzodiazepine"), (["Drugs", "Disassociatives", "GBL"], "depressant"),
    (["drugs", "ecstasy-MDMA"], "empathogen"), (["Drugs", "Prescription", "NA"], None),
    (["Drug paraphernalia", "Pipes"], NO_DRUG), (["", "", ""], None),
])
def test_category_paths(path, expected):
    assert category_class(path) == expected


def test_combination_policies():
    assert combine_classes(["opioid"], {"class": "stimulant", "confidence": 0.9}, 0.5, "add") == (
        ["opioid", "stimulant"], True)
    assert combine_classes(["opioid"], {"class": "stimulant", "confidence": 0.9}, 0.5, "fill") == (["opioid"], False)
    with pytest.raises(ValueError, match="unknown policy"):
        combine_classes([], None, 0.5, "replace")


# ---- training ------------------------------------------------------------------------------------

def test_training_writes_a_loadable_model(trained):
    assert (trained.model_dir / "config.cfg").is_file()
    assert trained.train_examples + trained.dev_examples == 4 * 40
    assert trained.class_counts == {"cannabis": 40, "empathogen": 40, NO_DRUG: 40, "stimulant": 40}
    model = spacy.load(trained.model_dir)
    assert set(model.get_pipe("textcat").labels) == set(trained.class_counts)
    assert "cats_score" in trained.dev_scores


def test_one_class_is_refused(tmp_path):
    with pytest.raises(TrainingError, match="at least two"):
        train_drug_classifier([("10 zappo", "stimulant")] * 30, tmp_path / "out")


# ---- the component -------------------------------------------------------------------------------

def test_without_a_model_the_pipeline_is_lexicon_only(nlp, monkeypatch):
    monkeypatch.delenv(DRUG_MODEL_ENV, raising=False)
    assert "drug_class" not in load_pipeline().pipe_names
    r = extract_record(nlp, id="1", source="t", title="Cocaine 1g and 10 zappo")
    assert r["drug_class_model"] is None
    assert r["drug_classes"] == ["stimulant"]


def test_model_adds_class_and_confidence_and_keeps_lexicon_evidence(trained):
    plain = load_pipeline()
    with_model = load_pipeline(drug_model=trained.model_dir)
    assert with_model.pipe_names.index("drug_class") == with_model.pipe_names.index("drugs") + 1
    unknown = extract_record(with_model, id="1", source="t", title="25 x wobblestar offer")
    assert unknown["drugs"] == []
    assert unknown["drug_class_model"]["class"] == "empathogen"
    assert 0.3 <= unknown["drug_class_model"]["confidence"] <= 1.0
    assert unknown["drug_class_model"]["adopted"] is True
    assert unknown["drug_classes"] == ["empathogen"]
    # a named drug: the lexicon's mentions and class stand; the model's class is reported, not adopted
    named = dict(id="2", source="t", title="Cocaine 1g zorbik deal")
    before, after = extract_record(plain, **named), extract_record(with_model, **named)
    assert after["drugs"] == before["drugs"] and after["drug_classes"] == ["stimulant"]
    assert after["drug_class_model"]["class"] in ("cannabis", "stimulant") and not after["drug_class_model"]["adopted"]
    # a non-drug listing gets no class
    assert extract_record(with_model, id="3", source="t", title="ebook tutorial lot")["drug_classes"] == []


def test_the_title_is_what_is_classified(trained):
    nlp = load_pipeline(drug_model=trained.model_dir)
    # the body speaks of another class; the title says what is sold
    r = extract_record(nlp, id="1", source="t", title="20 x lovebit lot", text="zappo zappo brisko kwiktrail zappo")
    assert r["drug_class_model"]["class"] == "empathogen"
    # without a title the start of the text is read
    assert extract_record(nlp, id="2", source="t", text="zappo brisko deal")["drug_class_model"]["class"] == "stimulant"


def test_environment_variable_adds_the_model(trained, monkeypatch):
    monkeypatch.setenv(DRUG_MODEL_ENV, str(trained.model_dir))
    assert "drug_class" in load_pipeline().pipe_names


def test_a_folder_that_is_not_a_model_fails_clearly(tmp_path):
    with pytest.raises(ModelError, match="not a trained model folder"):
        add_drug_classifier(spacy.blank("en"), tmp_path)


def test_saved_pipeline_keeps_its_own_copy_of_the_model(trained, tmp_path):
    model_copy = tmp_path / "model"
    shutil.copytree(trained.model_dir, model_copy)
    nlp = load_pipeline(drug_model=model_copy)
    record = dict(id="1", source="t", title="3 g plumfrost batch")
    before = extract_record(nlp, **record)
    nlp.to_disk(tmp_path / "pipe")
    shutil.rmtree(model_copy)  # the saved pipeline must not need the folder it was built from
    again = load_pipeline(tmp_path / "pipe")
    assert again.pipe_names == nlp.pipe_names
    assert extract_record(again, **record) == before
    assert before["drug_class_model"]["class"] == "cannabis"


def test_pipe_and_call_agree(trained):
    nlp = load_pipeline(drug_model=trained.model_dir)
    texts = ["10 zappo deal", "a hosting offer", "2 g greeny lot", "Cocaine 1g"]
    piped = [d._.drug_class_model for d in nlp.pipe(texts, batch_size=3)]
    assert piped == [nlp(t)._.drug_class_model for t in texts]


# ---- the command ---------------------------------------------------------------------------------

def test_train_command(tmp_path, capsys):
    labelled = tmp_path / "l.jsonl"
    labelled.write_text("".join(json.dumps(r) + "\n" for r in generated(20)), encoding="utf-8")
    assert main(["train", str(labelled), "--output", str(tmp_path / "out"), "--epochs", "2"]) == 0
    assert (tmp_path / "out" / "model-best" / "config.cfg").is_file()
    err = capsys.readouterr().err
    assert "read 80 labelled rows" in err and "ONIONWATCH_DRUG_MODEL=" in err
    # a non-empty output folder is kept unless --force; a bad file is a clear error
    assert main(["train", str(labelled), "--output", str(tmp_path / "out")]) == 2
    assert "not empty" in capsys.readouterr().err
    bad = tmp_path / "bad.jsonl"
    bad.write_text("nope\n", encoding="utf-8")
    assert main(["train", str(bad), "--output", str(tmp_path / "other")]) == 2
    assert "line 1: not JSON" in capsys.readouterr().err
