"""Which entries an editor must check soon: ``review_by`` passed or within the horizon."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from knowledge.schema import Entry

REVIEW_WITHIN = timedelta(days=30)


def due_for_review(
    entries: Iterable[Entry], today: date, within: timedelta = REVIEW_WITHIN
) -> list[Entry]:
    """Entries whose ``review_by`` lies before ``today + within``, earliest first (then by id)."""
    limit = today + within
    due = [e for e in entries if e.review_by is not None and e.review_by <= limit]
    return sorted(due, key=lambda e: (e.review_by or date.max, e.id))
