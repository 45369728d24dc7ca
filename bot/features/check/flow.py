"""The Digitalisierungs-Check dialogue: a state machine whose state lives in the database.

The session row holds ``status`` and ``position`` (index into :func:`build_steps`); every answer
is written before the reply is built, so a crash loses nothing and ``/weiter`` resumes at the
first unanswered step. Buttons carry ``ck:<action>:<session>:<position>[:<value>]``; a press
for another position is an old message: identical answers are acknowledged, others refused.

```mermaid
stateDiagram-v2
    [*] --> Name: /check (intro)
    Name --> Context: name typed (validated)
    Context --> Questions: 4 context buttons
    Questions --> Questions: option / Weiß nicht / Zurück
    Questions --> Lebensbereiche: after question 30
    Lebensbereiche --> Target: Fertig
    Target --> TargetMode: overall target level
    TargetMode --> Finished: Nein, alle gleich → result, chart, report
    TargetMode --> DimensionTargets: Ja, einzeln
    DimensionTargets --> DimensionTargets: level per dimension (8)
    DimensionTargets --> Finished: last dimension → result, chart, report
    Name --> Paused: Pause
    Context --> Paused: Pause
    Questions --> Paused: Pause
    Lebensbereiche --> Paused: Pause
    DimensionTargets --> Paused: Pause
    Paused --> Questions: /weiter (first unanswered step)
    Questions --> Cancelled: /abbrechen + Ja
    Paused --> Cancelled: /abbrechen + Ja
    Finished --> [*]: a year later, a re-check question (its yes = /check)
    Cancelled --> [*]
```
"""

from __future__ import annotations

import logging
import re

from bot.dialogue.feature import Feature
from bot.dialogue.input_shape import looks_like_question
from bot.dialogue.texts import Texts
from bot.dialogue.types import Aside, Document, Incoming, Reply, Turn
from bot.features.check.actions import CheckActions
from bot.features.check.export import results_csv
from bot.features.check.finish import warm_render_pool
from bot.features.check.messages import KIND
from bot.features.check.ports import MUNICIPALITY_MAX_CHARS, CheckAlreadyOpenError, CheckStore
from bot.features.check.recheck import RECHECK_NO, RECHECK_YES
from knowledge.check.model import Questionnaire, load_questionnaire
from nlu.types import ParseResult

logger = logging.getLogger(__name__)

NAME_PATTERN = re.compile(r"^[^\W_](?:[\w .,'’()/-]*[\w.)])?$")
MIN_NAME_CHARS = 2
EXPORT_COMMAND = "checkexport"


def valid_name(text: str) -> str | None:
    """The cleaned municipality name, or ``None`` if too long, too short or with markup."""
    name = " ".join(text.split())
    if not MIN_NAME_CHARS <= len(name) <= MUNICIPALITY_MAX_CHARS or "_" in name:
        return None
    return name if NAME_PATTERN.match(name) else None


class CheckFeature(Feature):
    """``/check``, ``/weiter``, ``/abbrechen``, the check's buttons and the admin export."""

    commands = ("check", "weiter", "abbrechen", EXPORT_COMMAND)
    admin_commands = frozenset({EXPORT_COMMAND})
    intents = frozenset({"start_check", "resume_check", "cancel"})
    button_kinds = frozenset({KIND})

    def __init__(
        self, store: CheckStore, texts: Texts, questionnaire: Questionnaire | None = None
    ) -> None:
        self._store = store
        self._texts = texts
        self._q = questionnaire or load_questionnaire()
        self._actions = CheckActions(store, texts, self._q)

    async def on_command(self, incoming: Incoming, command: str, args: str) -> Turn:
        """Start, resume, cancel, or export (admins only)."""
        if command == "check":
            return await self._start(incoming)
        if command == "weiter":
            return await self._resume(incoming)
        if command == "abbrechen":
            return await self._confirm_cancel(incoming)
        return await self._export(incoming)

    async def on_intent(self, incoming: Incoming, parse: ParseResult) -> Turn:
        """The NLU's way to the same three commands."""
        command = {"start_check": "check", "resume_check": "weiter"}.get(
            parse.intent.name, "abbrechen"
        )
        return await self.on_command(incoming, command, "")

    async def on_button(self, incoming: Incoming, parts: tuple[str, ...]) -> Turn:
        """The re-check question's two buttons; else validate the press (owner, status, position)
        and act on it."""
        if len(parts) == 3 and parts[1] == RECHECK_YES:
            return await self._start(incoming)
        if len(parts) == 3 and parts[1] == RECHECK_NO and parts[2].isdigit():
            await self._store.decline_recheck(incoming.user_id, int(parts[2]))
            return Turn(replies=(Reply(self._texts["check_recheck_declined"], edit=True),))
        return await self._actions.press(incoming, parts)

    async def on_text(self, incoming: Incoming, text: str) -> Turn | Aside | None:
        """While a check is open (not paused): take the name, or hint at the buttons.

        A question asked instead is let through and answered, with a way back into the check.
        """
        session = await self._store.unfinished(incoming.user_id)
        if session is None or session.status != "open":
            return None
        step = self._actions.current(session)
        if looks_like_question(text):
            return self._actions.aside(session, step)
        if step is None or step.kind != "name":
            hint = Reply(self._texts["check_free_text_hint"])
            return Turn(replies=(hint, *(await self._actions.show(session, step)).replies))
        name = valid_name(text)
        if name is None:
            limit = str(MUNICIPALITY_MAX_CHARS)
            return Turn.say(self._texts.format("check_name_invalid", max=limit))
        return await self._actions.save_name(session, name)

    async def _start(self, incoming: Incoming) -> Turn:
        session = await self._store.unfinished(incoming.user_id)
        if session is None:
            try:
                session = await self._store.start(
                    incoming.user_id, incoming.chat_id, self._q.version
                )
            except CheckAlreadyOpenError:
                session = await self._store.unfinished(incoming.user_id)
            else:
                warm_render_pool()  # while the user answers, not when the result is due
                return await self._actions.introduce(session)
        if session is None:  # pragma: no cover - cancelled between the two queries
            return Turn.say(self._texts["error"])
        return self._actions.offer_resume(session)

    async def _resume(self, incoming: Incoming) -> Turn:
        session = await self._store.unfinished(incoming.user_id)
        if session is None:
            return Turn.say(self._texts["check_resume_none"])
        return await self._actions.resume(session)

    async def _confirm_cancel(self, incoming: Incoming) -> Turn:
        session = await self._store.unfinished(incoming.user_id)
        if session is None:
            return Turn.say(self._texts["nothing_to_cancel"])
        return self._actions.confirm_cancel(session)

    async def _export(self, incoming: Incoming) -> Turn:
        if not incoming.is_admin:
            return Turn.say(self._texts["check_admin_only"])
        results = await self._store.results()
        if not results:
            return Turn.say(self._texts["check_export_empty"])
        caption = self._texts["check_export_caption"]
        document = Document("digilotse-checks.csv", results_csv(results, self._q), caption)
        return Turn(replies=(Reply(caption, document=document),))


def build_check_feature(store: CheckStore, texts: Texts) -> CheckFeature:
    """The check feature on a store (``bot.stores.check.DatabaseCheckStore`` in the bot)."""
    return CheckFeature(store, texts)
