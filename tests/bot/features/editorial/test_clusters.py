"""Merging near-duplicate open questions into clusters for /luecken."""

from __future__ import annotations

import pytest
from rapidfuzz import fuzz

from bot.features.editorial.clusters import SIMILARITY, OpenQuestion, cluster_questions
from bot.stores.questions import normalize_question


def group(text: str, count: int = 1, row: int = 1, picked: tuple[str, ...] = ()) -> OpenQuestion:
    return OpenQuestion(normalize_question(text), row, text, count, picked)


def test_word_order_and_punctuation_variants_merge_into_one_cluster() -> None:
    """Two spellings of the same question count together, under the more frequent wording."""
    clusters = cluster_questions(
        [
            group("Wann ist die Frist für den Antrag?", 1, row=1),
            group("Frist für den Antrag – wann ist die?", 3, row=2, picked=("ozg-frist",)),
        ]
    )

    assert [(c.example, c.count, c.picked) for c in clusters] == [
        ("Frist für den Antrag – wann ist die?", 4, ("ozg-frist",))
    ]


def test_different_questions_stay_apart_and_the_most_frequent_comes_first() -> None:
    """Unrelated questions are separate clusters, sorted by how often they were asked."""
    clusters = cluster_questions(
        [group("Wann fährt der Bus?", 1, row=1), group("Was kostet ein Flugzeug?", 2, row=2)]
    )

    assert [(c.example, c.count) for c in clusters] == [
        ("Was kostet ein Flugzeug?", 2),
        ("Wann fährt der Bus?", 1),
    ]


@pytest.mark.parametrize(
    ("first", "second", "merged"),
    [
        pytest.param(
            "gibt es geld fur wlan", "gibt es geld fur wlan im rathaus", True, id="subset"
        ),
        pytest.param("gibt es geld fur wlan", "gibt es geld fuer wlan", True, id="spelling"),
        pytest.param("wann fahrt der bus", "wann fahrt der zug", False, id="other-noun-89"),
    ],
)
def test_the_threshold_decides_what_is_the_same_question(
    first: str, second: str, merged: bool
) -> None:
    """Pairs at or above :data:`SIMILARITY` merge; below it they do not."""
    assert (fuzz.token_set_ratio(first, second) >= SIMILARITY) is merged
    clusters = cluster_questions(
        [OpenQuestion(first, 1, first, 1), OpenQuestion(second, 2, second, 1)]
    )
    assert (len(clusters) == 1) is merged


def test_no_open_questions_give_no_clusters() -> None:
    """An empty queue stays empty."""
    assert cluster_questions([]) == []
