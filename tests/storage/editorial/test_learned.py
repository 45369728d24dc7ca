"""The /luecken queue and learned questions on both backends."""

from __future__ import annotations

from sqlalchemy import select

from storage import Database, QuestionLogRepository
from storage.editorial.learned import GapQueueRepository, LearnedRepository
from storage.editorial.repository import PickRepository
from storage.models import QuestionLogEntry
from tests.storage.clock import ManualClock

ALICE, BOB = "a" * 64, "b" * 64


async def _ask(database: Database, clock: ManualClock, *rows: tuple[str, str, str]) -> None:
    async with database.session() as session:
        log = QuestionLogRepository(session, clock)
        for user, question, outcome in rows:
            await log.record(user, question, question.lower(), outcome, None, 0.1)  # type: ignore[arg-type]


async def test_open_groups_hold_abstained_and_corrected_questions_until_decided(
    database: Database, clock: ManualClock
) -> None:
    """Abstentions and picked suggestions are open; an answered question is not; a decision
    takes a group off the queue."""
    await _ask(
        database,
        clock,
        (ALICE, "Wetter?", "abstain"),
        (BOB, "Wetter?", "abstain"),
        (ALICE, "Gut beantwortet", "answer"),
        (BOB, "Meinten Sie", "suggest"),
    )
    async with database.session() as session:
        await PickRepository(session, clock).record_pick(BOB, "ozg")
    async with database.session() as session:
        groups = {g.normalized: g for g in await GapQueueRepository(session).open_groups()}
    assert {k: (g.count, g.picked) for k, g in groups.items()} == {
        "wetter?": (2, ()),
        "meinten sie": (1, ("ozg",)),
    }
    async with database.session() as session:
        await GapQueueRepository(session, clock).decide(["wetter?"], "ignore")
    async with database.session() as session:
        assert [g.normalized for g in await GapQueueRepository(session).open_groups()] == [
            "meinten sie"
        ]


async def test_accepted_questions_are_pending_once_until_exported(
    database: Database, clock: ManualClock
) -> None:
    """The same pair is stored once; exported rows are no longer pending."""
    async with database.session() as session:
        learned = LearnedRepository(session, clock)
        await learned.accept("Wetter?", "ozg")
        await learned.accept("Wetter?", "ozg")
        pending = await learned.pending()
        assert [(r.question, r.entry_id) for r in pending] == [("Wetter?", "ozg")]
        assert await learned.mark_exported([r.id for r in pending]) == 1
        assert await learned.pending() == []


async def test_a_question_row_is_found_by_id_until_it_is_purged(
    database: Database, clock: ManualClock
) -> None:
    """The button's id resolves to the wording; a purged row resolves to ``None``."""
    await _ask(database, clock, (ALICE, "Wetter?", "abstain"))
    async with database.session() as session:
        row_id = await session.scalar(select(QuestionLogEntry.id))
        assert row_id is not None
        assert await GapQueueRepository(session).question(row_id) == ("Wetter?", "wetter?")
        await QuestionLogRepository(session).purge_older_than(clock.advance(days=1))
        assert await GapQueueRepository(session).question(row_id) is None
