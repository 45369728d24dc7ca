"""The engine's storage ports: pseudonymous logging and the user row kept cheaply up to date."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.stores import question_buffer
from bot.stores.ports import StoragePorts, normalize_question
from storage import Database
from storage.questions.log import QuestionLogRepository
from storage.users import UserRepository


async def _user(database: Database, user_id: int) -> tuple[bool, object] | None:
    async with database.session() as session:
        record = await UserRepository(session).get(user_id)
    return None if record is None else (record.is_active, record.last_seen_at)


async def test_repeated_messages_do_not_rewrite_the_user_row(
    ports: StoragePorts, sqlite_database: Database
) -> None:
    await ports.touch_user(5, 5)
    first = await _user(sqlite_database, 5)
    await ports.touch_user(5, 5)
    assert await _user(sqlite_database, 5) == first


async def test_a_new_chat_id_is_written_at_once(
    ports: StoragePorts, sqlite_database: Database
) -> None:
    await ports.touch_user(5, 5)
    await ports.touch_user(5, 6)
    async with sqlite_database.session() as session:
        record = await UserRepository(session).get(5)
    assert record is not None
    assert record.chat_id == 6


async def test_unblocking_reactivates_a_user_a_broadcast_marked_inactive(
    ports: StoragePorts, sqlite_database: Database
) -> None:
    await ports.touch_user(5, 5)
    async with sqlite_database.session() as session:  # as another replica does (own cache)
        await UserRepository(session).mark_inactive(5)
    await ports.touch_user(5, 5)
    assert (await _user(sqlite_database, 5) or (None,))[0] is False  # cached: not rewritten
    await ports.touch_user(5, 5, force=True)
    assert (await _user(sqlite_database, 5) or (None,))[0] is True


async def test_marking_inactive_through_the_ports_forgets_the_cached_touch(
    ports: StoragePorts, sqlite_database: Database
) -> None:
    await ports.touch_user(5, 5)
    await ports.mark_inactive(5)
    await ports.touch_user(5, 5)
    assert (await _user(sqlite_database, 5) or (None,))[0] is True


def test_question_normalisation_groups_spellings() -> None:
    assert normalize_question("Wo ist die FÖRDERUNG??") == normalize_question(
        "wo ist die Forderung"
    )


async def _logged(database: Database) -> dict[str, int]:
    async with database.session() as session:
        return await QuestionLogRepository(session).outcome_counts()


async def _background_flushes(ports: StoragePorts, count: int) -> None:
    """Wait until the question buffer's timer (or a full batch) has flushed ``count`` times."""
    async with asyncio.timeout(10):
        await ports.questions_flushed(count)


class TestQuestionLogBatches:
    async def test_questions_reach_the_database_shortly_after_without_a_reader(
        self, ports: StoragePorts, sqlite_database: Database
    ) -> None:
        await ports.record(5, "Was ist das OZG?", "answer", "ozg-grundlagen", 0.9)
        await ports.record(6, "Wetter?", "abstain", None, 0.1)
        assert (await _logged(sqlite_database))["answer"] == 0  # not on the reply path

        await _background_flushes(ports, 1)

        assert await _logged(sqlite_database) == {"answer": 1, "suggest": 0, "abstain": 1}

    async def test_a_full_batch_is_written_without_waiting_for_the_delay(
        self, sqlite_database: Database
    ) -> None:
        ports = StoragePorts(sqlite_database, "s", retention_days=90, question_delay=3600)
        for number in range(question_buffer.FLUSH_ROWS):
            await ports.record(number, f"Frage {number}", "abstain", None, 0.0)
        await _background_flushes(ports, 1)

        assert (await _logged(sqlite_database))["abstain"] == question_buffer.FLUSH_ROWS
        await ports.close()

    async def test_readers_see_questions_asked_a_moment_ago(self, ports: StoragePorts) -> None:
        await ports.record(5, "Wetter morgen?", "abstain", None, 0.1)

        assert (await ports.stats()).outcomes["abstain"] == 1
        assert [gap.question for gap in await ports.gaps(5)] == ["Wetter morgen?"]

    async def test_deleting_right_after_a_question_leaves_nothing_behind(
        self, ports: StoragePorts, sqlite_database: Database
    ) -> None:
        await ports.touch_user(5, 5)
        await ports.record(5, "Was ist das OZG?", "answer", "ozg-grundlagen", 0.9)

        await ports.delete(5)
        await _background_flushes(ports, 1)  # the timer set by the question has run

        assert (await ports.export(5))["question_log"] == []
        assert (await _logged(sqlite_database))["answer"] == 0

    async def test_closing_writes_what_is_queued(self, sqlite_database: Database) -> None:
        ports = StoragePorts(sqlite_database, "s", retention_days=90)
        await ports.record(5, "Was ist das OZG?", "answer", "ozg-grundlagen", 0.9)

        await ports.close()

        assert (await _logged(sqlite_database))["answer"] == 1

    async def test_rows_survive_a_failed_write_and_are_written_later(
        self,
        ports: StoragePorts,
        sqlite_database: Database,
        monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        original = QuestionLogRepository.record_many

        async def unavailable(self: QuestionLogRepository, rows: object) -> None:
            raise ConnectionError("database unavailable")

        monkeypatch.setattr(QuestionLogRepository, "record_many", unavailable)
        await ports.record(5, "Was ist das OZG?", "answer", "ozg-grundlagen", 0.9)
        with caplog.at_level(logging.WARNING, logger="bot.stores.question_buffer"):
            await _background_flushes(ports, 1)
        assert "1 rows not written" in caplog.text
        assert (await _logged(sqlite_database))["answer"] == 0

        monkeypatch.setattr(QuestionLogRepository, "record_many", original)
        await ports.flush()

        assert (await _logged(sqlite_database))["answer"] == 1


class TestRefusedRows:
    async def test_a_row_the_database_refuses_is_dropped_without_blocking_the_others(
        self, ports: StoragePorts, sqlite_database: Database, caplog: pytest.LogCaptureFixture
    ) -> None:
        """A lone surrogate makes SQLite refuse one row; the rest are written, the text unlogged."""
        await ports.record(5, "Was ist das OZG?", "answer", "ozg-grundlagen", 0.9)
        await ports.record(6, "Frage \ud800 Förderung", "abstain", None, 0.1)
        await ports.record(7, "Wetter?", "abstain", None, 0.1)

        with caplog.at_level(logging.ERROR, logger="bot.stores.question_buffer"):
            await ports.flush()

        assert await _logged(sqlite_database) == {"answer": 1, "suggest": 0, "abstain": 1}
        assert "dropped a row" in caplog.text
        assert "Förderung" not in caplog.text
        assert (await ports.stats()).outcomes["abstain"] == 1  # readers work again

    async def test_erasure_succeeds_while_the_question_log_cannot_be_written(
        self,
        ports: StoragePorts,
        sqlite_database: Database,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """/loeschen does not flush: the user's queued questions are forgotten, not written."""
        original = QuestionLogRepository.record_many

        async def unavailable(self: QuestionLogRepository, rows: object) -> None:
            raise ConnectionError("database unavailable")

        monkeypatch.setattr(QuestionLogRepository, "record_many", unavailable)
        await ports.touch_user(5, 5)
        await ports.record(5, "Was ist das OZG?", "answer", "ozg-grundlagen", 0.9)

        deleted = await ports.delete(5)
        assert (deleted["users"], deleted["question_log"]) == (1, 1)  # the queued question too

        monkeypatch.setattr(QuestionLogRepository, "record_many", original)
        await ports.flush()
        assert (await _logged(sqlite_database))["answer"] == 0
