"""Funding calls and radar subscriptions (the Förderradar's storage)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage._sql import affected_rows, upsert
from storage.funding.models import FundingCall, RadarSubscription
from storage.models import User
from storage.types import Clock, utcnow
from storage.users import UserRepository

_CALL_COLUMNS = (
    FundingCall.id,
    FundingCall.title,
    FundingCall.description,
    FundingCall.url,
    FundingCall.topic,
    FundingCall.deadline,
    FundingCall.status,
    FundingCall.admin_chat_id,
    FundingCall.funder,
    FundingCall.eligible,
    FundingCall.amount,
    FundingCall.stand,
)


@dataclass(frozen=True)
class FundingCallRecord:
    """A stored funding call; ``deadline`` is the last Berlin day to apply, ``stand`` the date
    of the information."""

    id: int
    title: str
    description: str
    url: str
    topic: str | None
    deadline: date
    status: str
    admin_chat_id: int
    funder: str | None = None
    eligible: str | None = None
    amount: str | None = None
    stand: date | None = None


@dataclass(frozen=True)
class NewCall:
    """What an admin entered for a call (the details are optional)."""

    title: str
    description: str
    url: str
    topic: str | None
    deadline: date
    funder: str | None = None
    eligible: str | None = None
    amount: str | None = None
    stand: date | None = None


def _call(row: Any) -> FundingCallRecord:
    return FundingCallRecord(*tuple(row))


def radar_recipients(topic: str | None) -> Select[int, int]:
    """Active radar subscribers for a call of ``topic`` (those of every topic, and of this one)
    whose user has not blocked the bot: ``(users.id, chat_id)``."""
    wanted: ColumnElement[bool] = RadarSubscription.topic.is_(None)
    if topic is not None:
        wanted = or_(wanted, RadarSubscription.topic == topic)
    return (
        select(User.id, User.chat_id)
        .join(RadarSubscription, RadarSubscription.user_id == User.id)
        .where(RadarSubscription.is_active.is_(True), User.is_active.is_(True), wanted)
    )


class FundingRepository:
    """Funding calls and who follows them."""

    def __init__(self, session: AsyncSession, clock: Clock = utcnow) -> None:
        self._session = session
        self._clock = clock

    async def add_call(self, new: NewCall, admin_chat_id: int) -> FundingCallRecord:
        """Store a draft call (not public until :meth:`publish`)."""
        row = FundingCall(
            title=new.title,
            description=new.description,
            url=new.url,
            topic=new.topic,
            deadline=new.deadline,
            funder=new.funder,
            eligible=new.eligible,
            amount=new.amount,
            stand=new.stand,
            status="draft",
            admin_chat_id=admin_chat_id,
            created_at=self._clock(),
        )
        self._session.add(row)
        await self._session.flush()
        fields = (new.title, new.description, new.url, new.topic, new.deadline)
        details = (new.funder, new.eligible, new.amount, new.stand)
        return FundingCallRecord(row.id, *fields, "draft", admin_chat_id, *details)

    async def get_call(
        self, call_id: int, *, published_only: bool = True
    ) -> FundingCallRecord | None:
        """One call; a draft or cancelled one only with ``published_only=False``."""
        query = select(*_CALL_COLUMNS).where(FundingCall.id == call_id)
        if published_only:
            query = query.where(FundingCall.status == "published")
        row = (await self._session.execute(query)).one_or_none()
        return None if row is None else _call(row)

    async def publish(
        self, call_id: int, today: date, lead_days: int, *, announced: bool = True
    ) -> bool:
        """``draft → published``; ``False`` if it was no draft. A deadline within the reminder
        lead needs no separate reminder when the announcement names it: claimed at once
        (not for a call published without an announcement)."""
        now = self._clock()
        values: dict[str, Any] = {"status": "published", "opens_at": now}
        claim = update(FundingCall).where(FundingCall.id == call_id, FundingCall.status == "draft")
        if await affected_rows(self._session, claim.values(**values)) == 0:
            return False
        if not announced:
            return True
        soon = update(FundingCall).where(
            FundingCall.id == call_id, FundingCall.deadline <= today + timedelta(days=lead_days)
        )
        await self._session.execute(soon.values(reminder_claimed_at=now))
        return True

    async def cancel(self, call_id: int) -> bool:
        """``draft → cancelled``; ``False`` if it was no draft."""
        stmt = update(FundingCall).where(FundingCall.id == call_id, FundingCall.status == "draft")
        return await affected_rows(self._session, stmt.values(status="cancelled")) > 0

    async def open_calls(self, today: date, topic: str | None = None) -> list[FundingCallRecord]:
        """Published calls whose deadline is today or later, nearest deadline first."""
        query = select(*_CALL_COLUMNS).where(
            FundingCall.status == "published", FundingCall.deadline >= today
        )
        if topic is not None:
            query = query.where(FundingCall.topic == topic)
        rows = await self._session.execute(query.order_by(FundingCall.deadline, FundingCall.id))
        return [_call(row) for row in rows]

    async def recently_expired(
        self, today: date, days: int, topic: str | None = None
    ) -> list[FundingCallRecord]:
        """Published calls whose deadline passed within the last ``days`` days, latest first."""
        query = select(*_CALL_COLUMNS).where(
            FundingCall.status == "published",
            FundingCall.deadline < today,
            FundingCall.deadline >= today - timedelta(days=days),
        )
        if topic is not None:
            query = query.where(FundingCall.topic == topic)
        order = (FundingCall.deadline.desc(), FundingCall.id.desc())
        return [_call(row) for row in await self._session.execute(query.order_by(*order))]

    async def all_calls(self) -> list[FundingCallRecord]:
        """Every call in any status, by deadline (for the command line)."""
        query = select(*_CALL_COLUMNS).order_by(FundingCall.deadline, FundingCall.id)
        return [_call(row) for row in await self._session.execute(query)]

    async def exists(self, title: str, deadline: date) -> bool:
        """Whether a draft or published call has this title and deadline."""
        query = select(FundingCall.id).where(
            FundingCall.title == title,
            FundingCall.deadline == deadline,
            FundingCall.status != "cancelled",
        )
        return (await self._session.scalar(query.limit(1))) is not None

    async def reminders_due(self, today: date, lead_days: int) -> list[FundingCallRecord]:
        """Published open calls within ``lead_days`` of their deadline, reminder not yet claimed."""
        query = select(*_CALL_COLUMNS).where(
            FundingCall.status == "published",
            FundingCall.reminder_claimed_at.is_(None),
            FundingCall.deadline >= today,
            FundingCall.deadline <= today + timedelta(days=lead_days),
        )
        rows = await self._session.execute(query.order_by(FundingCall.deadline, FundingCall.id))
        return [_call(row) for row in rows]

    async def count_recipients(self, topic: str | None) -> int:
        """How many subscribers a call of ``topic`` would reach now."""
        query = select(func.count()).select_from(radar_recipients(topic).subquery())
        return int(await self._session.scalar(query) or 0)

    async def claim_reminder(self, call_id: int) -> bool:
        """Claim a call's deadline reminder; ``False`` if it was claimed before."""
        stmt = update(FundingCall).where(
            FundingCall.id == call_id, FundingCall.reminder_claimed_at.is_(None)
        )
        return (
            await affected_rows(self._session, stmt.values(reminder_claimed_at=self._clock())) > 0
        )

    async def subscription(self, telegram_user_id: int) -> tuple[bool, str | None]:
        """Whether the user follows the radar, and for which topic (``None``: every topic)."""
        query = (
            select(RadarSubscription.topic)
            .join(User, User.id == RadarSubscription.user_id)
            .where(User.telegram_user_id == telegram_user_id, RadarSubscription.is_active.is_(True))
        )
        row = (await self._session.execute(query)).one_or_none()
        return (False, None) if row is None else (True, row.topic)

    async def subscribe(self, telegram_user_id: int, chat_id: int, topic: str | None) -> bool:
        """Follow the radar (for ``topic`` or everything); ``True`` if that changed anything."""
        before = await self.subscription(telegram_user_id)
        await UserRepository(self._session, self._clock).touch(telegram_user_id, chat_id)
        user = await self._user_pk(telegram_user_id)
        values = {"user_id": user, "topic": topic, "is_active": True, "updated_at": self._clock()}
        columns = ["topic", "is_active", "updated_at"]
        await upsert(self._session, RadarSubscription, values, ["user_id"], columns)
        return before != (True, topic)

    async def unsubscribe(self, telegram_user_id: int) -> bool:
        """Stop following the radar; ``True`` if the user followed it."""
        user = await self._user_pk(telegram_user_id)
        stmt = update(RadarSubscription).where(
            RadarSubscription.user_id == user, RadarSubscription.is_active.is_(True)
        )
        values = {"is_active": False, "updated_at": self._clock()}
        return await affected_rows(self._session, stmt.values(**values)) > 0

    async def export(self, telegram_user_id: int) -> dict[str, Any] | None:
        """The user's radar subscription for /meinedaten (``None`` if there never was one)."""
        query = (
            select(
                RadarSubscription.topic, RadarSubscription.is_active, RadarSubscription.updated_at
            )
            .join(User, User.id == RadarSubscription.user_id)
            .where(User.telegram_user_id == telegram_user_id)
        )
        row = (await self._session.execute(query)).one_or_none()
        if row is None:
            return None
        when: datetime = row.updated_at
        return {"topic": row.topic, "active": row.is_active, "updated_at": when.isoformat()}

    async def _user_pk(self, telegram_user_id: int) -> int | None:
        query = select(User.id).where(User.telegram_user_id == telegram_user_id)
        return await self._session.scalar(query)
