"""Which entries an editor must check soon: ``review_by`` passed or within the horizon."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, timedelta

from knowledge.loader import LoadResult
from knowledge.schema import Entry, Source

REVIEW_WITHIN = timedelta(days=30)


def due_for_review(
    entries: Iterable[Entry], today: date, within: timedelta = REVIEW_WITHIN
) -> list[Entry]:
    """Entries whose ``review_by`` lies before ``today + within``, earliest first (then by id)."""
    limit = today + within
    due = [e for e in entries if e.review_by is not None and e.review_by <= limit]
    return sorted(due, key=lambda e: (e.review_by or date.max, e.id))


REVIEW_COLUMNS = ("id", "title", "review_by", "status", "stand", "file", "line", "sources")


def review_rows(
    result: LoadResult, today: date, within: timedelta = REVIEW_WITHIN
) -> list[tuple[str, ...]]:
    """One row per entry due for review (columns as :data:`REVIEW_COLUMNS`), for a spreadsheet."""
    rows: list[tuple[str, ...]] = []
    for entry in due_for_review(result.entries, today, within):
        location = result.locations[entry.id]
        status = "overdue" if entry.review_by is not None and entry.review_by < today else "due"
        sources = "; ".join(_source_text(source) for source in entry.sources)
        where = (location.path.name, str(location.line))
        rows.append(
            (entry.id, entry.title, str(entry.review_by), status, str(entry.stand), *where, sources)
        )
    return rows


def to_csv(rows: Iterable[tuple[str, ...]]) -> str:
    """The rows under a header line, as CSV text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REVIEW_COLUMNS)
    writer.writerows(rows)
    return out.getvalue()


def _source_text(source: Source) -> str:
    where = str(source.url) if source.url is not None else source.own_text
    return f"{source.title} <{where}>"
