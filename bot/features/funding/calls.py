"""Parse ``/foerderaufruf``, find a topic in a question, count days to a deadline, render calls.

Deadlines are calendar dates in Berlin (the last day to apply); "today" is the Berlin date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from bot.features.events.announcement import URL_PATTERN, ParseProblem
from knowledge.markup import escape

TITLE_MAX = 200
DESCRIPTION_MAX = 2000
URL_MAX = 500
FUNDER_MAX = 200
ELIGIBLE_MAX = 500
AMOUNT_MAX = 200
YEARS_AHEAD = 5
REMINDER_DAYS = 14
EXPIRED_DAYS = 90  # how long a passed deadline is still answered as past
DATE_FORMAT = "%Y-%m-%d"


@dataclass(frozen=True)
class Topic:
    """A fixed Förderradar topic: its id, its German label and words that name it."""

    id: str
    label: str
    words: tuple[str, ...]


TOPICS: tuple[Topic, ...] = (
    Topic("breitband", "Breitband und Mobilfunk", ("breitband", "glasfaser", "gigabit", "funk")),
    Topic("ki", "Künstliche Intelligenz", ("ki", "künstliche intelligenz", "ki-")),
    Topic("ozg", "Onlinedienste und OZG", ("ozg", "onlinedienst", "onlinezugang", "e-gov")),
    Topic("sicherheit", "IT-Sicherheit", ("it-sicherheit", "informationssicherheit", "cyber")),
    Topic("smart-city", "Smart City und Smart Region", ("smart city", "smart-city", "smart reg")),
    Topic("bildung", "Schulen und Bildung", ("schule", "bildung", "digitalpakt")),
    Topic("it-betrieb", "IT-Betrieb und Infrastruktur", ("rechenzentr", "cloud", "it-betrieb")),
    Topic("datenschutz", "Datenschutz", ("datenschutz", "dsgvo")),
)
TOPIC_IDS = tuple(topic.id for topic in TOPICS)


def _word(word: str) -> str:
    """A word's pattern: a prefix (German compounds: "Breitbandausbau"), short ones whole."""
    return re.escape(word) + (r"(?!\w)" if len(word) <= 3 else "")


_PATTERNS = tuple(
    (topic.id, re.compile(r"(?<![\w-])(?:" + "|".join(map(_word, topic.words)) + ")", re.I))
    for topic in TOPICS
)


@dataclass(frozen=True)
class CallDraft:
    """A valid call: from ``/foerderaufruf`` (no details) or the ``calls`` command line."""

    title: str
    deadline: date
    url: str
    description: str
    topic: str | None
    funder: str | None = None
    eligible: str | None = None
    amount: str | None = None
    stand: date | None = None


@dataclass(frozen=True)
class CallInput:
    """A call as typed: every field a string; an optional one empty when not given
    (``topic`` ``None`` when not given, so that an empty given topic is refused)."""

    title: str
    deadline: str
    url: str
    description: str
    topic: str | None = None
    funder: str = ""
    eligible: str = ""
    amount: str = ""
    stand: str = ""


def topic_label(topic_id: str | None) -> str:
    """The German label of a topic id ("" for none or an unknown one)."""
    return next((t.label for t in TOPICS if t.id == topic_id), "")


def parse_topic(text: str) -> str | None:
    """A topic id given as an argument (its id or its label, any case); ``None`` if none."""
    wanted = text.strip().casefold()
    for topic in TOPICS:
        if wanted in (topic.id, topic.label.casefold()):
            return topic.id
    return topic_in_text(text) if wanted else None


def topic_in_text(text: str) -> str | None:
    """The first topic a question names ("Gibt es was für Breitband?" → ``breitband``)."""
    return next((topic_id for topic_id, pattern in _PATTERNS if pattern.search(text)), None)


def parse_call(args: str, today: date) -> CallDraft | ParseProblem:
    """``Titel | JJJJ-MM-TT | Link | Beschreibung [| Thema]`` → a draft, or the first problem."""
    parts = [part.strip() for part in args.split("|")]
    if not args.strip() or len(parts) not in (4, 5):
        return ParseProblem("radar_parse_fields")
    title, deadline, url, description = parts[:4]
    topic = parts[4] if len(parts) == 5 else None
    return validate_call(CallInput(title, deadline, url, description, topic), today)


def validate_call(given: CallInput, today: date) -> CallDraft | ParseProblem:
    """The rules of ``/foerderaufruf`` for every way of recording a call: a draft, or the
    first problem."""
    problem = _length_problem(given)
    if problem is not None:
        return problem
    if not URL_PATTERN.fullmatch(given.url):
        return ParseProblem("radar_parse_link", "url")
    topic = parse_topic(given.topic) if given.topic is not None else None
    if given.topic is not None and (topic is None or not given.topic.strip()):
        return ParseProblem("radar_parse_topic", "topic")
    deadline = _deadline(given.deadline, today)
    if isinstance(deadline, ParseProblem):
        return deadline
    stand = _stand(given.stand, today)
    if isinstance(stand, ParseProblem):
        return stand
    details = (given.funder or None, given.eligible or None, given.amount or None, stand)
    return CallDraft(given.title, deadline, given.url, given.description, topic, *details)


def _length_problem(given: CallInput) -> ParseProblem | None:
    """An empty required field or any field over its limit, named."""
    for field, value, limit, required in (
        ("title", given.title, TITLE_MAX, True),
        ("url", given.url, URL_MAX, True),
        ("description", given.description, DESCRIPTION_MAX, True),
        ("funder", given.funder, FUNDER_MAX, False),
        ("eligible", given.eligible, ELIGIBLE_MAX, False),
        ("amount", given.amount, AMOUNT_MAX, False),
    ):
        if required and not value:
            return ParseProblem("radar_parse_empty", field)
        if len(value) > limit:
            return ParseProblem("radar_parse_too_long", field, limit, len(value))
    return None


def _stand(when: str, today: date) -> date | ParseProblem | None:
    """The date of the information: optional, ``JJJJ-MM-TT``, not after today."""
    if not when:
        return None
    try:
        stand = datetime.strptime(when, DATE_FORMAT).date()
    except ValueError:
        return ParseProblem("radar_parse_stand", "stand")
    return ParseProblem("radar_parse_stand", "stand") if stand > today else stand


def _deadline(when: str, today: date) -> date | ParseProblem:
    try:
        deadline = datetime.strptime(when, DATE_FORMAT).date()
    except ValueError:
        return ParseProblem("radar_parse_date", "date")
    if deadline <= today:
        return ParseProblem("radar_parse_past", "date")
    if deadline.year > today.year + YEARS_AHEAD:
        return ParseProblem("radar_parse_far", "date", limit=today.year + YEARS_AHEAD)
    return deadline


def days_left(deadline: date, today: date) -> int:
    """Whole days from today to the deadline (0 on its last day)."""
    return (deadline - today).days


def link_html(url: str, label: str) -> str:
    """The source link, its address escaped for the attribute."""
    return f'<a href="{escape(url, quote=True)}">{escape(label)}</a>'
