"""ParseResult: the Rasa /model/parse shape in both directions."""

from __future__ import annotations

from typing import Any

import pytest

from nlu.types import FALLBACK_INTENT, Entity, IntentScore, ParseResult

RASA_PAYLOAD: dict[str, Any] = {
    "text": "Was ist die DZK?",
    "intent": {"name": "ask_knowledge", "confidence": 0.93},
    "intent_ranking": [
        {"name": "ask_knowledge", "confidence": 0.93},
        {"name": "help", "confidence": 0.04},
    ],
    "entities": [
        {
            "entity": "programme",
            "start": 12,
            "end": 15,
            "value": "digitale_zukunftskommune",
            "extractor": "RegexEntityExtractor",
            "confidence_entity": 1.0,
            "processors": ["EntitySynonymMapper"],
        }
    ],
    "text_tokens": [[0, 3], [4, 7]],
    "response_selector": {},
}


def test_rasa_payload_round_trips_to_the_same_shape() -> None:
    """from_rasa keeps what we use; to_dict gives exactly Rasa's core keys back."""
    result = ParseResult.from_rasa(RASA_PAYLOAD)
    assert result.entity_values("programme") == ("digitale_zukunftskommune",)
    assert result.to_dict() == {
        "text": RASA_PAYLOAD["text"],
        "intent": RASA_PAYLOAD["intent"],
        "intent_ranking": RASA_PAYLOAD["intent_ranking"],
        "entities": [
            {
                "entity": "programme",
                "start": 12,
                "end": 15,
                "value": "digitale_zukunftskommune",
                "extractor": "RegexEntityExtractor",
            }
        ],
    }


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param({}, id="empty"),
        pytest.param({"text": "x", "intent": None}, id="null-intent"),
        pytest.param({"text": "x", "intent": {"confidence": 0.9}}, id="nameless-intent"),
        pytest.param({"text": "x", "intent": "greet"}, id="intent-as-string"),
    ],
)
def test_payload_without_usable_intent_is_unavailable(payload: dict[str, Any]) -> None:
    """No intent name means no answer: confidence 0, nothing ranked."""
    result = ParseResult.from_rasa(payload)
    assert result.intent == IntentScore(FALLBACK_INTENT, 0.0)
    assert result.intent_ranking == ()


def test_odd_fields_are_tolerated() -> None:
    """Wrong types in optional fields are dropped or defaulted, never raised."""
    result = ParseResult.from_rasa(
        {
            "text": 42,
            "intent": {"name": "greet", "confidence": "high"},
            "intent_ranking": [{"name": "greet", "confidence": 7}, "junk", {"name": None}],
            "entities": [{"entity": "topic", "value": 3, "start": "0"}, {"value": "x"}, None],
        }
    )
    assert result.text == ""
    assert result.intent == IntentScore("greet", 0.0)
    assert result.intent_ranking == (IntentScore("greet", 1.0),)
    assert result.entities == (Entity("topic", "3", 0, 0, ""),)


def test_unavailable_is_a_fallback_with_zero_confidence() -> None:
    """What a backend answers when it cannot parse."""
    result = ParseResult.unavailable("hallo")
    assert result.is_fallback
    assert result.to_dict() == {
        "text": "hallo",
        "intent": {"name": FALLBACK_INTENT, "confidence": 0.0},
        "intent_ranking": [],
        "entities": [],
    }
