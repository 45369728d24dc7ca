"""Near-duplicate pairs found blockwise: the same pairs as the full matrix, in bounded memory."""

from __future__ import annotations

import numpy as np
import pytest
from rapidfuzz import fuzz, process

from knowledge.near_duplicates import near_duplicate_pairs, numbers

TEXTS = [
    "wann endet die ozg frist",
    "was ist das ozg",
    "wann endete die ozg frist",
    "was war die 2 runde",
    "was war die 3 runde",
    "was war die 2 runde genau",
    "was war die 2 runde",
    "wer hilft bei der breitbandfoerderung",
    "wer hilft bei der breitband foerderung",
    "ozg",
    "was ist das ozg",
    "",
    "",
]


def full_matrix_pairs(texts: list[str], threshold: float) -> list[tuple[int, int, float]]:
    """The reference: every pair scored at once, as the check did before."""
    scores = process.cdist(texts, texts, scorer=fuzz.ratio, score_cutoff=threshold)
    return [
        (int(a), int(b), float(scores[a, b]))
        for a, b in np.argwhere(np.triu(scores >= threshold, k=1))
        if numbers(texts[a]) == numbers(texts[b])
    ]


@pytest.mark.parametrize("max_cells", [1, 7, 26, 10_000], ids=["row", "odd", "two-rows", "one"])
def test_blocks_of_any_size_find_the_pairs_of_the_full_matrix(max_cells: int) -> None:
    """A pair whose texts fall into different blocks is found as when all are scored at once."""
    expected = full_matrix_pairs(TEXTS, 90)

    found = near_duplicate_pairs(TEXTS, 90, max_cells=max_cells)

    assert found == expected
    assert (0, 2) in [(a, b) for a, b, _ in found]  # the OZG-Frist pair


def test_texts_that_differ_in_a_number_are_no_pair() -> None:
    """ "2. Runde" and "3. Runde" are scored only against texts with the same numbers."""
    found = near_duplicate_pairs(TEXTS, 90, max_cells=1)

    assert (3, 4) not in [(a, b) for a, b, _ in found]
    assert (3, 6) in [(a, b) for a, b, _ in found]
