"""The question log (in batches, off the reply path), and erasure of what is still queued."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import pytest

from bot.stores import question_buffer
from bot.stores.bundle import Stores
from bot.stores.gaps import DatabaseGapStore
from bot.stores.questions import normalize_question
from storage import Database
from storage.questions.log import QuestionLogRepository


def test_question_normalisation_groups_spellings() -> None:
    assert normalize_question("Wo ist die FÖRDERUNG??") == normalize_question(
        "wo ist die Forderung"
    )


async def _logged(database: Database) -> dict[str, int]:
    async with database.session() as session:
        return await QuestionLogRepository(session).outcome_counts()


async def _background_flushes(stores: Stores, count: int) -> None:
    """Wait until the question buffer's timer (or a full batch) has flushed ``count`` times."""
    async with asyncio.timeout(10):
        await stores.questions.questions_flushed(count)


def _log_unavailable(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Make every question-log write fail as if the database were down; returns the undo."""
    original = QuestionLogRepository.record_many

    async def unavailable(self: QuestionLogRepository, rows: object) -> None:
        raise ConnectionError("database unavailable")

    monkeypatch.setattr(QuestionLogRepository, "record_many", unavailable)
    return lambda: monkeypatch.setattr(QuestionLogRepository, "record_many", original)


class TestQuestionLogBatches:
    async def test_questions_reach_the_database_shortly_after_without_a_reader(
        self, stores: Stores, sqlite_database: Database
    ) -> None:
        await stores.questions.record(5, "Was ist das OZG?", "answer", "ozg-grundlagen", 0.9)
        await stores.questions.record(6, "Wetter?", "abstain", None, 0.1)
        assert (await _logged(sqlite_database))["answer"] == 0  # not on the reply path

        await _background_flushes(stores, 1)

        assert await _logged(sqlite_database) == {"answer": 1, "suggest": 0, "abstain": 1}

    async def test_a_full_batch_is_written_without_waiting_for_the_delay(
        self, sqlite_database: Database
    ) -> None:
        stores = Stores.open(sqlite_database, "s", retention_days=90, question_delay=3600)
        for number in range(question_buffer.FLUSH_ROWS):
            await stores.questions.record(number, f"Frage {number}", "abstain", None, 0.0)
        await _background_flushes(stores, 1)

        assert (await _logged(sqlite_database))["abstain"] == question_buffer.FLUSH_ROWS
        await stores.questions.close()

    async def test_readers_see_questions_asked_a_moment_ago(
        self, stores: Stores, sqlite_database: Database
    ) -> None:
        await stores.questions.record(5, "Wetter morgen?", "abstain", None, 0.1)

        assert (await stores.stats.stats()).outcomes["abstain"] == 1
        gaps = DatabaseGapStore(sqlite_database, stores.questions.flush)
        assert [gap.example for gap in await gaps.open_questions()] == ["Wetter morgen?"]

    async def test_deleting_right_after_a_question_leaves_nothing_behind(
        self, stores: Stores, sqlite_database: Database
    ) -> None:
        await stores.users.touch_user(5, 5)
        await stores.questions.record(5, "Was ist das OZG?", "answer", "ozg-grundlagen", 0.9)

        await stores.user_data.delete(5)
        await _background_flushes(stores, 1)  # the timer set by the question has run

        assert (await stores.user_data.export(5))["question_log"] == []
        assert (await _logged(sqlite_database))["answer"] == 0

    async def test_closing_writes_what_is_queued(self, sqlite_database: Database) -> None:
        stores = Stores.open(sqlite_database, "s", retention_days=90)
        await stores.questions.record(5, "Was ist das OZG?", "answer", "ozg-grundlagen", 0.9)

        await stores.questions.close()

        assert (await _logged(sqlite_database))["answer"] == 1

    async def test_rows_survive_a_failed_write_and_are_written_later(
        self,
        stores: Stores,
        sqlite_database: Database,
        monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        restore = _log_unavailable(monkeypatch)
        await stores.questions.record(5, "Was ist das OZG?", "answer", "ozg-grundlagen", 0.9)
        with caplog.at_level(logging.WARNING, logger="bot.stores.question_buffer"):
            await _background_flushes(stores, 1)
        assert "1 rows not written" in caplog.text
        assert (await _logged(sqlite_database))["answer"] == 0

        restore()
        await stores.questions.flush()

        assert (await _logged(sqlite_database))["answer"] == 1


class TestRefusedRows:
    async def test_a_row_the_database_refuses_is_dropped_without_blocking_the_others(
        self, stores: Stores, sqlite_database: Database, caplog: pytest.LogCaptureFixture
    ) -> None:
        """A lone surrogate makes SQLite refuse one row; the rest are written, the text unlogged."""
        await stores.questions.record(5, "Was ist das OZG?", "answer", "ozg-grundlagen", 0.9)
        await stores.questions.record(6, "Frage \ud800 Förderung", "abstain", None, 0.1)
        await stores.questions.record(7, "Wetter?", "abstain", None, 0.1)

        with caplog.at_level(logging.ERROR, logger="bot.stores.question_buffer"):
            await stores.questions.flush()

        assert await _logged(sqlite_database) == {"answer": 1, "suggest": 0, "abstain": 1}
        assert "dropped a row" in caplog.text
        assert "Förderung" not in caplog.text
        assert (await stores.stats.stats()).outcomes["abstain"] == 1  # readers work again

    async def test_erasure_succeeds_while_the_question_log_cannot_be_written(
        self,
        stores: Stores,
        sqlite_database: Database,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """/loeschen does not flush: the user's queued questions are forgotten, not written."""
        restore = _log_unavailable(monkeypatch)
        await stores.users.touch_user(5, 5)
        await stores.questions.record(5, "Was ist das OZG?", "answer", "ozg-grundlagen", 0.9)

        deleted = await stores.user_data.delete(5)
        assert (deleted["users"], deleted["question_log"]) == (1, 1)  # the queued question too

        restore()
        await stores.questions.flush()
        assert (await _logged(sqlite_database))["answer"] == 0
