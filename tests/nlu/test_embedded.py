"""The embedded backend: intents, entities, fallback and hostile input."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from nlu.embedded import EmbeddedNlu, FallbackSettings
from nlu.rasa_data import GENERATED_NAME, NluData, merge_document
from nlu.types import FALLBACK_INTENT, INTENTS


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        pytest.param("Hallo!", "greet", id="greet"),
        pytest.param("Tschüss, bis bald", "goodbye", id="goodbye"),
        pytest.param("Vielen Dank!", "thanks", id="thanks"),
        pytest.param("Was kannst du alles?", "help", id="help"),
        pytest.param("Was ist der Digitalisierungs-Check?", "ask_knowledge", id="what-is-check"),
        pytest.param("Ich möchte den Check machen", "start_check", id="do-the-check"),
        pytest.param("weiter", "resume_check", id="weiter"),
        pytest.param("wo war ich", "resume_check", id="wo-war-ich"),
        pytest.param("abbrechen", "cancel", id="abbrechen"),
        pytest.param("Wann ist das nächste Netzwerktreffen?", "list_events", id="next-meeting"),
        pytest.param("Wie war das Netzwerktreffen 2019?", "ask_knowledge", id="past-meeting"),
        pytest.param("Ankündigungen abonnieren", "subscribe", id="subscribe"),
        pytest.param("Ankündigungen abbestellen", "unsubscribe", id="unsubscribe"),
        pytest.param("Was speichert der Bot?", "privacy", id="privacy"),
        pytest.param("Lösch meine Daten", "delete_data", id="delete-data"),
        pytest.param("Bist du ein Mensch?", "bot_challenge", id="bot-challenge"),
        pytest.param("Wie geht es dir?", "chitchat", id="chitchat"),
        pytest.param("Wie wird das Wetter morgen?", "out_of_scope", id="weather"),
        pytest.param("Personalausweis beantragen", "out_of_scope", id="passport"),
        pytest.param("Was regelt das OZG 2.0 für Kommunen?", "ask_knowledge", id="ozg2"),
    ],
)
def test_clear_messages_get_their_intent(embedded: EmbeddedNlu, text: str, intent: str) -> None:
    """Unambiguous messages, including the subtle pairs, map to the intended intent."""
    assert embedded.parse_sync(text).intent.name == intent


@pytest.mark.parametrize(
    ("text", "entity", "value"),
    [
        pytest.param("Was passiert im dritten Baustein?", "baustein", "3", id="ordinal"),
        pytest.param("Erklär mir Baustein Nr. 4", "baustein", "4", id="regex-number"),
        pytest.param("Wie läuft die IST-Analyse?", "baustein", "2", id="ist-analyse"),
        pytest.param("Was bedeuten die Lebensbereiche?", "baustein", "3", id="lebensbereiche"),
        pytest.param("Was war die DZK?", "programme", "digitale_zukunftskommune", id="dzk"),
        pytest.param("Läuft Future Comunities noch?", "programme", "future_communities", id="typo"),
        pytest.param(
            "Wie melde ich mich als Digitallotsin an?", "programme", "digitallotsen", id="feminine"
        ),
        pytest.param("Gibt es Geld für den Breitbandausbau?", "topic", "breitband", id="compound"),
        pytest.param("Was bringt das OZG 2.0?", "topic", "ozg2", id="longest-match"),
        pytest.param("Was ist die Bund ID?", "topic", "bundid", id="spaced"),
        pytest.param("Was ist service-bw?", "topic", "service_bw", id="hyphenated"),
        pytest.param("Stufen im OZG-Reifegradmodell", "topic", "reifegradmodell", id="prefixed"),
    ],
)
def test_entities_are_normalised_to_ids(
    embedded: EmbeddedNlu, text: str, entity: str, value: str
) -> None:
    """Surface forms, typos and compounds come out as the synonym id."""
    result = embedded.parse_sync(text)
    assert [(e.entity, e.value) for e in result.entities] == [(entity, value)]


def test_entity_span_points_into_the_original_text(embedded: EmbeddedNlu) -> None:
    """start/end index the caller's text, umlauts and all."""
    text = "Fördert die Digitale Zukunftskommune@bw Städte?"
    (found,) = embedded.parse_sync(text).entities
    assert text[found.start : found.end] == "Digitale Zukunftskommune@bw"
    assert found.extractor == "embedded"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("asdkjh qwe zzz", id="keyboard-mash"),
        pytest.param("lorem ipsum dolor", id="latin"),
        pytest.param("", id="empty"),
        pytest.param("   \n\t ", id="whitespace"),
        pytest.param("🙂🙂🙂", id="emoji-only"),
    ],
)
def test_gibberish_falls_back(embedded: EmbeddedNlu, text: str) -> None:
    """Messages without known words produce nlu_fallback, like Rasa's FallbackClassifier."""
    result = embedded.parse_sync(text)
    assert result.intent.name == FALLBACK_INTENT
    assert result.intent.confidence == pytest.approx(0.3)


