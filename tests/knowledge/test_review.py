"""Entries due for review: the 30-day horizon, the order, the spreadsheet rows."""

from __future__ import annotations

import csv
import datetime as dt
import io

from knowledge.loader import load_entries
from knowledge.review import REVIEW_COLUMNS, due_for_review, review_rows, to_csv
from knowledge.schema import Entry

TODAY = dt.date(2026, 3, 1)


def dated(entry: Entry, review_by: dt.date) -> Entry:
    return entry.model_copy(update={"review_by": review_by})


def test_due_lists_passed_and_within_30_days_earliest_first() -> None:
    """The 30th day is in, the 31st is out; the overdue entry comes first."""
    base = load_entries().entries[:4]
    entries = [
        dated(base[0], TODAY + dt.timedelta(days=30)),
        dated(base[1], TODAY + dt.timedelta(days=31)),
        dated(base[2], TODAY - dt.timedelta(days=3)),
        base[3].model_copy(update={"review_by": None}),
    ]

    assert [e.id for e in due_for_review(entries, TODAY)] == [base[2].id, base[0].id]


def test_csv_rows_read_back_unchanged_with_commas_in_sources() -> None:
    """The real base's source titles contain commas; the CSV quotes them and reads back."""
    result = load_entries()
    rows = review_rows(result, dt.date(2030, 1, 1))

    parsed = list(csv.reader(io.StringIO(to_csv(rows))))

    assert parsed[0] == list(REVIEW_COLUMNS)
    assert [tuple(row) for row in parsed[1:]] == rows
    assert len(rows) == len(result.entries)
    assert {row[3] for row in rows} == {"overdue"}
