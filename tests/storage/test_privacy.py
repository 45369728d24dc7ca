"""DSGVO: pseudonyms, and export and erasure of everything stored about one user."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from storage import (
    Database,
    FeedbackRepository,
    QuestionLogRepository,
    StateRepository,
    UserRepository,
)
from storage.check.records import CheckResultRecord
from storage.check.reminders import CheckReminderRepository
from storage.check.repository import CheckRepository
from storage.events.repository import EventRepository
from storage.funding.repository import FundingRepository
from storage.privacy import delete_user_data, export_user_data, pseudonym

from .clock import START, ManualClock

SECRET = "geheim"
ALICE, BOB = 42, 7_000_000_001
EMPTY_EXPORT: dict[str, object] = {
    "user": None,
    "conversation_state": None,
    "question_log": [],
    "feedback": [],
    "question_picks": [],
    "checks": [],
    "check_reminder": None,
    "event_subscription": False,
    "event_rsvps": [],
    "radar_subscription": None,
}


async def _store_everything(database: Database, clock: ManualClock, telegram_user_id: int) -> None:
    """A user with a state, two questions, a vote, a finished check, subscriptions and an RSVP."""
    key = pseudonym(telegram_user_id, SECRET)
    async with database.session() as session:
        await UserRepository(session, clock).touch(telegram_user_id, telegram_user_id)
        await StateRepository(session, clock).save(telegram_user_id, {"flow": "check", "step": 2})
        log = QuestionLogRepository(session, clock)
        await log.record(key, "Was ist OZG?", "ozg", "answer", "ozg", 0.9)
        await log.record(key, "Wo ist Förderung?", "foerderung", "abstain", None, 0.1)
        await FeedbackRepository(session, clock).vote(key, "ozg", 1)
        checks = CheckRepository(session)
        check = await checks.start(telegram_user_id, "2025.1")
        await checks.answer(check.id, "strategie_1", 3)
        await checks.set_status(check.id, "finished")
        dimensions: dict[str, float | None] = {"strategie": 3.0}
        result = CheckResultRecord(check.id, "Ulm", "ulm", 2, "2025.1", 3.0, 3, dimensions, START)
        await checks.save_result(result)
        await CheckReminderRepository(session).schedule(
            telegram_user_id, telegram_user_id, check.id, START + timedelta(days=365)
        )
        events = EventRepository(session, clock)
        await events.set_subscription(telegram_user_id, telegram_user_id, True)
        event = await events.add_event("Treffen", START + timedelta(days=3), "Ulm", "", [])
        await events.set_rsvp(telegram_user_id, telegram_user_id, event.id, True)
        await FundingRepository(session, clock).subscribe(
            telegram_user_id, telegram_user_id, "breitband"
        )


def test_pseudonym_is_hmac_sha256_hex_of_the_user_id() -> None:
    # printf 42 | openssl dgst -sha256 -hmac geheim
    expected = "27c5a4afc37566fb2d0816b48c0352db78bdf31654438e2bb56f11c90564d0ec"
    assert pseudonym(42, SECRET) == expected


def test_pseudonym_depends_on_user_and_secret() -> None:
    keys = {pseudonym(42, SECRET), pseudonym(43, SECRET), pseudonym(42, "anderes")}
    assert len(keys) == 3


def test_pseudonym_refuses_empty_secret() -> None:
    with pytest.raises(ValueError, match="secret"):
        pseudonym(42, "")


async def test_export_contains_everything_stored_about_user(
    database: Database, clock: ManualClock
) -> None:
    await _store_everything(database, clock, ALICE)
    await _store_everything(database, clock, BOB)
    async with database.session() as session:
        export = await export_user_data(session, ALICE, SECRET)
    assert json.loads(json.dumps(export)) == export  # JSON-serialisable as it is
    assert export["user"] == {
        "telegram_user_id": ALICE,
        "chat_id": ALICE,
        "is_active": True,
        "created_at": START.isoformat(),
        "last_seen_at": START.isoformat(),
    }
    assert export["conversation_state"] == {"flow": "check", "step": 2}
    assert [q["question"] for q in export["question_log"]] == ["Was ist OZG?", "Wo ist Förderung?"]
    assert export["question_log"][1]["outcome"] == "abstain"
    assert [(f["entry_id"], f["vote"]) for f in export["feedback"]] == [("ozg", 1)]
    assert [c["answers"] for c in export["checks"]] == [{"strategie_1": 3}]
    assert export["checks"][0]["result"] == {
        "municipality": "Ulm",
        "size_class": 2,
        "version": "2025.1",
        "overall": 3.0,
        "level": 3,
        "dimensions": {"strategie": 3.0},
        "targets": None,
        "finished_at": START.isoformat(),
    }
    due = (START + timedelta(days=365)).isoformat()
    assert export["check_reminder"] == {"due_at": due, "sent_at": None}
    assert export["event_subscription"] is True
    [rsvp] = export["event_rsvps"]
    assert (rsvp["title"], rsvp["attending"]) == ("Treffen", True)
    assert rsvp["updated_at"] == START.isoformat()
    radar = {"topic": "breitband", "active": True, "updated_at": START.isoformat()}
    assert export["radar_subscription"] == radar


async def test_export_of_unknown_user_is_empty(database: Database) -> None:
    async with database.session() as session:
        export = await export_user_data(session, ALICE, SECRET)
    assert export == EMPTY_EXPORT


async def test_delete_removes_all_rows_of_user_and_nothing_else(
    database: Database, clock: ManualClock
) -> None:
    await _store_everything(database, clock, ALICE)
    await _store_everything(database, clock, BOB)
    async with database.session() as session:
        deleted = await delete_user_data(session, ALICE, SECRET)
    assert deleted == {
        "users": 1,
        "conversation_states": 1,
        "question_log": 2,
        "question_picks": 0,
        "feedback": 1,
        "check_sessions": 1,
        "check_answers": 1,
        "check_results": 1,
        "check_reminders": 1,
        "subscriptions": 1,
        "rsvps": 1,
        "outbox": 0,
        "radar_subscriptions": 1,
    }
    async with database.session() as session:
        assert await export_user_data(session, ALICE, SECRET) == EMPTY_EXPORT
        bob = await export_user_data(session, BOB, SECRET)
    assert bob["user"] is not None
    assert bob["conversation_state"] is not None
    assert (len(bob["question_log"]), len(bob["feedback"])) == (2, 1)


async def test_delete_of_unknown_user_deletes_nothing(database: Database) -> None:
    async with database.session() as session:
        deleted = await delete_user_data(session, ALICE, SECRET)
    assert set(deleted.values()) == {0}
