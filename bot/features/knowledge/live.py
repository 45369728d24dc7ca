"""Content that changes without a restart: one swappable reference to the loaded knowledge.

Each version is an immutable :class:`Version` (entries, retriever and the knowledge feature
with its answer cache). An update grabs the reference once, so it is answered wholly by one
version; a reload loads, checks and indexes the files in a worker thread and then swaps the
reference in one assignment. Replicas sharing a database follow the content version row
(``digilotse kb reload`` or ``/neuladen`` raise it) by polling it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Protocol

from bot.dialogue.feature import Feature
from bot.dialogue.texts import Texts
from bot.dialogue.types import Incoming, Turn
from bot.features.editorial.feature import ReloadResult
from bot.features.knowledge.answers import KnowledgeFeature
from bot.features.knowledge.loading import Knowledge
from bot.features.knowledge.ports import FeedbackLog, PickLog, QuestionLog, RecentEntries
from knowledge.content import ContentError, Learned, load_checked
from knowledge.loader import KB_DIR, Problem
from knowledge.schema import Entry
from nlu.types import ParseResult

logger = logging.getLogger(__name__)
RELOAD_SWITCH_INTERVAL = 0.0005  # seconds; CPython's default is 0.005


@dataclass(frozen=True)
class Version:
    """One loaded content version: what every update reads from."""

    knowledge: Knowledge
    feature: KnowledgeFeature


class LiveKnowledge(Feature):
    """The knowledge feature of the current version; ``reload`` swaps in a new one."""

    intents: ClassVar[frozenset[str]] = KnowledgeFeature.intents
    button_kinds: ClassVar[frozenset[str]] = KnowledgeFeature.button_kinds

    def __init__(
        self,
        knowledge: Knowledge,
        build: Callable[[Knowledge], KnowledgeFeature],
        kb_dir: Path = KB_DIR,
        learned: Callable[[], Awaitable[Learned]] | None = None,
    ) -> None:
        self._build = build
        self._kb_dir = kb_dir
        self._learned = learned
        self._version = Version(knowledge, build(knowledge))
        self._reloading = asyncio.Lock()

    @property
    def version(self) -> Version:
        """The version being served now (read it once per update)."""
        return self._version

    @property
    def entries(self) -> dict[str, Entry]:
        """The entries of the version being served now."""
        return self._version.knowledge.entries

    async def on_intent(self, incoming: Incoming, parse: ParseResult) -> Turn:
        """Answer with the current version."""
        return await self._version.feature.on_intent(incoming, parse)

    async def on_button(self, incoming: Incoming, parts: tuple[str, ...]) -> Turn:
        """Handle a knowledge button with the current version."""
        return await self._version.feature.on_button(incoming, parts)

    async def reload(self) -> ReloadResult:
        """Load the files (and learned questions) again; on any blocking problem keep serving
        the old version."""
        async with self._reloading:
            started = time.perf_counter()
            learned = await self._learned() if self._learned is not None else {}
            try:
                with _responsive_loop():
                    knowledge, warnings = await asyncio.to_thread(self._load, learned)
            except ContentError as error:
                logger.warning("content reload refused: %d problems", len(error.problems))
                return ReloadResult(len(self.entries), _since(started), error.problems)
            self._version = Version(knowledge, self._build(knowledge))
            seconds = _since(started)
            logger.info("content reloaded: %d entries in %.2f s", len(knowledge.entries), seconds)
            return ReloadResult(len(knowledge.entries), seconds, warnings=warnings)

    def _load(self, learned: Learned) -> tuple[Knowledge, tuple[Problem, ...]]:
        checked = load_checked(self._kb_dir, learned=learned)
        entries = {entry.id: entry for entry in checked.entries}
        return Knowledge(entries=entries, retriever=checked.retriever), checked.warnings


class ContentVersions(Protocol):
    """The content version all replicas serve (``bot.stores.knowledge`` keeps it)."""

    async def current(self) -> int:
        """The version as stored now."""

    async def bump(self) -> int:
        """Raise the version (after a good reload here); the new one."""


class ContentReloader:
    """Reloads this replica on request and follows the version the other replicas raise.

    ``seen`` is the version read before the files were loaded at start (``None``: the first
    poll only records it), so a ``kb reload`` while the bot starts is not missed.
    """

    def __init__(
        self, live: LiveKnowledge, versions: ContentVersions, seen: int | None = None
    ) -> None:
        self.live = live
        self._versions = versions
        self._seen = seen

    @property
    def entries(self) -> Mapping[str, Entry]:
        """The entries being served now."""
        return self.live.entries

    def likely_entries(self, question: str, k: int) -> list[Entry]:
        """The ``k`` entries the current version finds most likely for ``question``."""
        return [
            scored.entry for scored in self.live.version.knowledge.retriever.search(question, k)
        ]

    async def reload_everywhere(self) -> ReloadResult:
        """Reload here; when that worked, raise the version so every other replica follows."""
        result = await self.live.reload()
        if result.ok:
            self._seen = await self._versions.bump()
        return result

    async def poll(self) -> ReloadResult | None:
        """Reload if another replica or ``kb reload`` raised the version since we last looked."""
        current = await self._versions.current()
        seen, self._seen = self._seen, current  # a refused version waits for the next request
        if seen is None or current <= seen:
            return None
        return await self.live.reload()


def live_knowledge(
    knowledge: Knowledge,
    texts: Texts,
    question_log: QuestionLog | None = None,
    feedback_log: FeedbackLog | None = None,
    kb_dir: Path = KB_DIR,
    recent: RecentEntries | None = None,
    picks: PickLog | None = None,
    learned: Callable[[], Awaitable[Learned]] | None = None,
) -> LiveKnowledge:
    """The swappable knowledge feature; every version gets the same texts, logs and memory of
    the entry each user saw last (an id that a reload may drop: then it is simply not found)."""

    def build(loaded: Knowledge) -> KnowledgeFeature:
        return KnowledgeFeature(
            loaded.entries,
            loaded.retriever,
            texts,
            question_log,
            feedback_log,
            recent=recent,
            picks=picks,
        )

    return LiveKnowledge(knowledge, build, kb_dir, learned)


@contextlib.contextmanager
def _responsive_loop() -> Iterator[None]:
    """While a worker thread builds the index, hand the GIL back to the event loop more often.

    The build is pure Python for a second; at CPython's default 5 ms switch interval every
    update waits in line behind it (p99 +317 ms in ``python -m bench reload``)."""
    default = sys.getswitchinterval()
    sys.setswitchinterval(RELOAD_SWITCH_INTERVAL)
    try:
        yield
    finally:
        sys.setswitchinterval(default)


def _since(started: float) -> float:
    return time.perf_counter() - started
