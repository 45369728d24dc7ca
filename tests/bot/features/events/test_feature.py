"""The event dialogue through the feature, on a real database: opt-in, RSVP, organiser flow."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from telegram.error import BadRequest

from bot.dialogue.texts import load_texts
from bot.dialogue.types import Incoming, Turn
from bot.features.events.feature import EventsFeature
from bot.stores.events import DatabaseEventStore
from storage import Database
from storage.events.outbox import OutboxRepository
from storage.events.records import OutboxCounts
from storage.events.repository import EventRepository
from tests.telegram_standin import StandinServer
from tests.telegram_standin.html_check import parse_html

NOW = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
ADMIN = Incoming(1, 1, is_admin=True)
USER = Incoming(2, 2)
ANNOUNCE = "Netzwerktreffen | 2026-03-12 18:00 | Leinfelden-Echterdingen | Austausch"


@pytest.fixture
def feature(database: Database) -> EventsFeature:
    return EventsFeature(
        DatabaseEventStore(database), load_texts(), ZoneInfo("Europe/Berlin"), lambda: NOW
    )


@pytest.fixture
def standin() -> Iterator[StandinServer]:
    with StandinServer(rate_limit=None) as server:
        server.add_user(USER.chat_id)
        yield server


async def _sent_through(standin: StandinServer, turn: Turn) -> list[bool]:
    """Send each reply as the adapter does (HTML parse mode); whether Telegram accepted it."""
    async with standin.bot() as bot:
        for reply in turn.replies:
            with contextlib.suppress(BadRequest):
                await bot.send_message(USER.chat_id, reply.html, parse_mode="HTML")
    return [call.ok for call in standin.sent if call.method == "sendMessage"]


def buttons(turn: Turn, index: int = -1) -> list[str]:
    return [b.data for row in turn.replies[index].buttons for b in row]


async def _publish(feature: EventsFeature, preview: Turn) -> None:
    """Press "Jetzt senden" under a preview."""
    await feature.on_button(ADMIN, tuple(buttons(preview)[0].split(":")))


async def _event_count(database: Database) -> int:
    async with database.session() as session:
        return len(await EventRepository(session).upcoming(NOW, 100))


@pytest.mark.parametrize("command", ["ankuendigen", "teilnehmer"])
async def test_non_admin_gets_a_polite_refusal_and_nothing_is_created(
    feature: EventsFeature, database: Database, command: str
) -> None:
    turn = await feature.on_command(USER, command, ANNOUNCE)
    assert "vorbehalten" in turn.replies[0].html
    assert await _event_count(database) == 0


async def test_malformed_announcement_gets_a_hint_naming_the_field(
    feature: EventsFeature, database: Database
) -> None:
    turn = await feature.on_command(ADMIN, "ankuendigen", "T | 12.03.2026 | Ort | B")
    assert "<b>Datum und Uhrzeit</b>" in turn.replies[0].html
    assert "JJJJ-MM-TT HH:MM" in turn.replies[0].html
    assert await _event_count(database) == 0


async def test_preview_shows_the_exact_announcement_and_sends_only_on_jetzt_senden(
    feature: EventsFeature, database: Database
) -> None:
    await feature.on_command(USER, "abonnieren", "")
    preview = await feature.on_command(ADMIN, "ankuendigen", ANNOUNCE)
    exact, controls = preview.replies
    assert "Do, 12.03.2026, 18:00 Uhr" in exact.html
    assert "Empfänger: <b>1</b>" in controls.html
    go, _cancel = buttons(preview)
    async with database.session() as session:
        assert await OutboxRepository(session).sending() == []
    non_admin = await feature.on_button(USER, tuple(go.split(":")))
    assert non_admin.toast is not None
    assert "vorbehalten" in non_admin.toast
    started = await feature.on_button(ADMIN, tuple(go.split(":")))
    assert started.replies[0].html == "📣 Versand läuft: 0 / 1 gesendet"
    again = await feature.on_button(ADMIN, tuple(go.split(":")))
    assert again.toast is not None
    assert "bereits" in again.toast
    async with database.session() as session:
        announcement_id = int(go.split(":")[2])
        assert await OutboxRepository(session).counts(announcement_id) == OutboxCounts(pending=1)
        assert (await OutboxRepository(session).get(announcement_id)).html == exact.html  # type: ignore[union-attr]


async def test_jetzt_senden_remembers_the_pressed_message_for_the_progress_only_for_admins(
    feature: EventsFeature, database: Database
) -> None:
    """The press carries its message id; the broadcast starts and shows its progress there."""
    await feature.on_command(USER, "abonnieren", "")
    go, _cancel = buttons(await feature.on_command(ADMIN, "ankuendigen", ANNOUNCE))
    parts = tuple(go.split(":"))
    announcement_id = int(parts[2])
    await feature.on_button(Incoming(USER.user_id, USER.chat_id, message_id=41), parts)
    async with database.session() as session:
        refused = await OutboxRepository(session).get(announcement_id)
    assert refused is not None
    assert refused.control_message_id is None
    await feature.on_button(Incoming(1, 1, is_admin=True, message_id=42), parts)
    await feature.on_button(
        Incoming(1, 1, is_admin=True, message_id=43), parts
    )  # no longer a draft
    async with database.session() as session:
        started = await OutboxRepository(session).get(announcement_id)
    assert started is not None
    assert started.control_message_id == 42


async def test_cancel_discards_the_event_and_sends_nothing(
    feature: EventsFeature, database: Database
) -> None:
    preview = await feature.on_command(ADMIN, "ankuendigen", ANNOUNCE)
    cancel = buttons(preview)[1]
    turn = await feature.on_button(ADMIN, tuple(cancel.split(":")))
    assert "nichts gesendet" in turn.replies[0].html
    assert await _event_count(database) == 0


async def test_rsvp_updates_counts_and_pressing_again_never_double_counts(
    feature: EventsFeature,
) -> None:
    preview = await feature.on_command(ADMIN, "ankuendigen", ANNOUNCE)
    await _publish(feature, preview)
    yes, no, ics = buttons(preview, 0)
    first = await feature.on_button(USER, tuple(yes.split(":")))
    assert "Zusagen: 1 · Absagen: 0" in first.replies[0].html
    assert first.replies[0].edit
    same = await feature.on_button(USER, tuple(yes.split(":")))
    assert same.replies == ()
    assert same.toast == "Ihre Antwort war schon so gespeichert."
    changed = await feature.on_button(USER, tuple(no.split(":")))
    assert "Zusagen: 0 · Absagen: 1" in changed.replies[0].html
    calendar = await feature.on_button(USER, tuple(ics.split(":")))
    document = calendar.replies[0].document
    assert document is not None
    assert document.content.startswith(b"BEGIN:VCALENDAR")
    listing = await feature.on_command(ADMIN, "teilnehmer", ics.split(":")[2])
    assert "Absage – Nutzer-ID <code>2</code>" in listing.replies[0].html


async def test_termine_lists_events_with_own_answer_and_invites_to_subscribe(
    feature: EventsFeature,
) -> None:
    assert "keine Termine" in (await feature.on_command(USER, "termine", "")).replies[0].html
    await _publish(feature, await feature.on_command(ADMIN, "ankuendigen", ANNOUNCE))
    turn = await feature.on_command(USER, "termine", "")
    assert "Netzwerktreffen" in turn.replies[1].html
    assert buttons(turn) == ["ev:sub"]
    assert "Sie erhalten ab jetzt" in (await feature.on_button(USER, ("ev", "sub"))).replies[0].html
    assert "bereits abonniert" in (await feature.on_command(USER, "abonnieren", "")).replies[0].html
    assert (
        "keine Termin-Ankündigungen mehr"
        in (await feature.on_command(USER, "abbestellen", "")).replies[0].html
    )


async def test_link_with_a_quote_is_refused_naming_the_field_and_nothing_is_saved(
    feature: EventsFeature, database: Database
) -> None:
    """The red team's ``https://example.org/a"b`` never reaches the database."""
    args = 'Link | 2026-05-02 10:00 | https://example.org/a"b | D'
    turn = await feature.on_command(ADMIN, "ankuendigen", args)
    assert "Online-Link im Feld <b>Ort</b>" in turn.replies[0].html
    assert await _event_count(database) == 0


