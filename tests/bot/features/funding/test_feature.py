"""The Förderradar through the feature, on a real database: /foerderaufruf, open calls, radar."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.dialogue.engine import Engine
from bot.dialogue.texts import load_texts
from bot.dialogue.types import Incoming, Turn
from bot.features.events.feature import EventsFeature
from bot.features.funding.feature import FundingFeature
from bot.stores.events import DatabaseEventStore
from bot.stores.funding import DatabaseFundingStore
from knowledge.markup import find_html_errors
from nlu.types import IntentScore, ParseResult
from storage import Database
from storage.events.outbox import OutboxRepository
from storage.funding.repository import FundingRepository, NewCall

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
TODAY = date(2026, 12, 3)
ADMIN = Incoming(1, 1, is_admin=True)
USER = Incoming(2, 2)
CALL = "Gigabit-Förderung | 2027-01-31 | https://example.org/a?x=1&y=2 | Ausbau | breitband"


def _feature(database: Database, now: datetime = NOW) -> FundingFeature:
    return FundingFeature(DatabaseFundingStore(database), load_texts(), BERLIN, lambda: now)


def _buttons(turn: Turn, index: int = -1) -> list[str]:
    return [b.data for row in turn.replies[index].buttons for b in row]


def _parts(data: str) -> tuple[str, ...]:
    return tuple(data.split(":"))


def _ask(text: str) -> ParseResult:
    intent = IntentScore("list_funding_calls", 1.0)
    return ParseResult(text=text, intent=intent, intent_ranking=(intent,), entities=())


async def _open(database: Database, today: date = TODAY) -> list[str]:
    async with database.session() as session:
        return [c.title for c in await FundingRepository(session).open_calls(today)]


async def _published(database: Database, title: str, deadline: date, topic: str | None) -> None:
    """A published call, stored as "Jetzt senden" leaves it."""
    async with database.session() as session:
        calls = FundingRepository(session)
        new = NewCall(title, "Beschreibung", "https://example.org/", topic, deadline)
        call = await calls.add_call(new, ADMIN.chat_id)
        await calls.publish(call.id, TODAY, 14)


async def test_preview_is_a_draft_until_jetzt_senden_publishes_it(database: Database) -> None:
    """The preview shows the exact message; only "Jetzt senden" makes the call public."""
    feature = _feature(database)
    await feature.on_command(Incoming(5, 5), "foerderradar", "")
    preview = await feature.on_command(ADMIN, "foerderaufruf", CALL)
    message, controls = (reply.html for reply in preview.replies)
    assert "Gigabit-Förderung" in message
    assert "Frist in 59 Tagen" in message
    assert 'href="https://example.org/a?x=1&amp;y=2"' in message
    assert find_html_errors(message) == []
    assert "Empfänger: <b>1</b>" in controls
    assert await _open(database) == []
    go, _cancel = _buttons(preview)
    sent = await feature.on_button(ADMIN, _parts(go))
    assert "0 / 1" in sent.replies[0].html
    assert await _open(database) == ["Gigabit-Förderung"]
    again = await feature.on_button(ADMIN, _parts(go))
    assert again.toast == load_texts()["radar_already_started"]


async def test_abbrechen_discards_the_draft_and_sends_nothing(database: Database) -> None:
    """A cancelled call never becomes public, and its announcement writes no outbox rows."""
    feature = _feature(database)
    await feature.on_command(Incoming(5, 5), "foerderradar", "")
    preview = await feature.on_command(ADMIN, "foerderaufruf", CALL)
    go, cancel = _buttons(preview)
    turn = await feature.on_button(ADMIN, _parts(cancel))
    assert "verworfen" in turn.replies[0].html
    assert (await feature.on_button(ADMIN, _parts(go))).toast is not None
    assert await _open(database) == []


async def test_non_admin_command_is_refused_and_nothing_is_stored(database: Database) -> None:
    """Only admins record calls."""
    turn = await _feature(database).on_command(USER, "foerderaufruf", CALL)
    assert "vorbehalten" in turn.replies[0].html
    async with database.session() as session:
        assert await FundingRepository(session).get_call(1, published_only=False) is None


async def test_forged_buttons_are_refused_and_change_nothing(database: Database) -> None:
    """A non-admin's "Jetzt senden", a malformed id and the event's button on a call all fail."""
    feature = _feature(database)
    await feature.on_command(Incoming(5, 5), "foerderradar", "")
    go, cancel = _buttons(await feature.on_command(ADMIN, "foerderaufruf", CALL))
    for data in (go, cancel):
        assert (await feature.on_button(USER, _parts(data))).toast == load_texts()["admin_only"]
    for forged in (("fr", "go", "x1"), ("fr", "go"), ("fr", "zz", "1")):
        turn = await feature.on_button(ADMIN, forged)
        assert turn.toast == load_texts()["invalid_button"]
    events = EventsFeature(DatabaseEventStore(database), load_texts(), BERLIN, lambda: NOW)
    number = go.split(":")[2]
    assert (await events.on_button(ADMIN, ("ev", "go", number))).toast is not None
    assert await _open(database) == []
    async with database.session() as session:
        assert (await OutboxRepository(session).counts(int(number))).total == 0


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(f"{'T' * 201} | 2027-01-31 | https://e.org/ | B", "höchstens 200", id="title"),
        pytest.param(
            f"T | 2027-01-31 | https://e.org/ | {'B' * 2001}", "höchstens 2 000", id="desc"
        ),
        pytest.param('T | 2027-01-31 | https://e.org/"x | B', "<b>Link</b>", id="link-quote"),
        pytest.param("T | 2027-01-31 | javascript:alert(1) | B", "<b>Link</b>", id="link-scheme"),
        pytest.param("T | 2026-12-03 | https://e.org/ | B", "Zukunft", id="today"),
        pytest.param("T | 2032-01-01 | https://e.org/ | B", "bis Ende 2031", id="far"),
        pytest.param("T | 31.01.2027 | https://e.org/ | B", "<b>Frist</b>", id="date"),
        pytest.param("T | 2027-01-31 | https://e.org/ | B | Mond", "<b>Thema</b>", id="topic"),
        pytest.param("T | 2027-01-31 | https://e.org/", "vier oder fünf", id="fields"),
    ],
)
async def test_invalid_call_names_the_problem_and_stores_nothing(
    database: Database, args: str, expected: str
) -> None:
    """Over-long fields name the limit; bad links, dates and topics are refused."""
    turn = await _feature(database).on_command(ADMIN, "foerderaufruf", args)
    assert expected in turn.replies[0].html
    assert find_html_errors(turn.replies[0].html) == []
    async with database.session() as session:
        assert await FundingRepository(session).get_call(1, published_only=False) is None


async def test_open_calls_are_sorted_by_deadline_with_days_left_and_expired_ones_drop_out(
    database: Database,
) -> None:
    """Nearest deadline first, "Frist in N Tagen" in Berlin dates; a passed deadline is gone."""
    await _published(database, "Später", date(2027, 2, 1), "ki")
    await _published(database, "Bald", date(2026, 12, 13), "breitband")
    await _published(database, "Heute", date(2026, 12, 3), None)
    turn = await _feature(database).on_intent(USER, _ask("Welche Förderung kann ich beantragen?"))
    calls = [reply.html for reply in turn.replies[1:4]]
    assert ["Heute" in calls[0], "Bald" in calls[1], "Später" in calls[2]] == [True] * 3
    assert "Frist heute" in calls[0]
    assert "Frist in 10 Tagen" in calls[1]
    assert all(find_html_errors(reply.html) == [] for reply in turn.replies)
    late_evening = datetime(2026, 12, 3, 23, 30, tzinfo=UTC)  # 00:30 on 4 Dec in Berlin
    later = await _feature(database, late_evening).on_command(USER, "foerderung", "")
    assert "Heute" not in "".join(r.html for r in later.replies)
    assert "Frist in 9 Tagen" in later.replies[1].html


async def test_a_question_naming_a_topic_gets_only_that_topics_calls(database: Database) -> None:
    """ "Gibt es was für Breitband?" filters by topic."""
    await _published(database, "KI-Lab", date(2027, 2, 1), "ki")
    await _published(database, "Glasfaser", date(2027, 1, 1), "breitband")
    turn = await _feature(database).on_intent(USER, _ask("Gibt es was für Breitband?"))
    shown = "".join(reply.html for reply in turn.replies)
    assert "Glasfaser" in shown
    assert "KI-Lab" not in shown
    assert "Breitband und Mobilfunk" in turn.replies[0].html


async def test_no_open_call_says_so_and_points_to_the_finding_entry(database: Database) -> None:
    """With nothing open the answer offers the knowledge entry on finding funding calls."""
    turn = await _feature(database).on_intent(USER, _ask("Welche Förderaufrufe laufen?"))
    assert "kein offener Förderaufruf" in turn.replies[0].html
    assert _buttons(turn) == ["k:foerderung-aktuell"]


async def test_radar_subscription_by_topic_and_abbestellen_ends_it(database: Database) -> None:
    """ "/foerderradar breitband" follows one topic; /abbestellen ends the radar too."""
    store = DatabaseFundingStore(database)
    feature = _feature(database)
    turn = await feature.on_command(USER, "foerderradar", "Breitband")
    assert "Breitband und Mobilfunk" in turn.replies[0].html
    assert await store.subscription(USER.user_id) == (True, "breitband")
    events = EventsFeature(
        DatabaseEventStore(database),
        load_texts(),
        BERLIN,
        lambda: NOW,
        also_unsubscribe=store.unsubscribe,
    )
    ended = await events.on_command(USER, "abbestellen", "")
    assert load_texts()["radar_unsubscribed"] in ended.replies[0].html
    assert await store.subscription(USER.user_id) == (False, None)
    again = await events.on_command(USER, "abbestellen", "")
    assert load_texts()["radar_unsubscribed"] not in again.replies[0].html


async def test_a_call_whose_html_would_not_fit_a_message_is_refused(database: Database) -> None:
    """Escaping can triple a description within its limit; nothing is stored then."""
    args = f"T | 2027-01-31 | https://e.org/ | {'&' * 1999}"
    turn = await _feature(database).on_command(ADMIN, "foerderaufruf", args)
    assert turn.replies[0].html == load_texts()["radar_invalid_html"]
    async with database.session() as session:
        assert await FundingRepository(session).get_call(1, published_only=False) is None


def test_menu_and_help_name_the_radar_commands_but_not_the_admin_one(engine: Engine) -> None:
    """/foerderung and /foerderradar are in the command menu and /hilfe; /foerderaufruf is not."""
    menu = engine.commands
    assert {"foerderung", "foerderradar"} <= set(menu)
    assert "foerderaufruf" not in menu
    help_text = engine.help(Incoming(1, 1)).replies[0].html
    assert "/foerderung" in help_text
    assert "/foerderradar" in help_text
    assert "/foerderaufruf" not in help_text
    assert "/foerderaufruf" in engine.help(Incoming(1, 1, is_admin=True)).replies[0].html


@pytest.mark.parametrize(
    ("question", "funding"),
    [
        ("Welche Förderaufrufe laufen gerade?", True),
        ("Gibt es aktuell Förderung für Breitband?", True),
        ("Lotsen Förderung", False),
        ("Förderung", False),
    ],
)
async def test_only_questions_about_open_calls_go_to_the_radar(
    engine: Engine, question: str, funding: bool
) -> None:
    """The NLU's funding intent is taken only with a cue for "open now"; the rest is knowledge."""
    turn = await engine.handle(Incoming(1, 1, text=question))
    html = turn.replies[0].html
    assert (
        "kein offener Förderaufruf bekannt" in html or "Offene Förderaufrufe" in html
    ) is funding


