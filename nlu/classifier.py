"""A multinomial logistic-regression intent classifier in plain numpy (full-batch Adam)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from nlu.features import FloatArray, SparseVector

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class TrainingSettings:
    """Optimiser settings; the defaults suit a few hundred to a few thousand utterances."""

    epochs: int = 120
    learning_rate: float = 0.08
    l2: float = 2e-4
    seed: int = 13


@dataclass(frozen=True)
class LinearClassifier:
    """Softmax over ``x @ weights + bias``; one column per label."""

    labels: tuple[str, ...]
    weights: FloatArray
    bias: FloatArray

    def probabilities(self, vector: SparseVector) -> FloatArray:
        """Return one probability per label for a sparse feature vector."""
        logits = vector.weights @ self.weights[vector.indices] + self.bias
        return _softmax(logits[None, :])[0]

    @classmethod
    def fit(
        cls,
        matrix: FloatArray,
        targets: IntArray,
        labels: tuple[str, ...],
        settings: TrainingSettings = TrainingSettings(),
    ) -> LinearClassifier:
        """Train on a dense feature matrix with integer targets, balancing the classes."""
        one_hot = np.eye(len(labels), dtype=np.float32)[targets]
        sample_weights = _balanced_weights(targets, len(labels))[:, None] / len(targets)
        weights = np.zeros((matrix.shape[1], len(labels)), dtype=np.float32)
        bias = np.zeros(len(labels), dtype=np.float32)
        adam_w, adam_b = _Adam(weights.shape, settings), _Adam(bias.shape, settings)
        for _ in range(settings.epochs):
            error = (_softmax(matrix @ weights + bias) - one_hot) * sample_weights
            weights -= adam_w.step(matrix.T @ error + settings.l2 * weights)
            bias -= adam_b.step(error.sum(axis=0))
        return cls(labels, weights, bias)


class _Adam:
    """The Adam update rule for one parameter array."""

    def __init__(self, shape: tuple[int, ...], settings: TrainingSettings):
        self.m = np.zeros(shape, dtype=np.float32)
        self.v = np.zeros(shape, dtype=np.float32)
        self.t = 0
        self.lr = settings.learning_rate

    def step(self, grad: FloatArray) -> FloatArray:
        self.t += 1
        self.m = 0.9 * self.m + 0.1 * grad
        self.v = 0.999 * self.v + 0.001 * grad * grad
        m_hat = self.m / (1 - 0.9**self.t)
        v_hat = self.v / (1 - 0.999**self.t)
        step: FloatArray = (self.lr * m_hat / (np.sqrt(v_hat) + 1e-8)).astype(np.float32)
        return step


def _balanced_weights(targets: IntArray, n_classes: int) -> FloatArray:
    counts = np.bincount(targets, minlength=n_classes).astype(np.float32)
    per_class = np.sqrt(len(targets) / (n_classes * np.maximum(counts, 1)))
    weights: FloatArray = per_class[targets]
    return weights / np.float32(weights.mean())


def _softmax(logits: FloatArray) -> FloatArray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    result: FloatArray = shifted / shifted.sum(axis=1, keepdims=True)
    return result
