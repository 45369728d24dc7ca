"""Alembic migrations (script_location ``storage:migrations``); see ``storage.migrate``."""
