"""Alembic environment for ``storage:migrations``.

Runs on the connection ``storage.migrate`` hands over in ``config.attributes["connection"]``
(start-up upgrades), otherwise on an async engine built from ``sqlalchemy.url``
(standalone commands such as autogenerating a revision), or offline to emit SQL.
"""

from __future__ import annotations

import asyncio
from typing import Any

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from storage.models import Base
from storage.types import UTCDateTime


def render_item(kind: str, obj: Any, autogen_context: AutogenContext) -> str | bool:
    """Write our column types as plain SQLAlchemy types, so migrations never import models."""
    if kind == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


config = context.config
OPTIONS: dict[str, Any] = {
    "target_metadata": Base.metadata,
    "compare_type": True,
    # Batch operations recreate tables on SQLite and are plain ALTERs on PostgreSQL.
    "render_as_batch": True,
    "render_item": render_item,
}


def run_on(connection: Connection) -> None:
    """Run the migrations on an open synchronous connection."""
    context.configure(connection=connection, **OPTIONS)
    with context.begin_transaction():
        context.run_migrations()


async def run_on_new_engine(url: str) -> None:
    """Run the migrations through a short-lived async engine."""
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(run_on)
            await connection.commit()
    finally:
        await engine.dispose()


def run_offline(url: str) -> None:
    """Print the SQL instead of executing it (``alembic upgrade --sql``)."""
    context.configure(url=url, literal_binds=True, **OPTIONS)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_on(connection)
elif context.is_offline_mode():
    run_offline(config.get_main_option("sqlalchemy.url") or "")
else:
    asyncio.run(run_on_new_engine(config.get_main_option("sqlalchemy.url") or ""))
