"""The dialogue engine, driven as the adapters drive it: messages and button presses in."""

from __future__ import annotations

import pytest

from bot.dialogue.engine import Engine
from bot.dialogue.texts import load_texts
from bot.dialogue.types import Incoming, Turn
from bot.stores.bundle import Stores
from bot.stores.gaps import DatabaseGapStore
from knowledge.markup import validate_html
from storage import Database
from storage.types import utcnow
from tests.bot.conftest import knowledge

TEXTS = load_texts()
USER = 4711
NEXT_YEAR = utcnow().year + 1  # announcements may be at most five years ahead


def say(text: str, *, admin: bool = False) -> Incoming:
    return Incoming(USER, USER, text=text, is_admin=admin)


def press(data: str) -> Incoming:
    return Incoming(USER, USER, button=data)


def only_html(turn: Turn) -> str:
    assert len(turn.replies) == 1, turn
    return turn.replies[0].html


def all_button_data(turn: Turn) -> list[str]:
    return [b.data for reply in turn.replies for row in reply.buttons for b in row]


class TestDialogueActs:
    @pytest.mark.parametrize(
        ("text", "key"),
        [
            pytest.param("Hallo!", "greet", id="greet"),
            pytest.param("Vielen Dank, das hilft mir sehr", "thanks", id="thanks"),
            pytest.param("Tschüss, bis bald", "goodbye", id="goodbye"),
            pytest.param("Bist du ein Mensch oder ein Bot?", "bot_challenge", id="bot-challenge"),
        ],
    )
    async def test_are_answered_without_a_knowledge_entry(
        self, engine: Engine, text: str, key: str
    ) -> None:
        assert only_html(await engine.handle(say(text))) == TEXTS[key]

    async def test_start_greets_with_four_menu_buttons(self, engine: Engine) -> None:
        turn = await engine.handle(say("/start"))
        assert all_button_data(turn) == ["m:ask", "m:check", "m:events", "m:help"]

    async def test_help_lists_the_commands(self, engine: Engine) -> None:
        assert "/datenschutz" in only_html(await engine.handle(say("/hilfe")))

    async def test_unknown_command_is_named_escaped(self, engine: Engine) -> None:
        html = only_html(await engine.handle(say("/gibtsnicht")))
        assert "/gibtsnicht" in html
        assert validate_html(html) == []


class TestKnowledgeQuestions:
    async def test_answer_carries_source_stand_and_feedback_buttons(self, engine: Engine) -> None:
        turn = await engine.handle(say("Was regelt das Onlinezugangsgesetz?"))
        html = only_html(turn)
        assert "Quelle" in html
        assert "Stand:" in html
        assert all_button_data(turn)[-2:] == ["f:ozg-grundlagen:up", "f:ozg-grundlagen:down"]

    async def test_questions_are_logged_pseudonymously(
        self, engine: Engine, stores: Stores
    ) -> None:
        await engine.handle(say("Was regelt das Onlinezugangsgesetz?"))
        exported = await stores.user_data.export(USER)
        logged: dict[str, object]
        (logged,) = exported["question_log"]  # type: ignore[misc]
        assert logged["outcome"] == "answer"
        assert logged["entry_id"] == "ozg-grundlagen"
        assert str(USER) not in str(logged)

    async def test_out_of_scope_abstains_and_records_a_gap(
        self, engine: Engine, stores: Stores, sqlite_database: Database
    ) -> None:
        html = only_html(await engine.handle(say("Wie wird das Wetter morgen in Stuttgart?")))
        assert html.startswith(TEXTS["abstain"].split("\n")[0])
        gaps = await DatabaseGapStore(sqlite_database, stores.questions.flush).open_questions()
        assert [gap.example for gap in gaps] == ["Wie wird das Wetter morgen in Stuttgart?"]

    async def test_detail_button_shows_the_longer_text(self, engine: Engine) -> None:
        entry = next(e for e in knowledge().entries.values() if e.detail)
        turn = await engine.handle(press(f"k:{entry.id}"))
        assert f"d:{entry.id}" in all_button_data(turn)
        longer = await engine.handle(press(f"d:{entry.id}"))
        assert f"d:{entry.id}" not in all_button_data(longer)
        assert only_html(longer) != only_html(turn)

    async def test_feedback_is_stored_and_acknowledged(
        self, engine: Engine, stores: Stores
    ) -> None:
        turn = await engine.handle(press("f:ozg-grundlagen:down"))
        assert turn.toast == TEXTS["feedback_thanks_down"]
        assert (await stores.stats.stats()).feedback_down == 1

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            pytest.param("Ich möchte jetzt den Check machen", "15–20 Minuten", id="start-check"),
            pytest.param("Was speichert ihr über mich?", "Datenschutz", id="privacy"),
        ],
    )
    async def test_dialogue_intents_go_to_their_feature_not_to_an_entry(
        self, engine: Engine, text: str, expected: str
    ) -> None:
        turn = await engine.handle(say(text))
        assert expected in turn.replies[0].html
        assert "Quelle:" not in turn.replies[0].html


