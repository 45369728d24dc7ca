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
    """A BM25 index over documents given as term lists; several documents may form one entry.

    ``owners[d]`` is the entry of document ``d`` (sorted ascending); an entry scores the best of
    its documents.
    """

    def __init__(
        self, docs: Sequence[Sequence[str]], owners: Sequence[int], k1: float, b: float
    ) -> None:
        self._bm25 = bm25s.BM25(k1=k1, b=b, method="lucene", backend="numpy")
        self._bm25.index([list(doc) or [_PAD] for doc in docs] or [[_PAD]], show_progress=False)
        scores = self._bm25.scores
        self._data: FloatArray = scores["data"]
        self._indices = scores["indices"]
        self._indptr = scores["indptr"]
        self._vocab: dict[str, int] = self._bm25.vocab_dict
        self._num_docs = int(scores["num_docs"])
        owner_array = np.asarray(owners, dtype=np.int64)
        self._one_doc_per_entry = bool(np.array_equal(owner_array, np.arange(len(owners))))
        self._starts = np.flatnonzero(np.r_[True, owner_array[1:] != owner_array[:-1]])
        self.num_entries = int(owner_array[-1]) + 1 if len(owners) else 0
        df = _entry_frequencies(self._indptr, self._indices, owner_array)
        self._idf = np.log1p((self.num_entries - df + 0.5) / (df + 0.5)).tolist()
        self._max_idf = math.log1p((self.num_entries + 0.5) / 0.5)

    def scores(self, query: Mapping[str, float]) -> FloatArray:
        """BM25 score of every entry for the weighted query terms."""
        found = [(self._vocab[t], w) for t, w in query.items() if t in self._vocab]
        if not found:
            return np.zeros(self.num_entries, dtype=np.float32)
        columns = np.array([column for column, _ in found], dtype=np.int64)
        weights = np.array([weight for _, weight in found], dtype=np.float32)
        starts, lengths = self._indptr[columns], np.diff(self._indptr)[columns]
        # positions of all postings of the query columns, without a Python loop
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
        positions = offsets + np.arange(int(lengths.sum()))
        values = self._data[positions] * np.repeat(weights, lengths)
        doc_scores = np.bincount(
            self._indices[positions], weights=values, minlength=self._num_docs
        ).astype(np.float32)
        if self._one_doc_per_entry:
            return doc_scores
        return np.maximum.reduceat(doc_scores, self._starts)

    def idf(self, term: str) -> float:
        """Inverse entry frequency of ``term`` (BM25 form; unknown terms get the maximum)."""
        column = self._vocab.get(term)
        return self._max_idf if column is None or column >= len(self._idf) else self._idf[column]

    def idf_total(self, query: Mapping[str, float]) -> float:
        """Weighted sum of the IDF of the query terms (about the best score a match can reach)."""
        return sum(weight * self.idf(term) for term, weight in query.items())


def _entry_frequencies(
    indptr: npt.NDArray[np.int64], indices: npt.NDArray[np.int64], owners: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """For each column: the number of distinct entries whose documents contain the term."""
    lengths = np.diff(indptr)
    if np.array_equal(owners, np.arange(len(owners))):
        return lengths  # one document per entry
    columns = np.repeat(np.arange(len(lengths)), lengths)
    entries = owners[indices[: int(indptr[-1])]]
    pairs = np.unique(columns * (int(owners.max(initial=0)) + 1) + entries)
    return np.bincount(pairs // (int(owners.max(initial=0)) + 1), minlength=len(lengths))
