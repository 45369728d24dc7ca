"""Group chats: personal and editor commands point to the private chat, nothing personal leaks."""

from __future__ import annotations

import pytest

from bot.dialogue.engine import Engine
from bot.dialogue.texts import load_texts
from bot.dialogue.types import Incoming, Turn
from bot.stores.bundle import Stores
from knowledge.markup import validate_html

TEXTS = load_texts()
USER, GROUP = 4713, -100_200_300
LINK = "https://t.me/digilotse_test_bot?start=gruppe"


def in_group(text: str = "", *, button: str | None = None, admin: bool = False) -> Incoming:
    return Incoming(
        USER,
        GROUP,
        text=None if button else text,
        button=button,
        is_admin=admin,
        private_chat_link=LINK,
    )


def html_of(turn: Turn) -> str:
    return "\n".join(reply.html for reply in turn.replies)


@pytest.mark.parametrize(
    ("command", "admin"),
    [
        pytest.param("/meinedaten@digilotse_test_bot", False, id="meinedaten"),
        pytest.param("/loeschen", False, id="loeschen"),
        pytest.param("/check", False, id="check"),
        pytest.param("/weiter", False, id="weiter"),
        pytest.param("/abonnieren", False, id="abonnieren"),
        pytest.param("/statistik", True, id="statistik"),
        pytest.param("/luecken", True, id="luecken"),
        pytest.param("/teilnehmer 1", True, id="teilnehmer"),
        pytest.param("/checkexport", True, id="checkexport"),
        pytest.param("/ankuendigen T | 2030-05-02 10:00 | Ulm | D", True, id="ankuendigen"),
        pytest.param("/foerderradar", False, id="foerderradar"),
        pytest.param(
            "/foerderaufruf T | 2030-05-02 | https://e.org/ | D", True, id="foerderaufruf"
        ),
    ],
)
async def test_personal_and_editor_commands_answer_with_a_link_to_the_private_chat(
    engine: Engine, command: str, admin: bool
) -> None:
    """The group gets one short note with the deep link: no export, no figures, no buttons."""
    turn = await engine.handle(in_group(command, admin=admin))

    [reply] = turn.replies
    validate_html(reply.html)
    assert f'href="{LINK}"' in reply.html
    assert reply.document is None
    assert reply.buttons == ()


@pytest.mark.parametrize("command", ["/datenschutz", "/hilfe", "/start", "/foerderung"])
async def test_public_commands_are_answered_in_the_group(engine: Engine, command: str) -> None:
    """What is the same for everyone is answered where it was asked."""
    assert LINK not in html_of(await engine.handle(in_group(command)))


async def test_event_list_in_a_group_shows_no_personal_answer(
    engine: Engine, stores: Stores
) -> None:
    """/termine in a group lists events without the sender's RSVP or subscription state."""
    turn = await engine.handle(in_group("/termine"))
    assert TEXTS["events_invite_subscribe"] not in html_of(turn)


async def test_personal_buttons_pressed_in_a_group_are_refused(engine: Engine) -> None:
    """A "delete my data" button in a group deletes nothing and says why."""
    turn = await engine.handle(in_group(button="del:yes"))
    assert (turn.toast, turn.replies) == (TEXTS["group_button_private"], ())


async def test_personal_intent_in_a_group_points_to_the_private_chat(engine: Engine) -> None:
    """Free text that would start a personal dialogue gets the note too."""
    turn = await engine.handle(in_group("Ich möchte alle meine Daten löschen"))
    assert LINK in html_of(turn)
