"""Parse ``/ankuendigen``, format dates in the configured zone, render announcements."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from bot.dialogue.texts import Texts
from knowledge.markup import escape

FIELDS = ("title", "date", "place", "description")
DATE_FORMAT = "%Y-%m-%d %H:%M"
DEFAULT_REMINDERS = (24 * 60, 60)
TITLE_MAX = 200
PLACE_MAX = 300
DESCRIPTION_MAX = 2000
# Network events are planned months, not decades, ahead: a later year is a typo, and the bound
# keeps zone conversion, reminders and the .ics end time far from ``datetime``'s year 1..9999.
YEARS_AHEAD = 5
# Characters a link may carry unescaped (RFC 3986 unreserved, reserved and "%"): no quotes,
# angle brackets, backslashes or spaces, which would break the href or the link itself.
URL_PATTERN = re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+", re.ASCII)


@dataclass(frozen=True)
class Draft:
    """A valid announcement request; ``starts_at`` is aware UTC."""

    title: str
    starts_at: datetime
    place: str
    description: str


@dataclass(frozen=True)
class ParseProblem:
    """What is wrong with the input: a text key for the hint, the field, and for a field over
    its limit the limit and the length found."""

    key: str
    field: str = ""
    limit: int = 0
    length: int = 0


@dataclass(frozen=True)
class EventView:
    """What an announcement shows of an event."""

    id: int
    title: str
    starts_at: datetime
    place: str
    description: str


def parse_announcement(args: str, zone: tzinfo, now: datetime) -> Draft | ParseProblem:
    """``Titel | YYYY-MM-DD HH:MM | Ort | Beschreibung`` → a draft, or the first problem."""
    parts = [part.strip() for part in args.split("|")]
    if not args.strip() or len(parts) < len(FIELDS):
        return ParseProblem("parse_fields")
    title, when, place = parts[0], parts[1], parts[2]
    description = " | ".join(parts[3:])
    for field, value, limit in (
        ("title", title, TITLE_MAX),
        ("place", place, PLACE_MAX),
        ("description", description, DESCRIPTION_MAX),
    ):
        if not value:
            return ParseProblem("parse_empty", field)
        if len(value) > limit:
            return ParseProblem("parse_too_long", field, limit, len(value))
    if place.startswith(("https://", "http://")) and not URL_PATTERN.fullmatch(place):
        return ParseProblem("parse_link", "place")
    return _with_date(title, when, place, description, zone, now)


def _with_date(
    title: str, when: str, place: str, description: str, zone: tzinfo, now: datetime
) -> Draft | ParseProblem:
    try:
        local = datetime.strptime(when, DATE_FORMAT)
    except ValueError:
        return ParseProblem("parse_date", "date")
    if local.year < now.year:
        return ParseProblem("parse_past", "date")
    if local.year > now.year + YEARS_AHEAD:
        return ParseProblem("parse_far", "date", limit=now.year + YEARS_AHEAD)
    starts_at = local.replace(tzinfo=zone).astimezone(UTC)
    if starts_at <= now:
        return ParseProblem("parse_past", "date")
    return Draft(title, starts_at, place, description)


def format_when(moment: datetime, zone: tzinfo, texts: Texts) -> str:
    """``Mi, 12.03.2025, 18:00 Uhr`` in ``zone`` (weekday names and layout from the texts)."""
    local = moment.astimezone(zone)
    weekday = texts["events_weekdays"].split()[local.weekday()]
    return texts.format(
        "events_when", weekday=weekday, date=f"{local:%d.%m.%Y}", time=f"{local:%H:%M}"
    )


def is_link(place: str) -> bool:
    """Whether the place is an online link."""
    return place.startswith(("https://", "http://")) and " " not in place


def place_html(place: str, link_label: str) -> str:
    """The place, or a link for online events."""
    if is_link(place):
        return f'<a href="{escape(place, quote=True)}">{escape(link_label)}</a>'
    return escape(place)


def render_event(event: EventView, zone: tzinfo, texts: Texts) -> str:
    """Fill the announcement template (placeholders: title, when, place, description)."""
    return texts.format(
        "events_announcement",
        title=escape(event.title),
        when=format_when(event.starts_at, zone, texts),
        place=place_html(event.place, texts["events_online_link"]),
        description=escape(event.description),
    )


def thousands(number: int) -> str:
    """``1234`` → ``1 234`` (grouped as in the progress line)."""
    return f"{number:,}".replace(",", " ")


def due_reminders(
    starts_at: datetime, offsets: tuple[int, ...], sent: set[int], now: datetime
) -> list[int]:
    """Offsets whose time has come, not yet sent, for an event that has not started."""
    if now >= starts_at:
        return []
    due = [m for m in offsets if m not in sent and starts_at - timedelta(minutes=m) <= now]
    return sorted(due)


def reminder_times(
    starts_at: datetime, offsets: tuple[int, ...], sent: set[int], now: datetime
) -> list[tuple[int, datetime]]:
    """Future reminder moments ``(offset, when)`` still to plan."""
    moments = [(m, starts_at - timedelta(minutes=m)) for m in offsets if m not in sent]
    return sorted((m, at) for m, at in moments if at > now)


def reminder_job_name(event_id: int, starts_at: datetime, offset: int) -> str:
    """``reminder:<event>:<start as Unix time>:<offset>``: names exactly one planned reminder.

    The start is part of the name, so a job planned for one event can never pass for a job of
    another event that got the same id or was moved.
    """
    return f"reminder:{event_id}:{int(starts_at.timestamp())}:{offset}"


def remaining_minutes(starts_at: datetime, now: datetime, planned: int) -> int:
    """Minutes to announce in a reminder: the planned offset, or the real rest when sent late.

    A reminder sent on time (within five minutes of its moment) keeps its round label ("1 Tag");
    one sent late after a restart names the time actually left, in whole hours from two hours
    on, so "in 1 Tag" is never said three hours before the start.
    """
    left = max(1, int((starts_at - now).total_seconds() // 60))
    if planned - left <= 5:
        return planned
    return left - left % 60 if left >= 120 else left


def offset_label(minutes: int, texts: Texts) -> str:
    """``1440`` → ``1 Tag``, ``60`` → ``1 Stunde``, ``90`` → ``90 Minuten``."""
    if minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        key = "events_offset_day" if days == 1 else "events_offset_days"
        return texts.format(key, count=str(days))
    if minutes % 60 == 0:
        hours = minutes // 60
        key = "events_offset_hour" if hours == 1 else "events_offset_hours"
        return texts.format(key, count=str(hours))
    return texts.format("events_offset_minutes", count=str(minutes))
