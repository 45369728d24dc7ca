"""The embedded NLU backend: trains at start-up on the Rasa YAML files, parses in well under 2 ms.

Intents come from a logistic-regression classifier over word, bigram, char n-gram and entity-type
features; entities from lookup tables, synonyms and regexes (see :mod:`nlu.entities`). Like Rasa's
FallbackClassifier, a low or ambiguous top intent becomes ``nlu_fallback``.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nlu import cache, rasa_data
from nlu.cache import cache_key, default_cache_dir
from nlu.classifier import LinearClassifier, TrainingSettings
from nlu.entities import EntityMatcher
from nlu.features import Vocabulary, extract
from nlu.text import fold, tokenize
from nlu.types import FALLBACK_INTENT, Entity, IntentScore, ParseResult

logger = logging.getLogger(__name__)

CLASSIFY_CHARS = 300
"""The intent is decided on the first characters of a message (bounds the latency)."""
ENTITY_CHARS = 600
"""Entities are looked for in the first characters only."""


@dataclass(frozen=True)
class FallbackSettings:
    """Rasa FallbackClassifier semantics: fall back below ``threshold`` or when the top two
    intents are closer than ``ambiguity_threshold``."""

    threshold: float = 0.3
    ambiguity_threshold: float = 0.1


DEFAULT_FALLBACK = FallbackSettings()
DEFAULT_TRAINING = TrainingSettings()


class EmbeddedNlu:
    """In-process intent and entity recognition; satisfies :class:`nlu.types.NluBackend`."""

    def __init__(
        self,
        matcher: EntityMatcher,
        vocabulary: Vocabulary,
        classifier: LinearClassifier,
        fallback: FallbackSettings = DEFAULT_FALLBACK,
    ):
        self._matcher = matcher
        self._vocabulary = vocabulary
        self._classifier = classifier
        self._fallback = fallback

    @classmethod
    def load(
        cls,
        data_dir: Path = rasa_data.DATA_DIR,
        *,
        fallback: FallbackSettings = DEFAULT_FALLBACK,
        settings: TrainingSettings = DEFAULT_TRAINING,
        cache_dir: Path | None = None,
        use_cache: bool = True,
    ) -> EmbeddedNlu:
        """Read the NLU YAML files in ``data_dir`` and train on them, or reuse the weights
        cached for exactly these files (``cache_dir``, default :func:`default_cache_dir`)."""
        files = sorted(data_dir.glob("*.yml"))
        data = rasa_data.load_files(files)
        directory, key = cache_dir or default_cache_dir(), cache_key(files, settings)
        cached = cache.load(directory, key) if use_cache else None
        matcher = EntityMatcher.from_data(data)
        if cached is None:
            cached = _fit(data, matcher, settings)
            if use_cache:
                cache.store(directory, key, *cached)
        return cls(matcher, *cached, fallback)

    @classmethod
    def train(
        cls,
        data: rasa_data.NluData,
        *,
        fallback: FallbackSettings = DEFAULT_FALLBACK,
        settings: TrainingSettings = DEFAULT_TRAINING,
    ) -> EmbeddedNlu:
        """Train on already loaded NLU data (no cache)."""
        matcher = EntityMatcher.from_data(data)
        return cls(matcher, *_fit(data, matcher, settings), fallback)

    @property
    def intents(self) -> tuple[str, ...]:
        """The intents this backend can predict (besides ``nlu_fallback``)."""
        return self._classifier.labels

    def parse_sync(self, text: str) -> ParseResult:
        """Interpret one message synchronously.

        Non-ASCII text is NFC-normalised first; the result's ``text`` (and the entity spans)
        refer to the normalised text. Text without any known feature scores every intent alike
        and so falls back.
        """
        text = unicodedata.normalize("NFC", text) if not text.isascii() else text
        counts, entities = _features(self._matcher, text)
        vector = self._vocabulary.vector(counts)
        probabilities = self._classifier.probabilities(vector)
        order = np.argsort(-probabilities)
        ranking = tuple(
            IntentScore(self._classifier.labels[i], round(float(probabilities[i]), 6))
            for i in order
        )
        top = self._top_intent(ranking)
        if top.name == FALLBACK_INTENT:
            ranking = (top, *ranking)  # as Rasa's FallbackClassifier does
        return ParseResult(text, top, ranking, tuple(entities))

    async def parse(self, text: str) -> ParseResult:
        """Interpret one message (no I/O; runs inline)."""
        return self.parse_sync(text)

    def _top_intent(self, ranking: Sequence[IntentScore]) -> IntentScore:
        top = ranking[0]
        second = ranking[1].confidence if len(ranking) > 1 else 0.0
        low = top.confidence < self._fallback.threshold
        ambiguous = top.confidence - second < self._fallback.ambiguity_threshold
        return _fallback_score(self._fallback) if low or ambiguous else top


def _fit(
    data: rasa_data.NluData, matcher: EntityMatcher, settings: TrainingSettings
) -> tuple[Vocabulary, LinearClassifier]:
    if not data.examples:
        raise ValueError("no intent examples in the NLU data")
    counts = [_features(matcher, example.text)[0] for example in data.examples]
    vocabulary = Vocabulary.fit(counts)
    labels = tuple(sorted(data.intents()))
    targets = np.array([labels.index(e.intent) for e in data.examples], dtype=np.int64)
    vectors = [vocabulary.vector(c) for c in counts]
    classifier = LinearClassifier.fit(vectors, len(vocabulary), targets, labels, settings)
    logger.info("embedded NLU trained: %d examples, %d features", len(counts), len(vocabulary))
    return vocabulary, classifier


def _fallback_score(settings: FallbackSettings) -> IntentScore:
    # Rasa's FallbackClassifier reports the threshold as the fallback's confidence.
    return IntentScore(FALLBACK_INTENT, settings.threshold)


def _features(matcher: EntityMatcher, text: str) -> tuple[list[str], list[Entity]]:
    tokens = tokenize(fold(text[:ENTITY_CHARS]))
    entities = matcher.find(text[:ENTITY_CHARS], tokens)
    head = [t for t in tokens if t.end <= CLASSIFY_CHARS]
    entity_head = [e for e in entities if e.end <= CLASSIFY_CHARS]
    return extract(head, entity_head), entities