async def test_termine_with_an_online_link_is_valid_telegram_html(
    feature: EventsFeature, standin: StandinServer
) -> None:
    """Ampersands and apostrophes in a link are escaped for the attribute; Telegram accepts it."""
    args = "Link | 2026-05-02 10:00 | https://example.org/?a=1&b='x' | D"
    await _publish(feature, await feature.on_command(ADMIN, "ankuendigen", args))
    turn = await feature.on_command(USER, "termine", "")
    assert await _sent_through(standin, turn) == [True] * len(turn.replies)
    listed = standin.messages_to(USER.chat_id)[1].text or ""
    assert parse_html(listed).entities[-1]["url"] == "https://example.org/?a=1&b='x'"


async def test_draft_is_neither_listed_nor_answerable_before_jetzt_senden(
    feature: EventsFeature,
) -> None:
    """Until the admin sends it, nobody sees the event or can say yes to it."""
    preview = await feature.on_command(ADMIN, "ankuendigen", ANNOUNCE)
    yes, _no, ics = buttons(preview, 0)
    assert "keine Termine" in (await feature.on_command(USER, "termine", "")).replies[0].html
    for data in (yes, ics):
        turn = await feature.on_button(USER, tuple(data.split(":")))
        assert turn.toast is not None
        assert "noch nicht veröffentlicht" in turn.toast
    listing = await feature.on_command(ADMIN, "teilnehmer", yes.split(":")[2])
    assert "Noch keine Rückmeldungen." in listing.replies[0].html
    await _publish(feature, preview)
    assert "Netzwerktreffen" in (await feature.on_command(USER, "termine", "")).replies[1].html
    answered = await feature.on_button(USER, tuple(yes.split(":")))
    assert "Zusagen: 1" in answered.replies[0].html