def test_fallback_ranking_starts_with_fallback_then_the_real_ranking(
    embedded: EmbeddedNlu,
) -> None:
    """Like Rasa, the original ranking follows the fallback entry."""
    ranking = embedded.parse_sync("lorem ipsum dolor").intent_ranking
    assert ranking[0].name == FALLBACK_INTENT
    assert {score.name for score in ranking[1:]} == set(INTENTS)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Was ist die DZK? " * 600, id="10000-chars"),
        pytest.param("Hallo\x00\x07\x1b[31m Welt\u200b\ufeff", id="control-chars"),
        pytest.param("Hallo 👋🏽 was ist das OZG? 🤖", id="emoji"),
        pytest.param("ǅ İ ß ẞ ﬁ \u0301", id="odd-unicode"),
        pytest.param('[DZK](programme) {"entity": 1}', id="annotation-syntax"),
    ],
)
def test_bad_input_still_yields_a_well_formed_result(embedded: EmbeddedNlu, text: str) -> None:
    """Nothing raises; spans stay inside the text; the dict has Rasa's shape."""
    result = embedded.parse_sync(text)
    assert result.intent.name in (*INTENTS, FALLBACK_INTENT)
    assert all(0 <= e.start < e.end <= len(result.text) for e in result.entities)
    assert set(result.to_dict()) == {"text", "intent", "intent_ranking", "entities"}


def test_decomposed_umlauts_are_understood(embedded: EmbeddedNlu) -> None:
    """Text typed as a + combining diaeresis is normalised before parsing."""
    result = embedded.parse_sync("Lo\u0308sch meine Daten")
    assert result.intent.name == "delete_data"


async def test_async_parse_equals_sync_parse(embedded: EmbeddedNlu) -> None:
    """The NluBackend coroutine gives the same answer as the synchronous call."""
    text = "Wann ist das nächste Netzwerktreffen?"
    assert await embedded.parse(text) == embedded.parse_sync(text)


def test_higher_threshold_turns_a_confident_answer_into_fallback(embedded: EmbeddedNlu) -> None:
    """The fallback threshold is a setting, as in Rasa's config."""
    strict = EmbeddedNlu.load(fallback=FallbackSettings(threshold=1.0))
    assert embedded.parse_sync("Hallo").intent.name == "greet"
    assert strict.parse_sync("Hallo").intent.name == FALLBACK_INTENT


@pytest.fixture(scope="module")
def trained_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache directory filled by one training run."""
    directory = tmp_path_factory.mktemp("nlu-cache")
    EmbeddedNlu.load(cache_dir=directory)
    return directory


def test_load_from_cache_answers_exactly_as_the_trained_model(
    trained_cache: Path, embedded: EmbeddedNlu
) -> None:
    """Weights are cached per data hash (two files); a reload answers identically."""
    reloaded = EmbeddedNlu.load(cache_dir=trained_cache)
    assert len(list(trained_cache.iterdir())) == 2
    for text in ("Hallo", "Was ist die DZK?", "abbrechen"):
        assert reloaded.parse_sync(text) == embedded.parse_sync(text)


def test_load_reads_the_cached_weights_instead_of_training(
    trained_cache: Path, tmp_path: Path, embedded: EmbeddedNlu
) -> None:
    """Zeroed weights in the cache show through: the reload did not retrain."""
    for path in trained_cache.iterdir():
        shutil.copy(path, tmp_path / path.name)
    (arrays,) = tmp_path.glob("*.npz")
    with np.load(arrays) as stored:
        zeroed = {
            name: np.zeros_like(stored[name]) if name == "weights" else stored[name]
            for name in stored.files
        }
    np.savez(arrays, **zeroed)
    assert EmbeddedNlu.load(cache_dir=tmp_path).parse_sync("Hallo").intent.name == FALLBACK_INTENT
    assert embedded.parse_sync("Hallo").intent.name == "greet"


def test_unreadable_cache_entry_is_retrained(trained_cache: Path, tmp_path: Path) -> None:
    """A truncated cache file costs a retraining, not a crash."""
    for path in trained_cache.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes()[:10])
    assert EmbeddedNlu.load(cache_dir=tmp_path).parse_sync("Hallo").intent.name == "greet"


def test_changed_data_is_retrained(tmp_path: Path) -> None:
    """A different data set gets a different cache entry and its own intents."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "nlu.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: affirm\n  examples: |\n    - ja\n    - jawohl\n'
        "- intent: deny\n  examples: |\n    - nein\n    - niemals\n",
        encoding="utf-8",
    )
    nlu = EmbeddedNlu.load(data_dir, cache_dir=tmp_path / "cache")
    assert set(nlu.intents) == {"affirm", "deny"}
    assert nlu.parse_sync("jawohl").intent.name == "affirm"


def test_training_without_examples_is_refused() -> None:
    """An empty data set is a configuration error, reported at start-up."""
    data = NluData()
    merge_document(data, {"nlu": [{"synonym": "x", "examples": "- y"}]})
    with pytest.raises(ValueError, match="no intent examples"):
        EmbeddedNlu.train(data)


def test_a_typo_in_a_generated_example_is_still_corrected(tmp_path: Path) -> None:
    """The knowledge base's phone-style questions carry typos; seeing one there (in the
    generated file) must not make it a known word, while a hand-written example does."""
    entities = (
        "- synonym: future_communities\n  examples: |\n    - Future Communities\n"
        "- lookup: programme\n  examples: |\n    - Future Communities\n"
    )
    base = 'version: "3.1"\nnlu:\n'
    greet = "- intent: greet\n  examples: |\n    - hallo\n    - guten tag\n"
    ask = "- intent: ask_knowledge\n  examples: |\n    - future comunities runde\n"
    for name, expected in ((GENERATED_NAME, [("programme", "future_communities")]), ("x.yml", [])):
        data_dir = tmp_path / name.replace(".", "_")
        data_dir.mkdir()
        (data_dir / "base.yml").write_text(base + entities + greet, encoding="utf-8")
        (data_dir / name).write_text(base + ask, encoding="utf-8")
        nlu = EmbeddedNlu.load(data_dir, use_cache=False)
        parsed = nlu.parse_sync("Läuft Future Comunities noch?")
        assert [(e.entity, e.value) for e in parsed.entities] == expected
