"""Sparse text features: words, word bigrams, char n-grams within words and entity types.

Close to Rasa's CountVectorsFeaturizer (word + ``char_wb``) so both backends see similar evidence.
Vectors are TF-IDF weighted (sublinear tf) and L2-normalised.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from nlu.text import Token
from nlu.types import Entity

CHAR_NGRAMS = (2, 3, 4, 5)

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]


def extract(tokens: Sequence[Token], entities: Iterable[Entity]) -> Counter[str]:
    """Return the feature counts of one utterance."""
    words = [t.text for t in tokens]
    counts: Counter[str] = Counter()
    counts.update("w:" + w for w in words)
    counts.update(f"b:{a}_{b}" for a, b in zip(["<s>", *words], [*words, "</s>"], strict=True))
    for word in words:
        padded = f" {word} "
        for n in CHAR_NGRAMS:
            counts.update("c:" + padded[i : i + n] for i in range(len(padded) - n + 1))
    counts.update("e:" + e.entity for e in entities)
    return counts


@dataclass(frozen=True)
class SparseVector:
    """Indices and weights of the known features of one utterance."""

    indices: IntArray
    weights: FloatArray


class Vocabulary:
    """Maps features to columns and IDF weights, learnt from the training utterances."""

    def __init__(self, index: dict[str, int], idf: FloatArray):
        self.index = index
        self.idf = idf
        self.max_idf = float(idf.max()) if len(idf) else 1.0

    @classmethod
    def fit(cls, documents: Sequence[Counter[str]], min_df: int = 1) -> Vocabulary:
        """Learn the vocabulary (features seen in at least ``min_df`` documents)."""
        df: Counter[str] = Counter()
        for doc in documents:
            df.update(doc.keys())
        kept = sorted(f for f, count in df.items() if count >= min_df)
        n = len(documents)
        idf = np.array([math.log((1 + n) / (1 + df[f])) + 1.0 for f in kept], dtype=np.float32)
        return cls({f: i for i, f in enumerate(kept)}, idf)

    def __len__(self) -> int:
        return len(self.index)

    def vector(self, counts: Counter[str]) -> SparseVector:
        """Turn feature counts into a normalised sparse TF-IDF vector (unknown features dropped)."""
        pairs = [(self.index[f], c) for f, c in counts.items() if f in self.index]
        if not pairs:
            return SparseVector(np.zeros(0, np.int64), np.zeros(0, np.float32))
        idx = np.fromiter((i for i, _ in pairs), np.int64, len(pairs))
        tf = np.fromiter((c for _, c in pairs), np.float32, len(pairs))
        weights = (1.0 + np.log(tf)) * self.idf[idx]
        # Unseen features count towards the norm, so mostly-unknown text gets weak evidence.
        unseen = sum((1.0 + math.log(c)) ** 2 for f, c in counts.items() if f not in self.index)
        norm = math.sqrt(float(weights @ weights) + unseen * self.max_idf**2)
        return SparseVector(idx, weights / np.float32(norm))

    def dense(self, vectors: Sequence[SparseVector]) -> FloatArray:
        """Stack sparse vectors into a dense matrix (one row per utterance)."""
        matrix = np.zeros((len(vectors), len(self.index)), dtype=np.float32)
        for row, vec in enumerate(vectors):
            matrix[row, vec.indices] = vec.weights
        return matrix
