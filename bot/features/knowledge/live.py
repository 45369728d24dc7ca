"""Content that changes without a restart: one swappable reference to the loaded knowledge.

Each version is an immutable :class:`Version` (entries, retriever and the knowledge feature
with its answer cache). An update grabs the reference once, so it is answered wholly by one
version; a reload loads, checks and indexes the files in a separate process (so the build does
not hold this process's GIL while other users wait for replies), unpickles the result in a
worker thread and then swaps the reference in one assignment. The build process is started
ahead of the first reload (:func:`start_build_process`, which also builds once, so the first
reload reuses what did not change, as every later one does) and ends with the bot, also after
``kill -9``. Replicas sharing a database follow the content version row (``digilotse kb reload``
or ``/neuladen`` raise it) by polling it.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import multiprocessing
import sys
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import ClassVar, Protocol

from bot.dialogue.feature import Feature
from bot.dialogue.texts import Texts
from bot.dialogue.types import Incoming, Turn
from bot.features.editorial.feature import ReloadResult
from bot.features.knowledge.answers import KnowledgeFeature
from bot.features.knowledge.loading import Knowledge
from bot.features.knowledge.ports import FeedbackLog, PickLog, QuestionLog, RecentEntries
from knowledge.content import (
    CheckedContent,
    ContentError,
    Learned,
    checked_pickle,
    exit_with_parent,
    load_checked,
    unpack,
    warm_up,
)
from knowledge.loader import KB_DIR
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

    def start_build_process(self) -> None:
        """Start the build process for this content ahead of the first reload."""
        start_build_process(self._kb_dir)

    async def reload(self) -> ReloadResult:
        """Load the files (and learned questions) again; on any blocking problem keep serving
        the old version."""
        async with self._reloading:
            started = time.perf_counter()
            learned = await self._learned() if self._learned is not None else {}
            try:
                checked = await self._checked(learned)
            except ContentError as error:
                logger.warning("content reload refused: %d problems", len(error.problems))
                return ReloadResult(len(self.entries), _since(started), error.problems)
            entries = {entry.id: entry for entry in checked.entries}
            knowledge = Knowledge(entries=entries, retriever=checked.retriever)
            self._version = Version(knowledge, self._build(knowledge))
            keep_out_of_collections()
            seconds = _since(started)
            logger.info("content reloaded: %d entries in %.2f s", len(entries), seconds)
            return ReloadResult(len(entries), seconds, warnings=checked.warnings)

    async def _checked(self, learned: Learned) -> CheckedContent:
        """Load, check and index in the build process; if it died, in a thread instead."""
        plain = {entry_id: list(questions) for entry_id, questions in learned.items()}
        loop = asyncio.get_running_loop()
        try:
            data = await loop.run_in_executor(_build_pool(), checked_pickle, self._kb_dir, plain)
        except BrokenProcessPool:  # e.g. out of memory: once more, in-process
            logger.exception("content build process failed; building in a thread")
            _build_pool.cache_clear()
            with _responsive_loop():
                return await asyncio.to_thread(load_checked, self._kb_dir, learned=plain)
        return await unpickle_content(data)


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

    def start_build_process(self) -> None:
        """Start the build process ahead of the first reload (see :func:`start_build_process`)."""
        self.live.start_build_process()

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


async def unpickle_content(parts: list[bytes]) -> CheckedContent:
    """The checked content the build process sent, unpickled part by part in a worker thread."""
    started = time.perf_counter()
    with _responsive_loop():
        checked = await asyncio.to_thread(_unpack_uncollected, parts)
    size = sum(len(part) for part in parts) // 1024
    logger.info("content unpickled in %.0f ms (%d kB)", _since(started) * 1000, size)
    return checked


def _unpack_uncollected(parts: list[bytes]) -> CheckedContent:
    """Unpickle with the cyclic collector paused. The new index is tens of thousands of
    long-lived objects: made with the collector on, they set off full collections of the whole
    heap, 50–80 ms each with the GIL held (measured in ``bench reload``), that stall every
    other user; after the swap they are frozen out of its reach (``keep_out_of_collections``)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return unpack(parts)
    finally:
        if enabled:
            gc.enable()


def keep_out_of_collections() -> None:
    """Move everything alive now (modules, the content being served) to the collector's
    permanent generation: later full collections scan only what was made since. Objects are
    still freed by reference counting (an old version after a swap); only reference cycles
    alive at this moment would stay, and the content has none."""
    gc.freeze()


@cache
def _build_pool() -> ProcessPoolExecutor:
    # spawn: a fresh interpreter, never a fork of a process with an event loop and threads; one
    # worker kept warm (its imports take a second) and reused by every reload
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(1, mp_context=context, initializer=exit_with_parent)


def start_build_process(kb_dir: Path = KB_DIR) -> None:
    """Start the build process in the background (its spawn and imports take a second) and let
    it build ``kb_dir`` once, so the first reload waits for neither and reuses what did not
    change; nothing happens when it was started already."""
    if not _build_pool.cache_info().currsize:
        _build_pool().submit(warm_up, kb_dir)  # not awaited: the bot goes on meanwhile


def close_build_pool() -> None:
    """Stop the build process (at shutdown; the next reload starts a new one).

    A build still queued is cancelled, one running is waited for; no process is left behind.
    """
    if _build_pool.cache_info().currsize:
        _build_pool().shutdown(wait=True, cancel_futures=True)
        _build_pool.cache_clear()


@contextlib.contextmanager
def _responsive_loop() -> Iterator[None]:
    """While a worker thread unpickles (or builds) the index, hand the GIL back to the event
    loop more often: at CPython's default 5 ms switch interval every update waits in line
    behind it (building in a thread: p99 +317 ms in ``python -m bench reload``)."""
    default = sys.getswitchinterval()
    sys.setswitchinterval(RELOAD_SWITCH_INTERVAL)
    try:
        yield
    finally:
        sys.setswitchinterval(default)


def _since(started: float) -> float:
    return time.perf_counter() - started
