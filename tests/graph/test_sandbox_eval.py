"""Alias resolution scored against the sandbox oracle's ground truth (bench/graph_eval.py's code)."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "graph_eval.py"


def _eval_module():
    spec = importlib.util.spec_from_file_location("graph_eval", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("graph_eval", module)
    spec.loader.exec_module(module)
    return module


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
