"""Everyday words are weak evidence: the specificity table and what it does to confidence."""

from __future__ import annotations

import pytest

from knowledge.retrieval.analyzer import Analyzer
from knowledge.retrieval.commonness import (
    BARE_NUMBER,
    common_stems,
    everyday_words,
    iter_zipf,
    load_zipf,
    specificity,
    specificity_of,
    stem_specificity,
    term_specificity,
)
from knowledge.retrieval.lexicon import load_lexicon


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


def test_the_kept_stem_table_gives_what_stemming_the_table_with_the_analyzer_gives() -> None:
    """The per-process table is the analyzer's stemming of the file, not an approximation."""
    analyzer = Analyzer(load_lexicon())
    stems = {analyzer.stem(word) for word in ("gemeinde", "spat", "alte", "ozg", "und", "wer")}

    kept = specificity_of(stems, common_stems())

    assert kept == stem_specificity(stems, analyzer.stem_once, iter_zipf())
    assert "gemeind" in kept
    assert "ozg" not in kept


def test_a_short_bare_number_counts_like_a_mid_frequency_word_a_year_fully() -> None:
    assert term_specificity({}, "17") == pytest.approx(BARE_NUMBER)
    assert term_specificity({}, "2019") == 1.0
    assert term_specificity({"alt": 0.2}, "alt") == pytest.approx(0.2)
    assert term_specificity({}, "bundid") == 1.0


def test_the_everyday_words_are_those_of_the_table() -> None:
    assert "bodensee" in everyday_words()
    assert "bundid" not in everyday_words()
