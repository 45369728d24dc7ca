"""The schema comes only from the Alembic migrations, on both backends."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from storage import Database, UserRepository, migrate
from storage.events.repository import EventRepository
from storage.models import Base

TABLES = set(Base.metadata.tables)  # every model table, including later issues' ones


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names()) - {"alembic_version"}


def _model_diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def test_upgrade_from_empty_creates_every_model_table_at_head(
    empty_database_url: str,
) -> None:
    database = Database(empty_database_url)
    try:
        assert await database.schema_revision() is None
        await database.upgrade()
        async with database.engine.connect() as connection:
            assert await connection.run_sync(_tables) == TABLES
        assert await database.schema_revision() == migrate.head_revision()
    finally:
        await database.dispose()


async def test_models_match_migrations(database: Database) -> None:
    async with database.engine.connect() as connection:
        assert await connection.run_sync(_model_diff) == []


async def test_upgrade_again_changes_nothing_and_keeps_rows(empty_database_url: str) -> None:
    database = Database(empty_database_url)
    try:
        await database.upgrade()
        async with database.session() as session:
            await UserRepository(session).touch(1, 1)
        await database.upgrade()
        async with database.session() as session:
            assert await UserRepository(session).count() == 1
        assert await database.schema_revision() == migrate.head_revision()
    finally:
        await database.dispose()


async def test_upgrade_to_never_reused_ids_keeps_events_and_their_rsvps(
    empty_database_url: str,
) -> None:
    """Rebuilding ``events`` for AUTOINCREMENT (0004) cascades nothing away."""
    database = Database(empty_database_url)
    starts = datetime(2030, 5, 4, 16, 0, tzinfo=UTC)
    try:
        await database.upgrade("0003")
        async with database.session() as session:
            event = await EventRepository(session).add_event("T", starts, "O", "B", (60,))
            await EventRepository(session).set_rsvp(7, 7, event.id, True)
        await database.upgrade()
        async with database.session() as session:
            assert await EventRepository(session).attending_chats(event.id) == [(7, 7)]
            later = await EventRepository(session).add_event("U", starts, "O", "B", (60,))
        assert later.id > event.id
    finally:
        await database.dispose()


async def test_downgrade_to_base_drops_tables_and_upgrade_restores_them(
    empty_database_url: str,
) -> None:
    database = Database(empty_database_url)
    try:
        await database.upgrade()
        await database.downgrade("base")
        async with database.engine.connect() as connection:
            assert await connection.run_sync(_tables) == set()
        await database.upgrade()
        async with database.engine.connect() as connection:
            assert await connection.run_sync(_tables) == TABLES
    finally:
        await database.dispose()


async def test_sync_upgrade_helper_for_cli_brings_database_to_head(
    empty_database_url: str,
) -> None:
    await asyncio.to_thread(migrate.upgrade, empty_database_url)  # the CLI has no event loop
    database = Database(empty_database_url)
    try:
        assert await database.schema_revision() == migrate.head_revision()
    finally:
        await database.dispose()


@pytest.mark.parametrize("empty_database_url", ["postgres"], indirect=True)
async def test_two_processes_starting_at_once_on_postgres_both_succeed(
    empty_database_url: str,
) -> None:
    command = [sys.executable, "-m", "storage", "upgrade", empty_database_url]
    processes = [await asyncio.create_subprocess_exec(*command) for _ in range(2)]
    codes = await asyncio.wait_for(asyncio.gather(*(p.wait() for p in processes)), timeout=60)
    assert codes == [0, 0]
    database = Database(empty_database_url)
    try:
        assert await database.schema_revision() == migrate.head_revision()
    finally:
        await database.dispose()
