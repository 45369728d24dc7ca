"""Alembic, driven from code (there is no alembic.ini).

* ``Database.upgrade()`` runs :func:`run_upgrade` on one of its connections at start-up;
* :func:`upgrade` is the synchronous helper behind ``digilotse db upgrade``;
* :func:`new_revision` autogenerates a migration from model changes, for developers:
  ``python -m storage revision "add events"`` (review the file before committing).
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

SCRIPT_LOCATION = "storage:migrations"
FILE_TEMPLATE = "v%(rev)s_%(slug)s"
# Serialises concurrent start-ups on PostgreSQL (any constant; "digilotse" in ASCII hex).
_PG_LOCK_KEY = 0x646967696C6F7473


def alembic_config(url: str | None = None) -> Config:
    """An Alembic ``Config`` built in code; ``url`` is only needed for standalone commands."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.set_main_option("file_template", FILE_TEMPLATE.replace("%", "%%"))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    """The newest migration's revision id."""
    head = _scripts().get_current_head()
    if head is None:  # pragma: no cover - the package always ships migrations
        raise RuntimeError("no migrations found in " + SCRIPT_LOCATION)
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision the connected database is at (``None``: never migrated)."""
    return MigrationContext.configure(connection).get_current_revision()


def run_upgrade(connection: Connection, revision: str = "head") -> None:
    """Upgrade the schema over an open connection; the caller commits afterwards.

    Meant for ``AsyncConnection.run_sync``. Idempotent: at head nothing is changed.
    """
    with _migration_guard(connection):
        command.upgrade(_connected_config(connection), revision)


def run_downgrade(connection: Connection, revision: str) -> None:
    """Downgrade the schema to ``revision`` (``"base"``: no tables) over an open connection."""
    with _migration_guard(connection):
        command.downgrade(_connected_config(connection), revision)


def upgrade(url: str, revision: str = "head") -> None:
    """Synchronous upgrade of the database at ``url`` (for the CLI, not inside an event loop)."""
    from storage.db import Database  # storage.db imports this module

    async def _run() -> None:
        database = Database(url)
        try:
            await database.upgrade(revision)
        finally:
            await database.dispose()

    asyncio.run(_run())


def new_revision(message: str, url: str | None = None) -> Path:
    """Autogenerate a migration for the model changes, compared with ``url`` at head.

    Without ``url`` a scratch SQLite database is used. Returns the new file's path.
    """
    with tempfile.TemporaryDirectory() as scratch:
        url = url or f"sqlite+aiosqlite:///{scratch}/scratch.sqlite3"
        upgrade(url)
        rev_id = f"{len(list(_scripts().walk_revisions())) + 1:04d}"
        config = alembic_config(url)
        _format_new_files_with_ruff(config)
        script = command.revision(config, message=message, autogenerate=True, rev_id=rev_id)
    if script is None or isinstance(script, list):  # pragma: no cover - single head only
        raise RuntimeError("expected exactly one new revision")
    return Path(script.path)


def _format_new_files_with_ruff(config: Config) -> None:
    """Let Alembic run ``ruff format`` on the file it writes (if ruff is installed)."""
    ruff = shutil.which("ruff") or shutil.which("ruff", path=str(Path(sys.executable).parent))
    if ruff is None:
        return
    config.set_section_option("post_write_hooks", "hooks", "ruff")
    config.set_section_option("post_write_hooks", "ruff.type", "exec")
    config.set_section_option("post_write_hooks", "ruff.executable", ruff)
    config.set_section_option("post_write_hooks", "ruff.options", "format REVISION_SCRIPT_FILENAME")


def _connected_config(connection: Connection) -> Config:
    """A config whose ``env.py`` run uses ``connection`` instead of building an engine."""
    config = alembic_config()
    config.attributes["connection"] = connection
    return config


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


@contextmanager
def _migration_guard(connection: Connection) -> Iterator[None]:
    """PostgreSQL: one migrator at a time. SQLite: foreign keys off while tables are rebuilt."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK_KEY})")
        yield
    elif connection.dialect.name == "sqlite":
        with _sqlite_foreign_keys_off(connection):
            yield
    else:  # pragma: no cover - only the two backends above are supported
        yield


@contextmanager
def _sqlite_foreign_keys_off(connection: Connection) -> Iterator[None]:
    """Batch migrations drop and recreate tables; with foreign keys on, that would cascade.

    The pragma only takes effect outside a transaction, so this runs on a fresh connection,
    commits the migration itself, checks integrity and switches the keys back on.
    """
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    if connection.exec_driver_sql("PRAGMA foreign_keys").scalar():  # pragma: no cover
        raise RuntimeError("cannot switch SQLite foreign keys off inside a transaction")
    try:
        yield
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
        if broken:
            raise RuntimeError(f"migration left {len(broken)} rows with broken foreign keys")
        connection.commit()
    finally:
        connection.rollback()
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()
