"""Verb forms read with their noun's stem (knowledge.retrieval.morphology)."""

from __future__ import annotations

from functools import cache

import pytest

from knowledge.loader import load_entries
from knowledge.retrieval import Retriever
from knowledge.retrieval.analyzer import query_terms
from knowledge.retrieval.morphology import verb_bases


@cache
def retriever() -> Retriever:
    return Retriever.build(load_entries().entries)


def terms(text: str) -> dict[str, float]:
    corpus = retriever().corpus
    return query_terms(corpus.analyzer.units(corpus.analyzer.words(text), corpus.vocab, True))


@pytest.mark.parametrize(
    ("surface", "base"),
    [
        pytest.param("gefordert", "forder", id="participle"),
        pytest.param("umgesetzt", "umsetz", id="separable-participle"),
        pytest.param("digitalisiert", "digitalisier", id="ier-verb"),
        pytest.param("fordern", "forder", id="ern-infinitive"),
        pytest.param("entwickelt", "entwickl", id="el-verb"),
    ],
)
def test_a_verb_form_yields_the_stem_of_its_noun(surface: str, base: str) -> None:
    assert base in verb_bases(surface)


@pytest.mark.parametrize("surface", ["gemeinde", "stadt", "dienst", "runden", "gesetz"])
def test_nouns_yield_no_verb_base(surface: str) -> None:
    assert list(verb_bases(surface)) == []


def test_a_participle_finds_entries_that_use_the_noun() -> None:
    assert "forder" in terms("gefördert")  # as in "Förderung"
    assert "forder" in terms("Förderung")


def test_an_unrelated_word_gets_no_base_even_when_one_would_be_known() -> None:
    assert set(terms("Gemeinde")) == {"gemeind", "=kommune"}
