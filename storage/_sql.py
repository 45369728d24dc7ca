"""Statement helpers shared by the repositories: portable upsert, affected-row counts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from sqlalchemy import Delete, Update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Base


async def upsert(
    session: AsyncSession,
    model: type[Base],
    values: Mapping[str, Any],
    conflict_columns: Sequence[str],
    update_columns: Sequence[str],
) -> None:
    """Insert ``values``; if a row with the same ``conflict_columns`` exists, update it instead.

    Atomic on both backends, so two concurrent updates of the same user cannot collide.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        pg_stmt = postgresql.insert(model).values(**values)
        update = {name: pg_stmt.excluded[name] for name in update_columns}
        await session.execute(
            pg_stmt.on_conflict_do_update(index_elements=conflict_columns, set_=update)
        )
    elif dialect == "sqlite":
        lite_stmt = sqlite.insert(model).values(**values)
        update = {name: lite_stmt.excluded[name] for name in update_columns}
        await session.execute(
            lite_stmt.on_conflict_do_update(index_elements=conflict_columns, set_=update)
        )
    else:
        raise NotImplementedError(f"upsert is not implemented for {dialect}")


async def affected_rows(session: AsyncSession, statement: Update | Delete) -> int:
    """Execute an UPDATE or DELETE and return how many rows it changed."""
    result = cast(CursorResult[Any], await session.execute(statement))
    return int(result.rowcount)
