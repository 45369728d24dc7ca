"""The Förderradar's pure core: topics in questions, parsing /foerderaufruf, days left."""

from __future__ import annotations

from datetime import date

import pytest

from bot.features.events.announcement import ParseProblem
from bot.features.funding.calls import (
    CallDraft,
    CallInput,
    days_left,
    link_html,
    parse_call,
    parse_topic,
    topic_in_text,
    validate_call,
)

TODAY = date(2026, 12, 3)


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        pytest.param("Gibt es was für Breitband?", "breitband", id="breitband"),
        pytest.param("Förderung für den Glasfaserausbau", "breitband", id="compound"),
        pytest.param("Welche KI-Förderung läuft?", "ki", id="ki-compound"),
        pytest.param("Förderung für KI", "ki", id="ki"),
        pytest.param("Förderung für Kindergärten", None, id="ki-prefix-is-not-ki"),
        pytest.param("Welche Förderung kann ich gerade beantragen?", None, id="none"),
    ],
)
def test_topic_in_text_finds_the_named_topic(question: str, topic: str | None) -> None:
    """Compounds count, a short word only as a whole word."""
    assert topic_in_text(question) == topic


def test_parse_topic_accepts_id_label_and_word_and_rejects_the_unknown() -> None:
    """ "smart-city", "Datenschutz", "Glasfaser" are topics; "Mond" is none."""
    assert [parse_topic(t) for t in ("smart-city", "Datenschutz", "Glasfaser", "Mond", "")] == [
        "smart-city",
        "datenschutz",
        "breitband",
        None,
        None,
    ]


def test_parse_call_returns_a_draft_with_an_optional_topic() -> None:
    """Four fields, or five with a topic."""
    assert parse_call("T | 2027-01-31 | https://e.org/ | B", TODAY) == CallDraft(
        "T", date(2027, 1, 31), "https://e.org/", "B", None
    )
    five = parse_call("T | 2027-01-31 | https://e.org/ | B | ki", TODAY)
    assert isinstance(five, CallDraft)
    assert five.topic == "ki"


def test_deadline_five_years_ahead_is_the_last_accepted_year() -> None:
    """Up to the end of today's year + 5."""
    assert isinstance(parse_call("T | 2031-12-31 | https://e.org/ | B", TODAY), CallDraft)
    far = parse_call("T | 2032-01-01 | https://e.org/ | B", TODAY)
    assert far == ParseProblem("radar_parse_far", "date", limit=2031)


def test_days_left_counts_calendar_days() -> None:
    """0 on the last day."""
    assert [days_left(date(2026, 12, d), TODAY) for d in (3, 4, 17)] == [0, 1, 14]


def test_link_html_escapes_the_address_for_the_attribute() -> None:
    """Quotes and ampersands cannot break out of the href."""
    assert link_html('https://e.org/?a=1&b="2"', "Quelle <1>") == (
        '<a href="https://e.org/?a=1&amp;b=&quot;2&quot;">Quelle &lt;1&gt;</a>'
    )


def test_validate_call_keeps_the_details_and_leaves_empty_ones_out() -> None:
    """Funder, who may apply, amount and stand as given; empty ones are ``None``."""
    given = CallInput(
        "T", "2027-01-31", "https://e.org/", "B", "ki", "Land", "", "50 %", "2026-12-01"
    )
    assert validate_call(given, TODAY) == CallDraft(
        "T", date(2027, 1, 31), "https://e.org/", "B", "ki", "Land", None, "50 %", date(2026, 12, 1)
    )


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        pytest.param(
            CallInput("T", "2027-01-31", "https://e.org/", "B", eligible="E" * 501),
            ParseProblem("radar_parse_too_long", "eligible", 500, 501),
            id="eligible",
        ),
        pytest.param(
            CallInput("T", "2027-01-31", "https://e.org/", "B", amount="A" * 201),
            ParseProblem("radar_parse_too_long", "amount", 200, 201),
            id="amount",
        ),
        pytest.param(
            CallInput("T", "2027-01-31", "https://e.org/", "B", stand="2026-12-04"),
            ParseProblem("radar_parse_stand", "stand"),
            id="stand-after-today",
        ),
        pytest.param(
            CallInput("T", "2027-01-31", "https://e.org/", "B", stand="1.12.2026"),
            ParseProblem("radar_parse_stand", "stand"),
            id="stand-not-iso",
        ),
    ],
)
def test_validate_call_names_the_detail_that_breaks_a_rule(
    given: CallInput, problem: ParseProblem
) -> None:
    """Limits as for the other fields; the stand is a date not after today."""
    assert validate_call(given, TODAY) == problem