OUT_OF_RANGE = ("9" * 20, str(2**31), "0")


@pytest.mark.parametrize("action", ["y", "n", "ics", "go", "x"])
async def test_forged_or_out_of_range_ids_get_the_stale_button_toast(
    feature: EventsFeature, action: str
) -> None:
    for number in OUT_OF_RANGE:
        turn = await feature.on_button(ADMIN, ("ev", action, number))
        assert turn.toast == "Diese Schaltfläche ist nicht mehr gültig."
        assert not turn.replies


@pytest.mark.parametrize("args", ["፩", "٣", "9" * 20, str(2**31), "-1"])
async def test_attendees_with_a_number_out_of_range_get_the_usage_answer(
    feature: EventsFeature, args: str
) -> None:
    turn = await feature.on_command(ADMIN, "teilnehmer", args)
    assert "Nummer des Termins" in turn.replies[0].html


@pytest.mark.parametrize("year", ["0001", "2025", "2032", "9999"])
async def test_announcement_dates_far_off_are_refused_and_nothing_is_saved(
    feature: EventsFeature, database: Database, year: str
) -> None:
    turn = await feature.on_command(ADMIN, "ankuendigen", f"T | {year}-06-01 18:00 | Ort | B")
    expected = "Vergangenheit" if year < "2026" else "bis Ende 2031"
    assert expected in turn.replies[0].html
    assert await _event_count(database) == 0


async def test_announcement_five_years_ahead_is_accepted_and_its_calendar_file_builds(
    feature: EventsFeature,
) -> None:
    await feature.on_command(USER, "abonnieren", "")
    preview = await feature.on_command(ADMIN, "ankuendigen", "T | 2031-12-31 23:30 | Ort | B")
    await _publish(feature, preview)
    ics = next(data for data in buttons(preview, 0) if data.startswith("ev:ics:"))
    turn = await feature.on_button(USER, tuple(ics.split(":")))
    assert turn.replies[0].document is not None
