"""What the Förderradar needs from storage, as protocols (``bot.stores.funding`` has them)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from bot.features.funding.calls import CallDraft

HTML_MAX = 4096  # the stored announcement's limit (``announcements.html``)


class CallView(Protocol):
    """What rendering needs of a call (a draft or a stored one)."""

    @property
    def title(self) -> str: ...
    @property
    def deadline(self) -> date: ...
    @property
    def url(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def topic(self) -> str | None: ...
    @property
    def funder(self) -> str | None: ...
    @property
    def eligible(self) -> str | None: ...
    @property
    def amount(self) -> str | None: ...
    @property
    def stand(self) -> date | None: ...


class FundingStore(Protocol):
    """Calls, their announcements and radar subscriptions; one short transaction per call."""

    async def draft(self, draft: CallDraft, html: str, admin_chat_id: int) -> tuple[int, int]:
        """Store a call with its draft announcement: the announcement id and the recipients."""

    async def publish(
        self, announcement_id: int, today: date, control_message_id: int | None = None
    ) -> int | None:
        """Publish a drafted call to the radar's subscribers (progress shown on
        ``control_message_id``); ``None`` if no longer a draft."""

    async def cancel(self, announcement_id: int) -> bool:
        """Discard a drafted call; ``False`` if it was no draft."""

    async def open_calls(self, today: date, topic: str | None) -> Sequence[CallView]:
        """Calls still open today (for ``topic`` when given), by deadline."""

    async def recently_expired(self, today: date, topic: str | None) -> Sequence[CallView]:
        """Calls whose deadline passed lately (answered as past)."""

    async def subscribe(self, user_id: int, chat_id: int, topic: str | None) -> bool:
        """Subscribe to the radar (optionally one topic)."""

    async def unsubscribe(self, user_id: int) -> bool:
        """End the radar subscription."""

    async def subscription(self, user_id: int) -> tuple[bool, str | None]:
        """Whether subscribed, and to which topic."""
