"""BM25 (bm25s, numpy backend) over pre-analysed documents, scored with weighted query terms."""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence

import bm25s
import numpy as np
import numpy.typing as npt

logging.getLogger("bm25s").setLevel(logging.WARNING)

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]
_PAD = "\x00"  # keeps bm25s happy when a corpus has no terms at all


class TermIndex:
    """A BM25 index over entries, each given as one list of terms."""

    def __init__(self, docs: Sequence[Sequence[str]], k1: float, b: float) -> None:
        bm25 = bm25s.BM25(k1=k1, b=b, method="lucene", backend="numpy")  # not kept: it is pickled
        bm25.index([list(doc) or [_PAD] for doc in docs] or [[_PAD]], show_progress=False)
        scores = bm25.scores
        self._data: FloatArray = scores["data"]
        self._indices = scores["indices"]
        self._indptr = scores["indptr"]
        self._vocab: dict[str, int] = bm25.vocab_dict
        self._num_docs = int(scores["num_docs"])
        self.num_entries = len(docs)
        # postings per term; one document per entry, so also the term's entry frequency
        self._lengths = np.diff(self._indptr)
        entries, df = self.num_entries, self._lengths
        self._idf = np.log1p((entries - df + 0.5) / (df + 0.5)).tolist()
        self._max_idf = math.log1p((self.num_entries + 0.5) / 0.5)

    def scores(self, query: Mapping[str, float]) -> FloatArray:
        """BM25 score of every entry for the weighted query terms."""
        found = [(self._vocab[t], w) for t, w in query.items() if t in self._vocab]
        if not found:
            return np.zeros(self.num_entries, dtype=np.float32)
        columns = np.array([column for column, _ in found], dtype=np.int64)
        weights = np.array([weight for _, weight in found], dtype=np.float32)
        starts, lengths = self._indptr[columns], self._lengths[columns]
        # positions of all postings of the query columns, without a Python loop
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
        positions = offsets + np.arange(int(lengths.sum()))
        values = self._data[positions] * np.repeat(weights, lengths)
        scores: FloatArray = np.bincount(
            self._indices[positions], weights=values, minlength=self._num_docs
        ).astype(np.float32)
        return scores

    def idf(self, term: str) -> float:
        """Inverse entry frequency of ``term`` (BM25 form; unknown terms get the maximum)."""
        column = self._vocab.get(term)
        return self._max_idf if column is None or column >= len(self._idf) else self._idf[column]

    def idf_total(self, query: Mapping[str, float]) -> float:
        """Weighted sum of the IDF of the query terms (about the best score a match can reach)."""
        return sum(weight * self.idf(term) for term, weight in query.items())
