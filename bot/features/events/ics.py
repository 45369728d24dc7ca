"""iCalendar (RFC 5545) text for one event, for the "Kalenderdatei" button."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.features.events.announcement import EventView, is_link

DEFAULT_DURATION = timedelta(hours=2)
LINE_LIMIT = 75  # octets per content line before folding


def _escape(value: str) -> str:
    """Escape TEXT values: backslash, semicolon, comma and newlines."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n")


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _fold(line: str) -> str:
    """Fold a content line at 75 octets (continuation lines start with a space)."""
    data = line.encode("utf-8")
    if len(data) <= LINE_LIMIT:
        return line
    parts: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (LINE_LIMIT if not parts else LINE_LIMIT - 1):
            parts.append(current.decode("utf-8"))
            current = b""
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def event_ics(event: EventView, now: datetime, domain: str = "digilotse.bw") -> str:
    """A VCALENDAR with one VEVENT; times in UTC so every calendar app agrees."""
    location = "ONLINE" if is_link(event.place) else event.place
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Digilotse//Netzwerktermine//DE",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:event-{event.id}@{domain}",
        f"DTSTAMP:{_stamp(now)}",
        f"DTSTART:{_stamp(event.starts_at)}",
        f"DTEND:{_stamp(event.starts_at + DEFAULT_DURATION)}",
        f"SUMMARY:{_escape(event.title)}",
        f"DESCRIPTION:{_escape(event.description)}",
        f"LOCATION:{_escape(location)}",
    ]
    if is_link(event.place):
        lines.append(f"URL:{event.place}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
