"""DSGVO self-service through the engine: what /datenschutz says, /meinedaten and /loeschen."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.dialogue.engine import Engine
from bot.dialogue.types import Incoming, Turn
from bot.stores.bundle import Stores
from knowledge.markup import validate_html
from storage import Database
from storage.check.records import CheckResultRecord
from storage.check.reminders import CheckReminderRepository
from storage.check.repository import CheckRepository
from storage.events.repository import EventRepository

USER = 4712
FINISHED = datetime(2026, 11, 3, 9, 30, tzinfo=UTC)


def say(text: str) -> Incoming:
    return Incoming(USER, USER, text=text)


def html_of(turn: Turn) -> str:
    return "\n".join(reply.html for reply in turn.replies)


async def store_check_and_rsvp(database: Database) -> None:
    """A finished check (size class and two answers) with its result and re-check question,
    a subscription, an RSVP."""
    async with database.session() as session:
        checks = CheckRepository(session)
        check = await checks.start(USER, "2025.1")
        await checks.move(check.id, 0, 0, context={"size": 2})
        await checks.answer(check.id, "S1", 3)
        await checks.answer(check.id, "S2", None)
        await checks.set_status(check.id, "finished")
        dimensions: dict[str, float | None] = {"strategie": 3.0}
        result = CheckResultRecord(
            check.id, "Ulm", "ulm", 2, "2025.1", 3.0, 3, dimensions, FINISHED
        )
        await checks.save_result(result)
        recheck = FINISHED + timedelta(days=365)
        await CheckReminderRepository(session).schedule(USER, USER, check.id, recheck)
        events = EventRepository(session)
        await events.set_subscription(USER, USER, True)
        starts = datetime.now(UTC) + timedelta(days=5)
        event = await events.add_event("Netzwerktreffen", starts, "Ulm", "", [])
        await events.set_rsvp(USER, USER, event.id, True)


class TestPrivacyNotice:
    @pytest.mark.parametrize(
        "named",
        [
            pytest.param("Verantwortlich", id="controller"),
            pytest.param("Art. 6 Abs. 1", id="legal-basis"),
            pytest.param("LfDI BW", id="right-to-complain"),
            pytest.param("Ergebnis abgeschlossener Checks", id="check-results"),
            pytest.param("anonyme Tabelle", id="anonymous-export"),
            pytest.param("ein Jahr nach Ihrem letzten Check", id="recheck-question"),
            pytest.param("Termin-Abonnement", id="subscriptions"),
            pytest.param("Zu- und Absagen", id="rsvps"),
            pytest.param("pseudonym", id="question-log"),
            pytest.param("nach 90 Tagen", id="retention"),
            pytest.param("Sicherungen werden nach höchstens 15 Tagen überschrieben", id="backups"),
        ],
    )
    async def test_notice_names_everything_stored_and_the_users_rights(
        self, engine: Engine, named: str
    ) -> None:
        """/datenschutz names each kind of data, the legal basis, the LfDI and backups."""
        html = html_of(await engine.handle(say("/datenschutz")))
        validate_html(html)
        assert named in html


class TestExport:
    async def test_export_is_readable_with_result_and_rsvp_times(
        self, engine: Engine, stores: Stores, sqlite_database: Database
    ) -> None:
        """German keys, the size class and answers as worded in the questionnaire, times."""
        await stores.users.touch_user(USER, USER)
        await store_check_and_rsvp(sqlite_database)
        await engine.handle(say("/foerderradar breitband"))

        turn = await engine.handle(say("/meinedaten"))
        document = turn.replies[0].document
        assert document is not None
        exported = json.loads(document.content)

        assert exported["Nutzerkonto"]["Telegram-Nutzer-ID"] == USER
        [check] = exported["Digitalisierungs-Checks"]
        assert check["Status"] == "abgeschlossen"
        sizes = "Wie viele Einwohnerinnen und Einwohner hat Ihre Kommune?"
        assert check["Angaben zur Kommune"][sizes] == "10.000 – 19.999"
        answers = check["Antworten"]
        assert answers["Hat Ihre Kommune eine Digitalisierungsstrategie?"].startswith(
            "Der Gemeinderat hat eine Strategie beschlossen"
        )
        assert answers["Wie ist die Zuständigkeit für Digitalisierung geregelt?"] == "Weiß nicht"
        assert check["Ergebnis"]["Größenklasse"] == "10.000 – 19.999"
        assert check["Ergebnis"]["Reifegrad"] == "Etabliert"
        assert check["Ergebnis"]["Abgeschlossen am"] == "03.11.2026 10:30 Uhr"
        assert exported["Erinnerung an einen neuen Check"] == {
            "Geplant für": "03.11.2027 10:30 Uhr",
            "Gesendet am": "noch nicht",
        }
        [rsvp] = exported["Zu- und Absagen zu Terminen"]
        assert (rsvp["Termin"], rsvp["Ihre Antwort"]) == (
            "Netzwerktreffen",
            "Zusage (Ich nehme teil)",
        )
        assert rsvp["Geantwortet am"].endswith("Uhr")
        assert exported["Termin-Ankündigungen"] == "abonniert"
        radar = exported["Förderradar"]
        assert (radar["Status"], radar["Thema"]) == ("abonniert", "Breitband und Mobilfunk")
        assert not any(key.isascii() and "_" in key for key in exported)  # no code names


class TestErasure:
    async def test_deletion_names_every_kind_removed_with_cascades(
        self, engine: Engine, stores: Stores, sqlite_database: Database
    ) -> None:
        """The count includes rows removed with the user (checks, answers, results, RSVPs)."""
        await stores.users.touch_user(USER, USER)
        await store_check_and_rsvp(sqlite_database)
        await engine.handle(say("/foerderradar"))

        html = html_of(await engine.handle(Incoming(USER, USER, button="del:yes")))

        validate_html(html)
        for line in (
            "Nutzerkonto (Telegram-ID und Chat-ID): 1",
            "Digitalisierungs-Checks: 1",
            "Antworten in Checks: 2",
            "Ergebnisse abgeschlossener Checks: 1",
            "Geplante Erinnerung an einen neuen Check: 1",
            "Termin-Abonnement: 1",
            "Zu- und Absagen zu Terminen: 1",
            "Förderradar-Abonnement: 1",
        ):
            assert line in html
        assert "(9 Einträge)" in html

    async def test_deleting_an_unknown_user_says_nothing_was_stored(self, engine: Engine) -> None:
        """Nothing stored: no misleading count."""
        html = html_of(await engine.handle(Incoming(USER, USER, button="del:yes")))
        assert "nichts gespeichert" in html
