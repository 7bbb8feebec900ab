"""Alias resolution scored against the sandbox oracle's ground truth (:mod:`bench.graph_eval`'s code)."""
from __future__ import annotations

import importlib


def _eval_module():
    return importlib.import_module("bench.graph_eval")  # the checkout's root is on pytest's path


def test_sandbox_world_meets_the_goals():
    bench = _eval_module()
    records, truth = bench.truth_to_records(bench.sandbox_truth(11, vendors=120, listings=600))
    assert len(set(truth.values())) < len(truth)  # the world has aliases to find
    report = bench.evaluate(records, truth)
    combined = report["rows"]["combined"]
    assert combined["precision"] >= 0.99 and combined["recall"] >= 0.95, combined
    assert set(report["rows"]) >= {"pgp", "contact", "combined", "baseline"}


def test_evaluation_prints_precision_and_recall_last(capsys):
    bench = _eval_module()
    assert bench.main(["--vendors", "40", "--listings", "200"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    words = last.split()
    assert words[0] == "precision" and words[2] == "recall" and 0 <= float(words[1]) <= 1
