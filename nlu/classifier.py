"""A multinomial logistic-regression intent classifier in plain numpy (full-batch Adam)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from nlu.features import FloatArray, SparseVector

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class TrainingSettings:
    """Optimiser settings; the defaults suit a few hundred to a few thousand utterances."""

    iterations: int = 150
    l2: float = 1e-5
    balance: float = 1.0
    """0 weighs every utterance alike, 1 every intent alike (whatever its number of examples)."""
    bias: bool = False
    """Without a bias, text with no known features scores every intent alike (→ fallback)."""


@dataclass(frozen=True)
class LinearClassifier:
    """Softmax over ``x @ weights + bias``; one column per label."""

    labels: tuple[str, ...]
    weights: FloatArray
    bias: FloatArray

    def probabilities(self, vector: SparseVector) -> FloatArray:
        """Return one probability per label for a sparse feature vector."""
        logits = vector.weights @ self.weights[vector.indices] + self.bias
        probabilities: FloatArray = _softmax(logits[None, :])[0]
        return probabilities

    @classmethod
    def fit(
        cls,
        vectors: Sequence[SparseVector],
        n_features: int,
        targets: IntArray,
        labels: tuple[str, ...],
        settings: TrainingSettings = TrainingSettings(),
    ) -> LinearClassifier:
        """Train on sparse feature vectors with integer targets, balancing the classes.

        Gradient descent runs in the dual (``weights = columns @ dual``): with many more
        features than utterances each step then costs one small ``n x n`` product.
        """
        columns = np.zeros((n_features, len(vectors)), dtype=np.float32)
        for row, vector in enumerate(vectors):
            columns[vector.indices, row] = vector.weights
        kernel = np.stack([v.weights @ columns[v.indices] for v in vectors])
        dual, bias = _dual_descent(kernel, targets, len(labels), settings)
        weights: FloatArray = (columns @ dual).astype(np.float32)
        return cls(labels, weights, bias)


def _dual_descent(
    kernel: FloatArray, targets: IntArray, n_classes: int, settings: TrainingSettings
) -> tuple[FloatArray, FloatArray]:
    """Nesterov-accelerated gradient descent on the class-weighted, L2-regularised softmax loss."""
    one_hot = np.eye(n_classes, dtype=np.float32)[targets]
    sample_weights = _balanced_weights(targets, n_classes, settings.balance)[:, None]
    sample_weights /= len(targets)
    step = np.float32(
        1.0 / (_largest_eigenvalue(kernel) * float(sample_weights.max()) + settings.l2)
    )
    l2 = np.float32(settings.l2)
    dual: npt.NDArray[np.floating[Any]] = np.zeros((len(targets), n_classes), dtype=np.float32)
    bias: npt.NDArray[np.floating[Any]] = np.zeros(n_classes, dtype=np.float32)
    prev_dual, prev_bias = dual, bias
    for t in range(1, settings.iterations + 1):
        momentum = np.float32((t - 1) / (t + 2))
        look_dual = dual + momentum * (dual - prev_dual)
        look_bias = bias + momentum * (bias - prev_bias)
        error = (_softmax(kernel @ look_dual + look_bias) - one_hot) * sample_weights
        prev_dual, prev_bias = dual, bias
        dual = look_dual - step * (error + l2 * look_dual)
        if settings.bias:
            bias = look_bias - step * error.sum(axis=0)
    return dual.astype(np.float32), bias.astype(np.float32)


def _largest_eigenvalue(kernel: FloatArray, rounds: int = 20) -> float:
    vector = np.ones(kernel.shape[0], dtype=np.float32)
    for _ in range(rounds):
        vector = kernel @ vector
        vector /= np.float32(np.linalg.norm(vector))
    return float(vector @ kernel @ vector)


def _balanced_weights(targets: IntArray, n_classes: int, power: float) -> FloatArray:
    counts = np.bincount(targets, minlength=n_classes).astype(np.float32)
    per_class = (len(targets) / (n_classes * np.maximum(counts, 1))) ** power
    weights = per_class[targets]
    normalised: FloatArray = (weights / weights.mean()).astype(np.float32)
    return normalised


def _softmax(logits: npt.NDArray[np.floating[Any]]) -> FloatArray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    result: FloatArray = (shifted / shifted.sum(axis=1, keepdims=True)).astype(np.float32)
    return result
