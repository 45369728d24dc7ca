"""A user of the check, talking to the real engine: presses buttons by their label."""

from __future__ import annotations

from bot.dialogue.engine import Engine
from bot.dialogue.types import Incoming, Turn

USER = 4711
OTHER = 4712
QUESTIONS = 30


class Driver:
    """Talks to the engine like a user and remembers the last buttons shown."""

    def __init__(self, engine: Engine, user_id: int = USER, *, admin: bool = False) -> None:
        self.engine = engine
        self.user_id = user_id
        self.admin = admin
        self.buttons: dict[str, str] = {}

    async def say(self, text: str) -> Turn:
        return self._remember(
            await self.engine.handle(
                Incoming(self.user_id, self.user_id, text=text, is_admin=self.admin)
            )
        )

    async def press_data(self, data: str) -> Turn:
        return self._remember(
            await self.engine.handle(
                Incoming(self.user_id, self.user_id, button=data, is_admin=self.admin)
            )
        )

    async def press(self, label: str) -> Turn:
        matches = [data for text, data in self.buttons.items() if text.endswith(label)]
        assert matches, f"no button {label!r} in {list(self.buttons)}"
        return await self.press_data(matches[0])

    def _remember(self, turn: Turn) -> Turn:
        shown = {b.label: b.data for reply in turn.replies for row in reply.buttons for b in row}
        if shown:
            self.buttons = shown
        return turn


def text(turn: Turn) -> str:
    return "\n".join(reply.html for reply in turn.replies)


async def start(driver: Driver, name: str = "Musterhausen", size: str = "3.000 – 9.999") -> None:
    turn = await driver.say("/check")
    assert "15–20 Minuten" in text(turn)
    turn = await driver.say(name)
    assert "Angaben zur Kommune" in text(turn)
    for label in (size, "Ja", "IT", "unter 0,5"):
        turn = await driver.press(label)
    assert "Frage 1 von 30" in text(turn)


async def answer_all(
    driver: Driver, option: str = "C", start_at: int = 1, *, finish: bool = True
) -> Turn:
    """Answer every question with ``option``, pick one Lebensbereich and target 3; with
    ``finish`` also keep that target for all fields (else stop at the target-mode question)."""
    turn = Turn()
    for _ in range(start_at, QUESTIONS + 1):
        turn = await driver.press(option)
    assert "Lebensbereiche" in text(turn)
    await driver.press("Mobilität & Verkehr")
    await driver.press("Fertig")
    turn = await driver.press("Stufe 3 – Etabliert")
    assert "ein anderes Ziel setzen" in text(turn)
    return await driver.press("Nein, alle gleich") if finish else turn
