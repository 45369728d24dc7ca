"""Near-duplicate pairs among many short texts, in bounded memory (part of ``kb check``).

A full ``cdist`` of every question against every other needs n² scores: 12.8 GB at 10 000
entries. Only texts with the same numbers can be reported ("Runde 2" / "Runde 3" are distinct
questions), and ``fuzz.ratio`` ≥ t needs lengths within a factor (100 + (100 - t)) / t of each
other (the Indel distance is at least the length difference). So the texts are grouped by their
numbers, sorted by length, and each block of rows is scored against the length window after it
only; the findings are the same as the full matrix's.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz, process

MAX_CELLS = 4_000_000  # scores per block: 16 MB of float32, whatever the number of texts
THREADED_CELLS = 1_000_000  # smaller blocks are scored on one thread (starting threads costs more)

Pair = tuple[int, int, float]  # index a < index b, fuzz.ratio


def numbers(text: str) -> list[str]:
    """The numbers in ``text``, sorted (texts that differ in them are not duplicates)."""
    return sorted(re.findall(r"\d+", text))


def near_duplicate_pairs(
    texts: Sequence[str], threshold: float, max_cells: int = MAX_CELLS
) -> list[Pair]:
    """Every pair of texts with the same numbers and ``fuzz.ratio`` ≥ ``threshold``, sorted."""
    groups: defaultdict[tuple[str, ...], list[int]] = defaultdict(list)
    for index, text in enumerate(texts):
        groups[tuple(numbers(text))].append(index)
    pairs: list[Pair] = []
    for members in groups.values():
        if len(members) > 1:
            pairs += _group_pairs(texts, members, threshold, max_cells)
    return sorted(pairs)


def _group_pairs(
    texts: Sequence[str], members: list[int], threshold: float, max_cells: int
) -> list[Pair]:
    order = sorted(members, key=lambda i: len(texts[i]))
    ordered = [texts[i] for i in order]
    lengths = np.array([len(text) for text in ordered])
    # longest partner a text of length l can have: (l + 1) * (200 - t) / t, with a char to spare
    reach = np.searchsorted(lengths, (lengths + 1) * (200 - threshold) / threshold, side="right")
    rows = max(1, max_cells // len(order))
    pairs: list[Pair] = []
    for start in range(0, len(order), rows):
        stop = min(start + rows, len(order))
        end = int(reach[stop - 1])
        threaded = (stop - start) * (end - start) >= THREADED_CELLS
        scores = process.cdist(
            ordered[start:stop],
            ordered[start:end],
            scorer=fuzz.ratio,
            score_cutoff=threshold,
            dtype=np.float32,
            workers=-1 if threaded else 1,
        )
        for row, column in np.argwhere(scores >= threshold):
            if column > row:  # each pair once: the partner comes later in length order
                a, b = order[start + row], order[start + column]
                pairs.append((min(a, b), max(a, b), float(scores[row, column])))
    return pairs