async def test_with_none_open_the_topics_recently_ended_calls_are_answered_as_past(
    database: Database,
) -> None:
    """Ended within 90 days: named with their last day; older ones and other topics are not."""
    await _published(database, "Glasfaser-Bonus", date(2026, 11, 20), "breitband")
    await _published(database, "Uralt-Programm", date(2026, 9, 3), "breitband")
    await _published(database, "KI-Lab", date(2026, 11, 25), "ki")
    turn = await _feature(database).on_intent(USER, _ask("Gibt es was für Breitband?"))
    [reply] = turn.replies
    assert "Zum Thema Breitband und Mobilfunk ist zurzeit kein Förderaufruf offen" in reply.html
    assert "<b>Glasfaser-Bonus</b> – Frist endete am 20.11.2026" in reply.html
    assert "Uralt" not in reply.html
    assert "KI-Lab" not in reply.html
    assert _buttons(turn) == ["k:foerderung-aktuell"]
    everything = await _feature(database).on_command(USER, "foerderung", "")
    assert "KI-Lab" in everything.replies[0].html


async def test_a_question_naming_an_ended_call_is_told_its_deadline_passed(
    database: Database,
) -> None:
    """Before the open calls: "Die Frist für … ist am … abgelaufen."""
    await _published(database, "Zukunftskommune 2026", date(2026, 11, 30), None)
    await _published(database, "Smart-Region-Fonds", date(2027, 3, 1), "smart-city")
    question = _ask("Kann ich noch Zukunftskommune 2026 beantragen?")
    turn = await _feature(database).on_intent(USER, question)
    first, header, listed = (reply.html for reply in turn.replies[:3])
    assert first == "Die Frist für <b>Zukunftskommune 2026</b> ist am 30.11.2026 abgelaufen."
    assert "Offene Förderaufrufe" in header
    assert "Smart-Region-Fonds" in listed
