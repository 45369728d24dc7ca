"""The dialogue engine: routes commands, button presses and free text to features.

```mermaid
flowchart LR
    In[Incoming] -->|button| Btn{kind owner?} -->|yes| F[Feature.on_button]
    Btn -->|no| Stale[„nicht mehr gültig“]
    In -->|/command| Cmd[core or Feature.on_command]
    In -->|text| Claim{feature holds dialogue?} -->|yes| T[Feature.on_text]
    T -->|a question instead| NLU
    Claim -->|no| NLU[NLU intent] --> Route[core reply / Feature.on_intent / knowledge]
```
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Sequence
from dataclasses import replace

from bot.dialogue import callbacks
from bot.dialogue.cleaning import MAX_COMMAND_CHARS, clean_text, command_too_long, split_command
from bot.dialogue.feature import Feature
from bot.dialogue.input_shape import has_words, looks_english, only_links
from bot.dialogue.texts import Texts
from bot.dialogue.types import Aside, Button, Incoming, Keyboard, Reply, Turn
from knowledge.markup import escape
from nlu.types import NluBackend, ParseResult

logger = logging.getLogger(__name__)

MENU = "m"
# Intents answered with a fixed text when no feature claims them.
SIMPLE_INTENTS = {
    "greet": "greet",
    "thanks": "thanks",
    "goodbye": "goodbye",
    "bot_challenge": "bot_challenge",
    "chitchat": "chitchat",
}
MENU_COMMANDS = {"check": "check", "events": "termine"}
CORE_COMMANDS = ("start", "hilfe")  # answered by the engine itself
_TAG = re.compile(r"<[^>]+>")


def plain(html_text: str) -> str:
    """A text without its markup, for Telegram's command menu (which shows no HTML)."""
    return html.unescape(_TAG.sub("", html_text))


