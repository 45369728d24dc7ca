"""The pure event core: parsing /ankuendigen, dates in Europe/Berlin, calendar files, pacing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.dialogue.texts import load_texts
from bot.features.events.announcement import (
    Draft,
    EventView,
    ParseProblem,
    due_reminders,
    format_when,
    parse_announcement,
    place_html,
    remaining_minutes,
    reminder_times,
    thousands,
)
from bot.features.events.ics import event_ics
from bot.telegram.pacing import TokenBucket, backoff, should_retry
from tests.telegram_standin.html_check import parse_html

TEXTS = load_texts()

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)


def test_valid_input_gives_a_draft_in_utc_from_berlin_time() -> None:
    draft = parse_announcement("Treffen | 2026-07-01 18:00 | Stuttgart | Austausch", BERLIN, NOW)
    assert draft == Draft(
        "Treffen", datetime(2026, 7, 1, 16, 0, tzinfo=UTC), "Stuttgart", "Austausch"
    )


def test_pipes_in_the_description_are_kept() -> None:
    draft = parse_announcement("T | 2026-07-01 18:00 | Ort | a | b", BERLIN, NOW)
    assert isinstance(draft, Draft)
    assert draft.description == "a | b"


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        pytest.param("", ParseProblem("parse_fields"), id="empty"),
        pytest.param("T | 2026-07-01 18:00 | Ort", ParseProblem("parse_fields"), id="three-fields"),
        pytest.param(
            " | 2026-07-01 18:00 | Ort | B", ParseProblem("parse_empty", "title"), id="no-title"
        ),
        pytest.param(
            "T | 01.07.2026 18:00 | Ort | B", ParseProblem("parse_date", "date"), id="german-date"
        ),
        pytest.param("T | 2026-07-01 | Ort | B", ParseProblem("parse_date", "date"), id="no-time"),
        pytest.param(
            "T | 2026-02-30 18:00 | Ort | B", ParseProblem("parse_date", "date"), id="no-such-day"
        ),
        pytest.param(
            "T | 2025-07-01 18:00 | Ort | B", ParseProblem("parse_past", "date"), id="past"
        ),
        pytest.param(
            "T | 2026-07-01 18:00 |  | B", ParseProblem("parse_empty", "place"), id="no-place"
        ),
        pytest.param(
            "T | 2026-07-01 18:00 | O |", ParseProblem("parse_empty", "description"), id="no-desc"
        ),
        pytest.param(
            'T | 2027-05-02 10:00 | https://example.org/a"b | D',
            ParseProblem("parse_link", "place"),
            id="quote-in-link",
        ),
        pytest.param(
            "T | 2027-05-02 10:00 | https://example.org/<b> | D",
            ParseProblem("parse_link", "place"),
            id="tag-in-link",
        ),
        pytest.param(
            "x" * 201 + " | 2026-07-01 18:00 | O | B",
            ParseProblem("parse_too_long", "title", 200, 201),
            id="long",
        ),
        pytest.param(
            "T | 0001-01-01 00:30 | O | B", ParseProblem("parse_past", "date"), id="year-0001"
        ),
        pytest.param(
            "T | 9999-12-31 23:30 | O | B",
            ParseProblem("parse_far", "date", limit=2031),
            id="year-9999",
        ),
        pytest.param(
            "T | 2032-01-01 00:00 | O | B",
            ParseProblem("parse_far", "date", limit=2031),
            id="six-years-ahead",
        ),
    ],
)
def test_malformed_input_names_the_field(args: str, problem: ParseProblem) -> None:
    assert parse_announcement(args, BERLIN, NOW) == problem


def test_last_minute_of_the_fifth_year_ahead_is_accepted() -> None:
    draft = parse_announcement("T | 2031-12-31 23:59 | Ort | B", BERLIN, NOW)
    assert isinstance(draft, Draft)
    assert draft.starts_at == datetime(2031, 12, 31, 22, 59, tzinfo=UTC)


def test_link_place_is_attribute_escaped_and_telegram_reads_the_url_back() -> None:
    """Quotes and ampersands in a link end up in the href exactly, the HTML stays valid."""
    url = "https://example.org/?a=1&b='x'"
    parsed = parse_html(place_html(url, "Zum Online-Termin"))
    assert parsed.entities[0]["url"] == url
    assert place_html('https://e.org/a"b', "L") == '<a href="https://e.org/a&quot;b">L</a>'


def test_dates_are_shown_in_berlin_time_with_weekday() -> None:
    assert (
        format_when(datetime(2026, 7, 1, 16, 0, tzinfo=UTC), BERLIN, TEXTS)
        == "Mi, 01.07.2026, 18:00 Uhr"
    )
    assert (
        format_when(datetime(2026, 1, 1, 17, 0, tzinfo=UTC), BERLIN, TEXTS)
        == "Do, 01.01.2026, 18:00 Uhr"
    )


def test_thousands_are_grouped_with_spaces() -> None:
    assert thousands(1234) == "1 234"
    assert thousands(999) == "999"


def test_ics_has_utc_times_escaped_text_and_crlf_lines() -> None:
    event = EventView(
        7, "Treffen; Teil 1", datetime(2026, 7, 1, 16, 0, tzinfo=UTC), "Stuttgart, Rathaus", "a\nb"
    )
    text = event_ics(event, NOW)
    assert "DTSTART:20260701T160000Z\r\n" in text
    assert "SUMMARY:Treffen\\; Teil 1\r\n" in text
    assert "LOCATION:Stuttgart\\, Rathaus\r\n" in text
    assert "DESCRIPTION:a\\nb\r\n" in text
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert text.endswith("END:VCALENDAR\r\n")


def test_ics_folds_long_lines_at_75_octets() -> None:
    event = EventView(1, "T", NOW + timedelta(days=1), "https://x.example/" + "a" * 100, "ä" * 100)
    for line in event_ics(event, NOW).split("\r\n"):
        assert len(line.encode("utf-8")) <= 75


def test_bucket_spaces_sends_so_no_second_holds_more_than_rate_plus_one() -> None:
    bucket = TokenBucket(rate=25)
    moments = [bucket.reserve(0.0) for _ in range(100)]
    assert moments[0] == 0
    assert moments[-1] == pytest.approx(99 / 25)
    assert sum(1 for m in moments if m < 1.0) == 25


def test_bucket_pause_delays_every_later_send() -> None:
    bucket = TokenBucket(rate=10)
    bucket.reserve(0.0)
    bucket.pause_until(5.0)
    assert bucket.reserve(0.1) == pytest.approx(4.9)
    assert bucket.reserve(0.1) == pytest.approx(5.0)


def test_backoff_doubles_and_retries_stop_at_the_limit() -> None:
    assert [backoff(n, 0.5) for n in (1, 2, 3)] == [0.5, 1.0, 2.0]
    assert should_retry(3)
    assert not should_retry(4)


def test_due_reminders_skip_sent_ones_and_started_events() -> None:
    start = NOW + timedelta(minutes=30)
    assert due_reminders(start, (1440, 60), set(), NOW) == [60, 1440]
    assert due_reminders(start, (1440, 60), {1440}, NOW) == [60]
    assert due_reminders(NOW - timedelta(minutes=1), (60,), set(), NOW) == []


def test_reminder_times_are_the_future_moments_only() -> None:
    start = NOW + timedelta(hours=5)
    assert reminder_times(start, (1440, 60), set(), NOW) == [(60, start - timedelta(hours=1))]


@pytest.mark.parametrize(
    ("left", "planned", "expected"),
    [
        pytest.param(timedelta(days=1), 1440, 1440, id="on-time-day"),
        pytest.param(timedelta(minutes=58), 60, 60, id="on-time-within-five-minutes"),
        pytest.param(timedelta(hours=3, minutes=20), 1440, 180, id="late-day-says-hours-left"),
        pytest.param(timedelta(minutes=45), 1440, 45, id="late-says-minutes-left"),
        pytest.param(timedelta(seconds=20), 60, 1, id="nearly-started"),
    ],
)
def test_late_reminder_names_the_time_actually_left(
    left: timedelta, planned: int, expected: int
) -> None:
    start = datetime(2040, 5, 10, 16, 0, tzinfo=UTC)
    assert remaining_minutes(start, start - left, planned) == expected
