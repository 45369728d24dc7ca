"""A question asked while the check waits: answered, with a way back into the check."""

from __future__ import annotations

import pytest

from bot.dialogue.engine import Engine
from bot.dialogue.types import Incoming, Turn
from bot.stores.bundle import Stores

USER = 4811
STILL_OPEN = "Digitalisierungs-Check ist noch offen"


class User:
    """Talks to the engine in a private chat and keeps the last buttons shown."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.buttons: dict[str, str] = {}

    async def say(self, text: str) -> Turn:
        return self._keep(await self.engine.handle(Incoming(USER, USER, text=text)))

    async def press(self, label: str) -> Turn:
        (data,) = [d for shown, d in self.buttons.items() if shown.endswith(label)]
        return self._keep(await self.engine.handle(Incoming(USER, USER, button=data)))

    def _keep(self, turn: Turn) -> Turn:
        shown = {b.label: b.data for r in turn.replies for row in r.buttons for b in row}
        self.buttons = shown or self.buttons
        return turn


def html(turn: Turn) -> str:
    return "\n".join(reply.html for reply in turn.replies)


@pytest.fixture
async def user(engine: Engine, stores: Stores) -> User:
    await stores.users.touch_user(USER, USER)
    found = User(engine)
    await found.say("/check")
    return found


async def test_a_question_instead_of_the_name_is_answered_and_the_check_stays_open(
    user: User,
) -> None:
    turn = await user.say("Was ist das OZG?")
    assert "Onlinezugangsgesetz" in turn.replies[0].html
    assert "nicht übernehmen" not in html(turn)
    assert STILL_OPEN in turn.replies[-1].html
    assert "Namen Ihrer Kommune" in turn.replies[-1].html
    turn = await user.say("Musterhausen")
    assert "Danke – Check für <b>Musterhausen</b>." in html(turn)


async def test_continue_after_a_question_shows_the_step_the_check_waits_for(user: User) -> None:
    await user.say("wie lange dauert der check")
    turn = await user.press("Fortsetzen")
    assert "Wie heißt Ihre Kommune?" in html(turn)
    assert turn.replies[0].edit


async def test_a_question_at_a_button_step_is_answered_and_the_step_kept(user: User) -> None:
    await user.say("Musterhausen")
    turn = await user.say("Gibt es Förderung für die Digitallotsen-Ausbildung?")
    assert STILL_OPEN in turn.replies[-1].html
    assert "Bitte antworten Sie mit einer der Schaltflächen" not in html(turn)
    turn = await user.press("Fortsetzen")
    assert "Angaben zur Kommune" in html(turn)


async def test_pause_from_the_aside_pauses_the_check(user: User) -> None:
    await user.say("Was ist Gt-service?")
    turn = await user.press("Pause")
    assert "pausiert" in html(turn)
    turn = await user.say("Musterhausen")  # paused: free text is a question again
    assert "Check für" not in html(turn)


async def test_asking_to_cancel_the_check_gets_the_cancel_question_without_an_aside(
    user: User,
) -> None:
    turn = await user.say("Kann ich den Check abbrechen?")
    assert STILL_OPEN not in html(turn)
    assert "wirklich abbrechen" in html(turn)


async def test_plain_text_at_a_button_step_still_points_to_the_buttons(user: User) -> None:
    await user.say("Musterhausen")
    turn = await user.say("ok")
    assert "Bitte antworten Sie mit einer der Schaltflächen" in html(turn)
