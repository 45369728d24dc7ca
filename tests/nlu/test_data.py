"""The NLU training data and the held-back test file are tested artefacts."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from nlu.rasa.generate import render
from nlu.rasa_data import DATA_DIR, load_dir, load_files
from nlu.text import fold_phrase
from nlu.types import ENTITY_TYPES, INTENTS

RASA_DIR = DATA_DIR.parents[1]
TEST_FILE = Path(__file__).parents[1] / "data" / "nlu_test.yml"
TRAINING = load_dir()
HELD_BACK = load_files([TEST_FILE])


def test_training_data_has_exactly_the_fixed_intents() -> None:
    """The intent names the dialogue engine relies on, no more, no fewer."""
    assert sorted(TRAINING.intents()) == sorted(INTENTS)


@pytest.mark.parametrize("intent", INTENTS)
def test_every_intent_has_at_least_15_examples(intent: str) -> None:
    """Enough variety per intent for both backends."""
    assert sum(e.intent == intent for e in TRAINING.examples) >= 15


@pytest.mark.parametrize("intent", INTENTS)
def test_held_back_file_has_at_least_8_examples_per_intent(intent: str) -> None:
    """Every intent is evaluated."""
    assert sum(e.intent == intent for e in HELD_BACK.examples) >= 8


def test_held_back_examples_never_appear_in_training() -> None:
    """Disjoint after folding case, umlauts and punctuation, so the evaluation is honest."""
    training = {fold_phrase(e.text) for e in TRAINING.examples}
    leaked = [e.text for e in HELD_BACK.examples if fold_phrase(e.text) in training]
    assert leaked == []


def test_no_example_is_listed_twice() -> None:
    """Exact duplicates (ignoring case) are noise in the data."""
    counts = Counter(e.text.strip().lower() for e in TRAINING.examples)
    assert [text for text, n in counts.items() if n > 1] == []


def test_no_wording_belongs_to_two_intents() -> None:
    """The same words (ignoring case and punctuation) under two intents confuse both backends."""
    intents: dict[str, set[str]] = {}
    for example in TRAINING.examples:
        intents.setdefault(fold_phrase(example.text), set()).add(example.intent)
    assert {text: names for text, names in intents.items() if len(names) > 1} == {}


def test_generated_knowledge_examples_are_up_to_date() -> None:
    """knowledge_generated.yml equals a fresh render (run `python -m nlu.rasa.generate`)."""
    committed = (DATA_DIR / "knowledge_generated.yml").read_text(encoding="utf-8")
    assert committed == render(), "stale: run `python -m nlu.rasa.generate`"


def test_domain_lists_the_intents_and_entity_types() -> None:
    """domain.yml (for `rasa data validate`) agrees with the code."""
    domain = yaml.safe_load((RASA_DIR / "domain.yml").read_text(encoding="utf-8"))
    assert domain["intents"] == list(INTENTS)
    assert domain["entities"] == list(ENTITY_TYPES)


def test_annotated_entities_use_known_types_and_ids() -> None:
    """Every annotation, in training and test data, names a type and a value the lookups yield."""
    known = {*TRAINING.synonyms.values(), *(str(n) for n in range(1, 6))}
    for example in [*TRAINING.examples, *HELD_BACK.examples]:
        for ann in example.entities:
            assert ann.entity in ENTITY_TYPES, example.text
            assert ann.value in known, example.text


@pytest.mark.parametrize("table", sorted(TRAINING.lookups))
def test_lookup_lists_put_longer_forms_before_their_prefixes(table: str) -> None:
    """Rasa joins a lookup table into one regex alternation; the first match wins."""
    elements = [e.lower() for e in TRAINING.lookups[table]]
    for i, short in enumerate(elements):
        assert not [long for long in elements[i + 1 :] if long.startswith(short + " ")], short


@pytest.mark.parametrize("table", sorted(TRAINING.lookups))
def test_every_lookup_element_normalises_to_an_id(table: str) -> None:
    """A surface form without a synonym would reach the dialogue engine unnormalised."""
    missing = [e for e in TRAINING.lookups[table] if e.lower() not in TRAINING.synonyms]
    assert missing == []


def test_baustein_regexes_compile_and_match_numbered_forms() -> None:
    """The regexes Rasa's RegexEntityExtractor uses are valid and catch "Baustein Nr. 3"."""
    patterns = [re.compile(p) for p in TRAINING.regexes["baustein"]]
    for text in ("Baustein Nr. 3", "3. Baustein", "Baustein 5"):
        assert any(p.search(text) for p in patterns), text
