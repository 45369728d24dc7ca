"""Near-duplicate open questions merged into clusters for the editor's work queue (pure).

Similarity is rapidfuzz's ``token_set_ratio`` on the normalised questions (lower case, no
accents or punctuation): word order and repeated words do not matter, and a question that is
another one plus a word or two still matches. Groups are taken most frequent first; each one
not yet in a cluster starts one and takes every free group at least :data:`SIMILARITY` alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

SIMILARITY = 90.0
"""``token_set_ratio`` (0–100) from which two normalised questions count as the same one."""


@dataclass(frozen=True)
class OpenQuestion:
    """Open questions with one normalised form (newest wording, its row id, picked entries)."""

    normalized: str
    example_id: int
    example: str
    count: int
    picked: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cluster:
    """Similar open questions: the most frequent one's wording stands for all of them."""

    example_id: int
    example: str
    count: int
    members: tuple[str, ...]
    picked: tuple[str, ...]


def cluster_questions(
    groups: Sequence[OpenQuestion], similarity: float = SIMILARITY
) -> list[Cluster]:
    """Clusters of near-duplicates, most frequent first (ties: newest example first)."""
    ordered = sorted(groups, key=lambda g: (-g.count, -g.example_id))
    if not ordered:
        return []
    texts = [group.normalized for group in ordered]
    scores = process.cdist(texts, texts, scorer=fuzz.token_set_ratio, score_cutoff=similarity)
    taken = [False] * len(ordered)
    clusters = []
    for seed, group in enumerate(ordered):
        if taken[seed]:
            continue
        members = [i for i in range(seed, len(ordered)) if not taken[i] and scores[seed][i] > 0]
        for i in members:
            taken[i] = True
        clusters.append(_cluster(group, [ordered[i] for i in members]))
    return sorted(clusters, key=lambda c: (-c.count, -c.example_id))


def _cluster(seed: OpenQuestion, members: list[OpenQuestion]) -> Cluster:
    picked: list[str] = []
    for member in members:
        picked += [entry for entry in member.picked if entry not in picked]
    return Cluster(
        seed.example_id,
        seed.example,
        sum(member.count for member in members),
        tuple(member.normalized for member in members),
        tuple(picked),
    )
