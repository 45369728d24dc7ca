"""Pure evaluation metrics: intent accuracy and macro-F1, entity F1, latency percentiles."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1."""

    precision: float
    recall: float
    f1: float


def accuracy(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Share of exact matches (0 for no examples)."""
    if not gold:
        return 0.0
    return sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Mean F1 over the gold labels (a prediction of any other label counts as wrong)."""
    labels = sorted(set(gold))
    if not labels:
        return 0.0
    pairs = list(zip(gold, predicted, strict=True))
    scores = []
    for label in labels:
        tp = sum(g == label and p == label for g, p in pairs)
        fp = sum(g != label and p == label for g, p in pairs)
        fn = sum(g == label and p != label for g, p in pairs)
        scores.append(_f1(tp, fp, fn).f1)
    return sum(scores) / len(scores)


def entity_prf(
    gold: Sequence[Sequence[tuple[str, str]]], predicted: Sequence[Sequence[tuple[str, str]]]
) -> PRF:
    """Micro P/R/F1 over (entity type, value) pairs per utterance; spans are ignored."""
    tp = fp = fn = 0
    for gold_items, predicted_items in zip(gold, predicted, strict=True):
        g, p = Counter(gold_items), Counter(predicted_items)
        hits = sum((g & p).values())
        tp, fp, fn = tp + hits, fp + sum(p.values()) - hits, fn + sum(g.values()) - hits
    return _f1(tp, fp, fn)


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank percentile ``q`` (0–100) of ``values`` (0 for none)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def _f1(tp: int, fp: int, fn: int) -> PRF:
    precision = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PRF(precision, recall, f1)
