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
MAX_WORD = 30
"""Char n-grams come from at most this many leading characters of a word."""

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]


def extract(tokens: Sequence[Token], entities: Iterable[Entity]) -> list[str]:
    """Return the features of one utterance (with repeats; char n-grams carry no prefix)."""
    words = [t.text for t in tokens]
    features = ["w:" + w for w in words]
    features += [f"b:{a}_{b}" for a, b in zip(["<s>", *words], [*words, "</s>"], strict=True)]
    for word in words:
        padded = f" {word[:MAX_WORD]} "
        size = len(padded)
        features += [padded[i : i + n] for n in CHAR_NGRAMS for i in range(size - n + 1)]
    features += ["e:" + e.entity for e in entities]
    return features


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
    def fit(cls, documents: Sequence[Sequence[str]], min_df: int = 1) -> Vocabulary:
        """Learn the vocabulary (features seen in at least ``min_df`` documents)."""
        df: Counter[str] = Counter()
        for doc in documents:
            df.update(set(doc))
        kept = sorted(f for f, count in df.items() if count >= min_df)
        n = len(documents)
        idf = np.array([math.log((1 + n) / (1 + df[f])) + 1.0 for f in kept], dtype=np.float32)
        return cls({f: i for i, f in enumerate(kept)}, idf)

    def __len__(self) -> int:
        return len(self.index)

    def vector(self, features: Sequence[str]) -> SparseVector:
        """Turn features into a normalised sparse TF-IDF vector (sublinear tf).

        Unknown features are dropped but count towards the norm (at the highest IDF), so
        mostly-unknown text yields weak evidence and falls back.
        """
        get = self.index.get
        columns = np.array([get(f, -1) for f in features], dtype=np.int64)
        known = columns[columns >= 0]
        if len(known) == 0:
            return SparseVector(np.zeros(0, np.int64), np.zeros(0, np.float32))
        idx, tf = np.unique(known, return_counts=True)
        weights = ((1.0 + np.log(tf)) * self.idf[idx]).astype(np.float32)
        unseen = (len(columns) - len(known)) * self.max_idf**2
        norm = math.sqrt(float(weights @ weights) + unseen)
        return SparseVector(idx, weights / np.float32(norm))
