"""Everyday words are weak evidence: the specificity table and what it does to confidence."""

from __future__ import annotations

import pytest

from knowledge.retrieval.commonness import load_zipf, specificity, stem_specificity


def test_the_table_knows_everyday_german_words_folded_like_user_input() -> None:
    table = load_zipf()
    assert table["spat"] > 4.5  # "spät", folded
    assert table["gemeinde"] > 4.5
    assert "ozg" not in table
    assert "bundid" not in table


@pytest.mark.parametrize(
    ("zipf", "expected"), [(3.0, 1.0), (3.5, 1.0), (4.75, 0.5), (6.0, 0.0), (7.2, 0.0)]
)
def test_specificity_falls_from_rare_to_everyday_words(zipf: float, expected: float) -> None:
    assert specificity(zipf) == pytest.approx(expected)


def test_a_stem_takes_the_specificity_of_its_commonest_form() -> None:
    table = {"alte": 4.0, "alt": 5.5, "baustein": 3.4}
    weights = stem_specificity({"alt", "baustein"}, lambda w: w.rstrip("e"), table.items())
    assert weights == {"alt": pytest.approx(specificity(5.5))}
