"""Features plug into the engine: each owns some commands, intents and button kinds."""

from __future__ import annotations

from typing import ClassVar

from bot.dialogue.types import Aside, Incoming, Turn
from nlu.types import ParseResult


class Feature:
    """Base class for a conversation feature; override what the feature handles.

    ``commands`` names its commands (without slash), in the order the menu and /hilfe list them;
    ``admin_commands`` are the editors' among them (in /hilfe for admins only, never in the
    menu). Their descriptions are the texts ``command_<name>`` (``bot/texts/commands.yaml``).
    ``intents`` lists NLU intents and ``button_kinds`` the callback-data kinds it owns.
    In group chats only ``group_commands`` are answered; the others (personal data, editor
    work), intents and buttons point to the private chat.
    """

    commands: ClassVar[tuple[str, ...]] = ()
    admin_commands: ClassVar[frozenset[str]] = frozenset()
    group_commands: ClassVar[frozenset[str]] = frozenset()
    intents: ClassVar[frozenset[str]] = frozenset()
    button_kinds: ClassVar[frozenset[str]] = frozenset()

    async def on_command(self, incoming: Incoming, command: str, args: str) -> Turn:
        """Handle one of ``commands``."""
        raise NotImplementedError

    async def on_intent(self, incoming: Incoming, parse: ParseResult) -> Turn:
        """Handle one of ``intents``."""
        raise NotImplementedError

    def claims(self, parse: ParseResult) -> bool:
        """Whether this feature takes a question the NLU gave one of its ``intents`` (default
        yes); ``False`` leaves it to the knowledge base."""
        return True

    async def on_button(self, incoming: Incoming, parts: tuple[str, ...]) -> Turn:
        """Handle a button press whose kind (``parts[0]``) is in ``button_kinds``."""
        raise NotImplementedError

    async def on_text(self, incoming: Incoming, text: str) -> Turn | Aside | None:
        """Claim free text while this feature holds the conversation; ``None`` lets it pass.

        An :class:`Aside` lets a question through while a dialogue waits, with how to go on.
        """
        return None
