"""/id tells any user their numeric Telegram id, for the operator's ADMIN_IDS."""

from __future__ import annotations

from bot.dialogue.engine import Engine
from bot.dialogue.types import Incoming


def _html(turn: object) -> str:
    return "\n".join(reply.html for reply in turn.replies)  # type: ignore[attr-defined]


async def test_id_names_the_senders_user_id(engine: Engine) -> None:
    """A private /id answers with the user id in code formatting."""
    html = _html(await engine.handle(Incoming(user_id=424242, chat_id=424242, text="/id")))
    assert "<code>424242</code>" in html
    assert "ADMIN_IDS" in html
    assert "Chats" not in html


async def test_id_in_a_group_also_names_the_chat(engine: Engine) -> None:
    """In a group the chat id is added (user and chat differ)."""
    html = _html(await engine.handle(Incoming(user_id=5, chat_id=-100123, text="/id")))
    assert "<code>5</code>" in html
    assert "<code>-100123</code>" in html


def test_id_is_in_the_command_menu(engine: Engine) -> None:
    """The command appears in Telegram's menu."""
    assert "id" in engine.commands
