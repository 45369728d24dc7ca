"""What the check needs from storage, as protocols (``bot.stores.check`` implements them).

The records are read-only views: storage's frozen dataclasses satisfy them as they are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, TypedDict, Unpack

if TYPE_CHECKING:
    from bot.features.check.result import CheckOutcome

MUNICIPALITY_MAX_CHARS = 80  # the stored name's limit (``check_sessions.municipality``)


class CheckAlreadyOpenError(Exception):
    """The user already has an unfinished check."""


class CheckSession(Protocol):
    """One check session as stored: where the user is and what they chose."""

    @property
    def id(self) -> int: ...
    @property
    def telegram_user_id(self) -> int: ...
    @property
    def status(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def position(self) -> int: ...
    @property
    def municipality(self) -> str | None: ...
    @property
    def context(self) -> dict[str, Any]: ...
    @property
    def updated_at(self) -> datetime: ...


class StoredResult(Protocol):
    """A finished check's stored result (for the trend, peers and the export)."""

    @property
    def session_id(self) -> int: ...
    @property
    def municipality(self) -> str: ...
    @property
    def municipality_key(self) -> str: ...
    @property
    def size_class(self) -> int | None: ...
    @property
    def version(self) -> str: ...
    @property
    def overall(self) -> float | None: ...
    @property
    def level(self) -> int | None: ...
    @property
    def dimensions(self) -> Mapping[str, float | None]: ...
    @property
    def finished_at(self) -> datetime: ...
    @property
    def targets(self) -> Mapping[str, int] | None: ...


class RecheckReminder(Protocol):
    """A due re-check question: who, where, and which result it follows."""

    @property
    def session_id(self) -> int: ...
    @property
    def municipality(self) -> str: ...
    @property
    def finished_at(self) -> datetime: ...


class SessionChanges(TypedDict, total=False):
    """What a move may save with the position: the context, the name, and the ``seen`` guard
    (the session must still be as last read)."""

    context: dict[str, Any] | None
    municipality: str | None
    seen: datetime | None


class CheckStore(Protocol):
    """Sessions, answers and results; one short transaction per call."""

    async def start(self, user_id: int, chat_id: int, version: str) -> CheckSession:
        """A new session; :class:`CheckAlreadyOpenError` if one is unfinished."""

    async def get(self, session_id: int) -> CheckSession | None:
        """The session by id."""

    async def unfinished(self, user_id: int) -> CheckSession | None:
        """The user's open or paused session."""

    async def answers(self, session_id: int) -> dict[str, int | None]:
        """All answers of a session."""

    async def answer(
        self, session_id: int, expected: int, position: int, question_id: str, score: int | None
    ) -> bool:
        """Record an answer and move on, atomically; ``False`` if the position had changed."""

    async def move(
        self, session_id: int, expected: int, position: int, **changes: Unpack[SessionChanges]
    ) -> bool:
        """Move to ``position`` if the session is still at ``expected`` (and as last ``seen``)."""

    async def set_status(self, session_id: int, status: str) -> bool:
        """Pause, resume or cancel an unfinished session."""

    async def finish(
        self, check: CheckSession, expected: int, outcome: CheckOutcome, recheck_at: datetime
    ) -> bool:
        """Close the session (saving the outcome's context), store the outcome and plan the
        re-check question, at once."""

    async def decline_recheck(self, user_id: int, session_id: int) -> bool:
        """The user declined the re-check after ``session_id``."""

    async def results(
        self, *, municipality_key: str | None = None, size_class: int | None = None
    ) -> Sequence[StoredResult]:
        """Stored results, oldest first."""