class TestBadInput:
    @pytest.mark.parametrize(
        "text",
        [
            pytest.param("<script>alert('x')</script>", id="script"),
            pytest.param("<b>OZG</b> & Co", id="html"),
            pytest.param("\x00\x1b[31mOZG\x07", id="control"),
            pytest.param("😀😀😀", id="emoji-only"),
            pytest.param("東京の天気はどうですか", id="other-script"),
            pytest.param("OZG " * 2500, id="10000-characters"),
        ],
    )
    async def test_gets_a_valid_reply_without_echoing_markup(
        self, engine: Engine, text: str
    ) -> None:
        turn = await engine.handle(say(text))
        for reply in turn.replies:
            assert validate_html(reply.html) == []
            assert "<script>" not in reply.html

    async def test_empty_message_asks_for_text(self, engine: Engine) -> None:
        assert only_html(await engine.handle(say("   \n\t "))) == TEXTS["empty"]

    async def test_forwarded_command_is_not_run_even_for_an_admin(self, engine: Engine) -> None:
        forwarded = Incoming(USER, USER, text="/statistik", is_admin=True, forwarded=True)
        assert only_html(await engine.handle(forwarded)) == TEXTS["forwarded_command"]

    async def test_long_announcement_is_kept_whole_and_over_the_limit_refused_naming_it(
        self, engine: Engine
    ) -> None:
        """A 1 500-character description keeps its last line; 2 001 characters name the 2 000."""
        head = f"/ankuendigen Treffen | {NEXT_YEAR}-05-02 10:00 | Stuttgart | "
        description = "Programm " * 166 + "\nLetzte Zeile: Anmeldung bis Freitag"
        preview = await engine.handle(say(head + description, admin=True))
        assert "Letzte Zeile: Anmeldung bis Freitag" in preview.replies[0].html
        refused = await engine.handle(say(head + "x" * 2001, admin=True))
        assert "höchstens 2 000" in only_html(refused)
        assert "2 001 Zeichen" in only_html(refused)

    async def test_command_over_telegrams_limit_is_refused_not_cut(self, engine: Engine) -> None:
        """A command longer than 4 096 characters is not run at all; the reply names the limit."""
        head = f"/ankuendigen Treffen | {NEXT_YEAR}-05-02 10:00 | Stuttgart | "
        refused = only_html(await engine.handle(say(head + "x" * 4100, admin=True)))
        assert refused == TEXTS.format("command_too_long", limit="4 096")

    async def test_overlong_message_is_answered_with_a_notice(self, engine: Engine) -> None:
        turn = await engine.handle(say("Was ist das OZG? " + "bla " * 2000))
        assert turn.replies[0].html == TEXTS["too_long"]

    @pytest.mark.parametrize(
        "data",
        [
            pytest.param("k:nicht-vorhanden", id="unknown-entry"),
            pytest.param("f:ozg-grundlagen:sideways", id="bad-vote"),
            pytest.param("d:ozg-grundlagen:extra", id="extra-argument"),
            pytest.param("qq:1", id="unknown-kind"),
            pytest.param("m:nirgendwo", id="unknown-menu"),
            pytest.param("k:<b>", id="markup"),
            pytest.param("x" * 80, id="too-long"),
        ],
    )
    async def test_forged_buttons_are_refused_politely(self, engine: Engine, data: str) -> None:
        turn = await engine.handle(press(data))
        assert turn.toast == TEXTS["invalid_button"]
        assert turn.replies == ()


class TestPrivacyAndAdmin:
    async def test_delete_needs_confirmation_and_removes_everything(
        self, engine: Engine, stores: Stores
    ) -> None:
        await stores.users.touch_user(USER, USER)
        await engine.handle(say("Was regelt das Onlinezugangsgesetz?"))
        turn = await engine.handle(say("/loeschen"))
        assert all_button_data(turn) == ["del:yes", "del:no"]
        assert (await stores.user_data.export(USER))["user"] is not None
        await engine.handle(press("del:yes"))
        exported = await stores.user_data.export(USER)
        assert exported["user"] is None
        assert exported["question_log"] == []

    async def test_cancelled_delete_keeps_the_data(self, engine: Engine, stores: Stores) -> None:
        await stores.users.touch_user(USER, USER)
        await engine.handle(press("del:no"))
        assert (await stores.user_data.export(USER))["user"] is not None

    async def test_my_data_comes_as_a_json_document(self, engine: Engine) -> None:
        turn = await engine.handle(say("/meinedaten"))
        assert turn.replies[0].document is not None
        assert turn.replies[0].document.filename.endswith(".json")

    @pytest.mark.parametrize("command", ["/statistik", "/luecken"])
    async def test_admin_commands_refuse_non_admins(self, engine: Engine, command: str) -> None:
        assert only_html(await engine.handle(say(command))) == TEXTS["admin_only"]

    async def test_statistics_count_outcomes_for_admins(self, engine: Engine) -> None:
        await engine.handle(say("Was regelt das Onlinezugangsgesetz?"))
        html = (await engine.handle(say("/statistik", admin=True))).replies[0].html
        assert "Fragen (letzte 90 Tage): 1" in html


