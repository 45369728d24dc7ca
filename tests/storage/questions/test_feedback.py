"""FeedbackRepository on both backends: one vote per user and entry, and the summary."""

from __future__ import annotations

import pytest

from storage import Database, EntryVotes, FeedbackRecord, FeedbackRepository
from tests.storage.clock import START, ManualClock

ALICE, BOB, CAROL = "a" * 64, "b" * 64, "c" * 64


async def _votes(database: Database, *votes: tuple[str, str, int]) -> None:
    async with database.session() as session:
        feedback = FeedbackRepository(session)
        for user_key, entry_id, vote in votes:
            await feedback.vote(user_key, entry_id, vote)  # type: ignore[arg-type]


async def test_vote_again_changes_vote_instead_of_adding(
    database: Database, clock: ManualClock
) -> None:
    async with database.session() as session:
        await FeedbackRepository(session, clock).vote(ALICE, "ozg", 1)
    later = clock.advance(hours=2)
    async with database.session() as session:
        await FeedbackRepository(session, clock).vote(ALICE, "ozg", -1)
    async with database.session() as session:
        feedback = FeedbackRepository(session)
        assert await feedback.for_user(ALICE) == [FeedbackRecord("ozg", -1, START, later)]
        summary = await feedback.summary()
    assert (summary.up, summary.down) == (0, 1)


@pytest.mark.parametrize("vote", [0, 2, -2])
async def test_vote_rejects_values_other_than_plus_or_minus_one(
    database: Database, vote: int
) -> None:
    async with database.session() as session:
        with pytest.raises(ValueError, match="vote"):
            await FeedbackRepository(session).vote(ALICE, "ozg", vote)  # type: ignore[arg-type]


async def test_summary_counts_votes_and_ranks_entries(database: Database) -> None:
    await _votes(
        database,
        (ALICE, "ozg", 1),
        (BOB, "ozg", 1),
        (CAROL, "ozg", -1),
        (ALICE, "wlan", -1),
        (BOB, "wlan", -1),
        (ALICE, "akte", 1),
    )
    async with database.session() as session:
        summary = await FeedbackRepository(session).summary()
    assert (summary.up, summary.down) == (3, 3)
    assert summary.top_up == (EntryVotes("ozg", 2, 1), EntryVotes("akte", 1, 0))
    assert summary.top_down == (EntryVotes("wlan", 0, 2), EntryVotes("ozg", 2, 1))


async def test_summary_limits_the_top_lists(database: Database) -> None:
    await _votes(database, (ALICE, "a", 1), (BOB, "a", 1), (ALICE, "b", 1), (ALICE, "c", -1))
    async with database.session() as session:
        summary = await FeedbackRepository(session).summary(limit=1)
    assert (summary.top_up, summary.top_down) == (
        (EntryVotes("a", 2, 0),),
        (EntryVotes("c", 0, 1),),
    )


async def test_summary_without_votes_is_empty(database: Database) -> None:
    async with database.session() as session:
        summary = await FeedbackRepository(session).summary()
    assert (summary.up, summary.down, summary.top_up, summary.top_down) == (0, 0, (), ())


async def test_for_user_lists_only_that_users_votes(database: Database) -> None:
    await _votes(database, (ALICE, "ozg", 1), (ALICE, "wlan", -1), (BOB, "ozg", -1))
    async with database.session() as session:
        votes = await FeedbackRepository(session).for_user(ALICE)
    assert sorted((vote.entry_id, vote.vote) for vote in votes) == [("ozg", 1), ("wlan", -1)]


async def test_delete_for_user_removes_only_that_users_votes(database: Database) -> None:
    await _votes(database, (ALICE, "ozg", 1), (ALICE, "wlan", -1), (BOB, "ozg", -1))
    async with database.session() as session:
        assert await FeedbackRepository(session).delete_for_user(ALICE) == 2
    async with database.session() as session:
        summary = await FeedbackRepository(session).summary()
    assert (summary.up, summary.down) == (0, 1)


async def test_worst_rated_orders_by_up_share_then_down_votes_and_skips_single_votes(
    database: Database,
) -> None:
    """Equal 0 % shares: more 👎 first; a 50 % entry comes later; one vote is too few."""
    await _votes(
        database,
        (ALICE, "a", -1),
        (BOB, "a", -1),
        (CAROL, "a", -1),
        (ALICE, "b", -1),
        (BOB, "b", -1),
        (ALICE, "c", 1),
        (BOB, "c", -1),
        (ALICE, "d", -1),
    )
    async with database.session() as session:
        worst = await FeedbackRepository(session).worst_rated(min_votes=2, limit=2)
    assert worst == (EntryVotes("a", 0, 3), EntryVotes("b", 0, 2))
