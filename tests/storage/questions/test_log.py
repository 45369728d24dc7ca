"""QuestionLogRepository on both backends: outcome statistics, knowledge gaps, retention."""

from __future__ import annotations

import pytest

from storage import Database, QuestionLogRepository
from tests.storage.clock import START, ManualClock

ALICE, BOB = "a" * 64, "b" * 64


async def _log(
    database: Database,
    clock: ManualClock,
    *questions: tuple[str, str, str],
    user_key: str = ALICE,
) -> None:
    """Log (question, normalized, outcome) triples, one minute apart."""
    async with database.session() as session:
        log = QuestionLogRepository(session, clock)
        for question, normalized, outcome in questions:
            entry = None if outcome == "abstain" else "kb-entry"
            await log.record(user_key, question, normalized, outcome, entry, 0.5)  # type: ignore[arg-type]
            clock.advance(minutes=1)


async def test_record_stores_question_with_its_outcome(
    database: Database, clock: ManualClock
) -> None:
    async with database.session() as session:
        log = QuestionLogRepository(session, clock)
        await log.record(ALICE, "Was kostet OZG?", "ozg kosten", "answer", "ozg-1", 0.87)
    async with database.session() as session:
        (row,) = await QuestionLogRepository(session).for_user(ALICE)
    assert (row.question, row.normalized, row.outcome, row.entry_id) == (
        "Was kostet OZG?",
        "ozg kosten",
        "answer",
        "ozg-1",
    )
    assert row.confidence == pytest.approx(0.87)
    assert row.created_at == START


async def test_record_cuts_texts_to_500_characters(database: Database) -> None:
    async with database.session() as session:
        await QuestionLogRepository(session).record(ALICE, "ä" * 900, "a" * 600, "abstain", None, 0)
    async with database.session() as session:
        (row,) = await QuestionLogRepository(session).for_user(ALICE)
    assert (row.question, row.normalized) == ("ä" * 500, "a" * 500)


async def test_record_rejects_unknown_outcome(database: Database) -> None:
    async with database.session() as session:
        with pytest.raises(ValueError, match="outcome"):
            await QuestionLogRepository(session).record(ALICE, "?", "?", "maybe", None, 0)  # type: ignore[arg-type]


async def test_purge_removes_only_entries_older_than_cutoff(
    database: Database, clock: ManualClock
) -> None:
    await _log(database, clock, ("alt", "alt", "answer"), ("alt 2", "alt 2", "abstain"))
    cutoff = clock.advance(days=90)
    await _log(database, clock, ("neu", "neu", "answer"))
    async with database.session() as session:
        assert await QuestionLogRepository(session).purge_older_than(cutoff) == 2
    async with database.session() as session:
        remaining = await QuestionLogRepository(session).for_user(ALICE)
    assert [row.question for row in remaining] == ["neu"]


async def test_outcome_counts_list_every_outcome_and_honour_since(
    database: Database, clock: ManualClock
) -> None:
    await _log(database, clock, ("a", "a", "answer"), ("b", "b", "abstain"))
    since = clock.advance(hours=1)
    await _log(database, clock, ("c", "c", "answer"), ("d", "d", "answer"))
    async with database.session() as session:
        log = QuestionLogRepository(session)
        assert await log.outcome_counts() == {"answer": 3, "suggest": 0, "abstain": 1}
        assert await log.outcome_counts(since) == {"answer": 2, "suggest": 0, "abstain": 0}


async def test_for_user_returns_only_that_users_rows_oldest_first(
    database: Database, clock: ManualClock
) -> None:
    await _log(database, clock, ("erste", "erste", "answer"), ("zweite", "zweite", "suggest"))
    await _log(database, clock, ("fremd", "fremd", "answer"), user_key=BOB)
    async with database.session() as session:
        rows = await QuestionLogRepository(session).for_user(ALICE)
    assert [row.question for row in rows] == ["erste", "zweite"]


async def test_delete_for_user_removes_only_that_users_rows(
    database: Database, clock: ManualClock
) -> None:
    await _log(database, clock, ("a", "a", "answer"), ("b", "b", "abstain"))
    await _log(database, clock, ("c", "c", "answer"), user_key=BOB)
    async with database.session() as session:
        assert await QuestionLogRepository(session).delete_for_user(ALICE) == 2
    async with database.session() as session:
        log = QuestionLogRepository(session)
        assert await log.for_user(ALICE) == []
        assert len(await log.for_user(BOB)) == 1
