"""The knowledge feature's content version and accepted (learned) questions on the database."""

from __future__ import annotations

from knowledge.content import Learned
from storage.db import Database
from storage.editorial.learned import LearnedRepository
from storage.editorial.repository import ContentVersionRepository


class DatabaseContentVersions:
    """The content version replicas follow (``ContentVersions`` of ``bot.features.knowledge``)."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def current(self) -> int:
        """The version as the database holds it now."""
        return await content_version(self._db)

    async def bump(self) -> int:
        """Raise the version; the new one."""
        async with self._db.session() as session:
            return await ContentVersionRepository(session).bump()


async def learned_questions(database: Database) -> Learned:
    """Accepted questions not yet exported to the files, by entry id."""
    async with database.session() as session:
        pending = await LearnedRepository(session).pending()
    learned: dict[str, list[str]] = {}
    for record in pending:
        learned.setdefault(record.entry_id, []).append(record.question)
    return learned


async def content_version(database: Database) -> int:
    """The content version replicas should serve, as the database holds it now."""
    async with database.session() as session:
        return await ContentVersionRepository(session).current()
