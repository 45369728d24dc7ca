"""NLU result types shared by every backend, shaped like Rasa's ``/model/parse`` answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

FALLBACK_INTENT = "nlu_fallback"

INTENTS: tuple[str, ...] = (
    "greet",
    "goodbye",
    "thanks",
    "help",
    "ask_knowledge",
    "start_check",
    "resume_check",
    "cancel",
    "list_events",
    "subscribe",
    "unsubscribe",
    "list_funding_calls",
    "privacy",
    "delete_data",
    "bot_challenge",
    "chitchat",
    "out_of_scope",
)
"""The intents every backend is trained on (``nlu_fallback`` comes on top)."""

ENTITY_TYPES: tuple[str, ...] = ("programme", "baustein", "topic")
"""The entity types; their values are normalised ids (see ``nlu/rasa/data/nlu/*.yml``)."""


@dataclass(frozen=True)
class Entity:
    """One extracted entity: type, normalised value and character span in the text."""

    entity: str
    value: str
    start: int
    end: int
    extractor: str = "embedded"

    def to_dict(self) -> dict[str, Any]:
        """Return the Rasa shape of this entity."""
        return {
            "entity": self.entity,
            "start": self.start,
            "end": self.end,
            "value": self.value,
            "extractor": self.extractor,
        }


@dataclass(frozen=True)
class IntentScore:
    """An intent name with its confidence in [0, 1]."""

    name: str
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        """Return the Rasa shape of this score."""
        return {"name": self.name, "confidence": self.confidence}


@dataclass(frozen=True)
class ParseResult:
    """The interpretation of one message: the top intent, the ranking and the entities."""

    text: str
    intent: IntentScore
    intent_ranking: tuple[IntentScore, ...]
    entities: tuple[Entity, ...]

    @property
    def is_fallback(self) -> bool:
        """True when no intent was recognised confidently (or the backend was unavailable)."""
        return self.intent.name == FALLBACK_INTENT

    def entity_values(self, entity: str) -> tuple[str, ...]:
        """Return the values of all entities of one type, in text order."""
        return tuple(e.value for e in self.entities if e.entity == entity)

    def to_dict(self) -> dict[str, Any]:
        """Return exactly the Rasa ``/model/parse`` shape."""
        return {
            "text": self.text,
            "intent": self.intent.to_dict(),
            "intent_ranking": [score.to_dict() for score in self.intent_ranking],
            "entities": [entity.to_dict() for entity in self.entities],
        }

    @classmethod
    def unavailable(cls, text: str) -> ParseResult:
        """Return "no intent, confidence 0": what a backend answers when it cannot parse."""
        return cls(text, IntentScore(FALLBACK_INTENT, 0.0), (), ())

    @classmethod
    def from_rasa(cls, payload: dict[str, Any]) -> ParseResult:
        """Build a result from a Rasa ``/model/parse`` payload, tolerating missing or odd fields."""
        text = payload.get("text")
        text = text if isinstance(text, str) else ""
        intent = _intent_score(payload.get("intent"))
        if intent is None:
            return cls.unavailable(text)
        ranking = tuple(
            score for score in map(_intent_score, _as_list(payload.get("intent_ranking"))) if score
        )
        entities = tuple(e for e in map(_entity, _as_list(payload.get("entities"))) if e)
        return cls(text, intent, ranking, entities)


class NluBackend(Protocol):
    """Anything that turns a message into a :class:`ParseResult`."""

    async def parse(self, text: str) -> ParseResult:
        """Interpret one message; never raises for bad input."""
        ...


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _intent_score(raw: Any) -> IntentScore | None:
    if not isinstance(raw, dict):
        return None
    name, confidence = raw.get("name"), raw.get("confidence")
    if not isinstance(name, str) or not name:
        return None
    if not isinstance(confidence, int | float) or isinstance(confidence, bool):
        confidence = 0.0
    return IntentScore(name, min(max(float(confidence), 0.0), 1.0))


def _entity(raw: Any) -> Entity | None:
    if not isinstance(raw, dict):
        return None
    entity, value = raw.get("entity"), raw.get("value")
    start, end = raw.get("start"), raw.get("end")
    if not isinstance(entity, str) or value is None:
        return None
    if not isinstance(start, int) or not isinstance(end, int):
        start, end = 0, 0
    extractor = raw.get("extractor")
    return Entity(entity, str(value), start, end, extractor if isinstance(extractor, str) else "")