class Engine:
    """Channel-agnostic conversation handling: one call per incoming message or button press."""

    def __init__(
        self,
        nlu: NluBackend,
        knowledge: Feature,
        texts: Texts,
        features: Sequence[Feature] = (),
    ) -> None:
        self._nlu = nlu
        self._knowledge = knowledge
        self._texts = texts
        self._features = (*features, knowledge)

    @property
    def commands(self) -> dict[str, str]:
        """The client's command menu: every command but the editors', name → plain description."""
        return {name: plain(self._texts[f"command_{name}"]) for name in self._registry(False)}

    def help(self, incoming: Incoming) -> Turn:
        """/hilfe: how to ask, then every command from the registry (editors' ones for admins)."""
        parts = [self._texts["help"], self._command_list("help_commands_header", False)]
        if incoming.is_admin:
            parts.append(self._command_list("help_admin_header", True))
        return Turn.say("\n\n".join(parts))

    def _registry(self, admin: bool) -> list[str]:
        """Command names in menu order: the engine's own, then each feature's."""
        names = [] if admin else list(CORE_COMMANDS)
        for feature in self._features:
            names += [n for n in feature.commands if (n in feature.admin_commands) == admin]
        return names

    def _command_list(self, header: str, admin: bool) -> str:
        lines = [f"/{name} – {self._texts[f'command_{name}']}" for name in self._registry(admin)]
        return "\n".join([self._texts[header], *lines])

    async def handle(self, incoming: Incoming) -> Turn:
        """Answer one incoming message or button press."""
        if incoming.button is not None:
            return await self._on_button(incoming, incoming.button)
        text, truncated = clean_text(incoming.text or "")
        if not text:
            return Turn.say(self._texts["empty"])
        turn = await self._on_text(incoming, text)
        if truncated:
            notice = Reply(html=self._texts["too_long"])
            return Turn(replies=(notice, *turn.replies), toast=turn.toast)
        return turn

    def welcome(self) -> Turn:
        """The /start greeting with the main menu."""
        return Turn.say(self._texts["welcome"], self._menu())

    async def _on_text(self, incoming: Incoming, text: str) -> Turn:
        command = split_command(text)
        if command is not None and incoming.forwarded:
            return Turn.say(self._texts["forwarded_command"])
        if command is not None and command_too_long(text):
            limit = f"{MAX_COMMAND_CHARS:,}".replace(",", " ")
            return Turn.say(self._texts.format("command_too_long", limit=limit))
        if command is not None:
            return await self._on_command(incoming, *command)
        for feature in self._features:
            claimed = await feature.on_text(incoming, text)
            if isinstance(claimed, Aside):
                return await self._aside(incoming, text, feature, claimed)
            if claimed is not None:
                return claimed
        if not has_words(text) or only_links(text):
            return Turn.say(self._texts["no_words" if not has_words(text) else "only_links"])
        turn = await self._on_intent(incoming, await self._nlu.parse(text))
        if looks_english(text) and turn.replies:
            first = turn.replies[0]
            noted = replace(first, html=f"{self._texts['english']}\n\n{first.html}")
            return replace(turn, replies=(noted, *turn.replies[1:]))
        return turn

    async def _aside(self, incoming: Incoming, text: str, waiting: Feature, aside: Aside) -> Turn:
        """Answer a question asked while ``waiting`` holds a dialogue, then say how to go on."""
        parse = await self._nlu.parse(text)
        turn = await self._on_intent(incoming, parse)
        if parse.intent.name in waiting.intents:  # e.g. "Check abbrechen?": the dialogue's own
            return turn
        return Turn(replies=(*turn.replies, *aside.after), toast=turn.toast)

    async def _on_command(self, incoming: Incoming, name: str, args: str) -> Turn:
        if name == "start":
            return self.welcome()
        if name in ("hilfe", "help"):
            return self.help(incoming)
        for feature in self._features:
            if name in feature.commands:
                if incoming.in_group and name not in feature.group_commands:
                    return self._to_private_chat(incoming)
                return await feature.on_command(incoming, name, args)
        return Turn.say(self._texts.format("unknown_command", command=escape("/" + name)))

    async def _on_intent(self, incoming: Incoming, parse: ParseResult) -> Turn:
        name = parse.intent.name
        for feature in self._features:
            if name in feature.intents and feature is not self._knowledge and feature.claims(parse):
                if incoming.in_group:
                    return self._to_private_chat(incoming)
                return await feature.on_intent(incoming, parse)
        if name == "help":
            return self.help(incoming)
        if name in SIMPLE_INTENTS:
            return Turn.say(self._texts[SIMPLE_INTENTS[name]])
        if name == "cancel":
            return Turn.say(self._texts["nothing_to_cancel"])
        return await self._knowledge.on_intent(incoming, parse)

    async def _on_button(self, incoming: Incoming, data: str) -> Turn:
        parts = callbacks.decode(data)
        if parts is None:
            logger.info("rejected malformed callback data from user")
            return Turn(toast=self._texts["invalid_button"])
        if parts[0] == MENU and len(parts) == 2:
            return await self._on_menu(incoming, parts[1])
        for feature in self._features:
            if parts[0] in feature.button_kinds:
                if incoming.in_group and feature is not self._knowledge:
                    return Turn(toast=self._texts["group_button_private"])
                return await feature.on_button(incoming, parts)
        return Turn(toast=self._texts["invalid_button"])

    def _to_private_chat(self, incoming: Incoming) -> Turn:
        """In a group: a short note with the link to the private chat, nothing personal."""
        href = escape(incoming.private_chat_link or "", quote=True)
        link = f'<a href="{href}">{self._texts["group_private_link"]}</a>'
        return Turn.say(self._texts.format("group_private_only", link=link))

    async def _on_menu(self, incoming: Incoming, choice: str) -> Turn:
        if choice == "ask":
            return Turn.say(self._texts["ask_prompt"])
        if choice == "help":
            return self.help(incoming)
        if choice in MENU_COMMANDS:
            return await self._on_command(incoming, MENU_COMMANDS[choice], "")
        return Turn(toast=self._texts["invalid_button"])

    def _menu(self) -> Keyboard:
        def button(key: str, choice: str) -> Button:
            return Button(self._texts[key], callbacks.encode(MENU, choice))

        return (
            (button("menu_ask", "ask"), button("menu_check", "check")),
            (button("menu_events", "events"), button("menu_help", "help")),
        )
