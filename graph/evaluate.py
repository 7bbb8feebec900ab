"""Scores of a clustering of accounts against ground truth: pairwise precision/recall, B-cubed.

Both clusterings are ``account -> cluster label`` maps over the same accounts (an account missing
from the prediction counts as alone).

>>> truth = {"a": 1, "b": 1, "c": 2, "d": 3}
>>> pred = {"a": "x", "b": "x", "c": "x", "d": "y"}
>>> s = cluster_scores(pred, truth)
>>> round(s["precision"], 3), s["recall"], round(s["bcubed_f1"], 3)
(0.333, 1.0, 0.8)
"""
from __future__ import annotations

from collections import Counter
from typing import Hashable, Iterable, Mapping

import networkx as nx

__all__ = ["cluster_scores", "labels_from_pairs"]


def _pairs(sizes: Iterable[int]) -> int:
    return sum(n * (n - 1) // 2 for n in sizes)


def cluster_scores(predicted: Mapping[Hashable, Hashable],
                   truth: Mapping[Hashable, Hashable]) -> dict[str, float]:
    """Pairwise precision, recall, F1 and B-cubed precision, recall, F1 of ``predicted``."""
    accounts = list(truth)
    pred = {a: predicted.get(a, ("alone", a)) for a in accounts}
    pred_size = Counter(pred.values())
    true_size = Counter(truth[a] for a in accounts)
    both = Counter((pred[a], truth[a]) for a in accounts)
    tp, pp, tt = _pairs(both.values()), _pairs(pred_size.values()), _pairs(true_size.values())
    precision = tp / pp if pp else 1.0
    recall = tp / tt if tt else 1.0
    bp = sum(both[(pred[a], truth[a])] / pred_size[pred[a]] for a in accounts) / max(1, len(accounts))
    br = sum(both[(pred[a], truth[a])] / true_size[truth[a]] for a in accounts) / max(1, len(accounts))
    return {"precision": precision, "recall": recall, "f1": _f1(precision, recall),
            "bcubed_precision": bp, "bcubed_recall": br, "bcubed_f1": _f1(bp, br),
            "true_pairs": tt, "predicted_pairs": pp, "correct_pairs": tp}


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def labels_from_pairs(accounts: Iterable[Hashable],
                      pairs: Iterable[tuple[Hashable, Hashable]]) -> dict[Hashable, int]:
    """Cluster labels from linked pairs (connected components).

    >>> labels_from_pairs("abc", [("a", "b")]) == {"a": 0, "b": 0, "c": 1}
    True
    """
    H = nx.Graph()
    H.add_nodes_from(accounts)
    H.add_edges_from(pairs)
    out: dict[Hashable, int] = {}
    components = sorted((sorted(c, key=str) for c in nx.connected_components(H)), key=lambda c: str(c[0]))
    for label, component in enumerate(components):
        for account in component:
            out[account] = label
    return out