class TestInputThatIsNoQuestion:
    @pytest.mark.parametrize("text", ["?!?!...", "👍", "🤔🤔", "— … —"])
    async def test_text_without_words_gets_a_hint_and_is_not_logged_as_a_gap(
        self, engine: Engine, stores: Stores, text: str
    ) -> None:
        await stores.users.touch_user(USER, USER)
        assert only_html(await engine.handle(say(text))) == TEXTS["no_words"]
        assert (await stores.user_data.export(USER))["question_log"] == []

    @pytest.mark.parametrize(
        "text", ["https://www.gemeindetag-bw.de/foerderung?x=1&y=<2>", "www.example.org  "]
    )
    async def test_a_bare_link_is_answered_with_a_hint(self, engine: Engine, text: str) -> None:
        assert only_html(await engine.handle(say(text))) == TEXTS["only_links"]

    async def test_a_link_with_a_question_is_answered_as_a_question(self, engine: Engine) -> None:
        turn = await engine.handle(say("Was ist das OZG? https://www.onlinezugangsgesetz.de"))
        assert "Onlinezugangsgesetz" in only_html(turn)

    async def test_an_english_question_is_answered_with_a_note_in_the_same_message(
        self, engine: Engine
    ) -> None:
        turn = await engine.handle(say("What is the OZG and how do we apply for funding?"))
        assert turn.replies[0].html.startswith(TEXTS["english"])
        assert validate_html(turn.replies[0].html) == []

    async def test_a_german_question_gets_no_language_note(self, engine: Engine) -> None:
        turn = await engine.handle(say("Was ist das OZG und wie beantragen wir Förderung?"))
        assert TEXTS["english"] not in only_html(turn)

    @pytest.mark.parametrize(
        "text",
        [
            pytest.param(
                "Von: Max <max@example.org>\nBetreff: AW: Förderung <wichtig>\n\n"
                + "Sehr geehrte Damen und Herren, welche Förderung gibt es & wann? " * 50,
                id="pasted-e-mail-3000",
            ),
            pytest.param("OZG ist 東京 und Förderung für Кириллица", id="mixed-scripts"),
            pytest.param('<a href="javascript:x">Link</a> "quoted" & <i>', id="markup"),
        ],
    )
    async def test_odd_questions_get_a_valid_reply_that_escapes_the_input(
        self, engine: Engine, text: str
    ) -> None:
        turn = await engine.handle(say(text))
        assert turn.replies
        for reply in turn.replies:
            assert validate_html(reply.html) == []
            assert "javascript:" not in reply.html
            assert "<wichtig>" not in reply.html


class TestCommandRegistry:
    def test_every_command_has_its_description_in_the_texts(self, engine: Engine) -> None:
        names, defined = [*engine.commands, *admin_names(engine)], TEXTS.keys()
        assert all(f"command_{name}" in defined for name in names)

    async def test_help_lists_every_user_command_from_the_registry(self, engine: Engine) -> None:
        html = only_html(await engine.handle(say("/hilfe")))
        for name in ("start", "check", "abbrechen", "abonnieren", "abbestellen", "loeschen", "id"):
            assert f"/{name} – " in html
        assert TEXTS["help_admin_header"] not in html
        assert "/statistik" not in html
        assert validate_html(html) == []

    async def test_admins_also_see_the_editors_commands(self, engine: Engine) -> None:
        html = only_html(await engine.handle(say("/hilfe", admin=True)))
        assert TEXTS["help_admin_header"] in html
        for name in ("statistik", "luecken", "pruefen", "neuladen", "ankuendigen", "checkexport"):
            assert f"/{name} – " in html

    def test_the_menu_holds_no_editor_command_and_no_markup(self, engine: Engine) -> None:
        menu = engine.commands
        assert not set(menu) & set(admin_names(engine))
        assert list(menu)[:2] == ["start", "hilfe"]
        assert all("<" not in text and 1 <= len(text) <= 256 for text in menu.values())


def admin_names(engine: Engine) -> list[str]:
    html = engine.help(Incoming(USER, USER, is_admin=True)).replies[0].html
    admin_part = html.split(TEXTS["help_admin_header"])[1]
    return [line.split(" – ")[0].lstrip("/") for line in admin_part.strip().splitlines()]
