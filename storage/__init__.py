"""Persistence: SQLAlchemy models, repositories and Alembic migrations.

Others use: ``Database`` (engine, sessions, ``upgrade()``, ``check_file()``) with
``DatabaseFaultError`` and ``open_checked`` for start-up, the repositories
(``UserRepository``, ``StateRepository``, ``QuestionLogRepository``, ``FeedbackRepository``),
the records they return, ``storage.privacy`` (pseudonym, export, deletion),
``storage.migrate.upgrade`` for the CLI and ``Leadership`` (which replica does once-only work).
ORM models stay inside this package. No bot imports.
"""

from storage.db import DEFAULT_URL, Database, DatabaseFaultError
from storage.leader import Leadership
from storage.questions.feedback import FeedbackRepository
from storage.questions.log import QuestionLogRepository
from storage.questions.records import (
    EntryVotes,
    FeedbackRecord,
    FeedbackSummary,
    LoggedOutcome,
    QuestionRecord,
    UserRecord,
    Vote,
)
from storage.state import StateRepository, UnknownUserError
from storage.users import UserRepository

__all__ = [
    "DEFAULT_URL",
    "Database",
    "DatabaseFaultError",
    "EntryVotes",
    "FeedbackRecord",
    "FeedbackRepository",
    "FeedbackSummary",
    "Leadership",
    "LoggedOutcome",
    "QuestionLogRepository",
    "QuestionRecord",
    "StateRepository",
    "UnknownUserError",
    "UserRecord",
    "UserRepository",
    "Vote",
]
