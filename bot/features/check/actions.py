"""What each check button does; every state change goes through the store first."""

from __future__ import annotations

import logging
from typing import Any

from bot.dialogue import callbacks
from bot.dialogue.texts import Texts
from bot.dialogue.types import Aside, Button, Incoming, Reply, Turn
from bot.features.check.finish import finish_turn, warm_render_pool
from bot.features.check.messages import KIND, NOTHING, UNKNOWN, CheckRenderer
from bot.features.check.ports import CheckSession, CheckStore
from bot.features.check.steps import (
    DIMENSION_TARGET_CHOICES,
    EACH,
    LEBENSBEREICHE,
    PICK,
    SAME,
    TARGET_CHOICES,
    Step,
    build_steps,
    first_unanswered,
    stored_answer,
    with_answer,
)
from knowledge.check.model import Questionnaire
from knowledge.markup import escape

logger = logging.getLogger(__name__)
POSITIONAL = frozenset("abphtd")
POSITION_MAX = 2**31 - 1  # step positions and button values: an ``Integer`` column at most
TOGGLE_TRIES = 3  # a pick lost to a concurrent write is redone on a fresh read, this often


class CheckActions:
    """Validates button presses and moves a session through its steps."""

    def __init__(self, store: CheckStore, texts: Texts, questionnaire: Questionnaire) -> None:
        self._store = store
        self._texts = texts
        self._q = questionnaire
        self._steps = build_steps(questionnaire)
        self.render = CheckRenderer(questionnaire, self._steps, texts)

    def current(self, session: CheckSession) -> Step | None:
        """The step the session is at (``None`` once every step is answered)."""
        return self._steps[session.position] if session.position < len(self._steps) else None

    async def show(self, session: CheckSession, step: Step | None, *, edit: bool = False) -> Turn:
        """The message of ``step`` with its buttons (or the result when all is answered)."""
        if step is None:
            return await self._finish(session, session.position, session.context)
        answers = await self._store.answers(session.id)
        chosen = self._chosen(step, answers, session)
        html = self.render.step(step, session.id, session.context, chosen)
        buttons = self.render.keyboard(step, session.id, session.context, chosen)
        return Turn(replies=(Reply(html, buttons, edit=edit),))

    def _chosen(self, step: Step, answers: dict[str, int | None], session: CheckSession) -> Any:
        if step.kind == "question":
            return answers.get(step.id, NOTHING)
        return stored_answer(step, session.context, NOTHING)

    async def introduce(self, session: CheckSession) -> Turn:
        """What to expect, and the first step, in one message."""
        first = (await self.show(session, self.current(session))).replies[0]
        html = f"{self._texts['check_intro']}\n\n{first.html}"
        return Turn(replies=(Reply(html, first.buttons),))

    def offer_resume(self, session: CheckSession) -> Turn:
        """An unfinished check exists: continue it or start over."""
        step = self.current(session)
        where = self.render.where(step)
        buttons = (
            (
                self.render.button(self._texts["check_continue_label"], "c", session.id),
                self.render.button(self._texts["check_restart_label"], "r", session.id),
            ),
        )
        return Turn.say(self._texts.format("check_already_open", where=where), buttons)

    def aside(self, session: CheckSession, step: Step | None) -> Aside:
        """After a question asked mid-check: the check is still open, how to go on."""
        key = "check_aside_name" if step is not None and step.kind == "name" else "check_aside"
        buttons: list[Button] = [
            self.render.button(self._texts["check_continue_label"], "c", session.id)
        ]
        if step is not None:
            pause = self._texts["check_pause_label"]
            buttons.append(self.render.button(pause, "p", session.id, step.index))
        return Aside(after=(Reply(self._texts[key], (tuple(buttons),)),))

    def confirm_cancel(self, session: CheckSession) -> Turn:
        """Ask before cancelling."""
        buttons = (
            (
                self.render.button(self._texts["check_cancel_yes_label"], "y", session.id),
                self.render.button(self._texts["check_cancel_no_label"], "n", session.id),
            ),
        )
        return Turn.say(self._texts["check_cancel_confirm"], buttons)

    async def resume(self, session: CheckSession, *, edit: bool = False) -> Turn:
        """Continue at the first unanswered step."""
        warm_render_pool()  # after a restart the render processes are gone
        answers = await self._store.answers(session.id)
        target = first_unanswered(
            self._steps, answers, session.context, session.municipality is not None
        )
        await self._store.move(session.id, session.position, target)
        moved = await self._store.get(session.id)
        assert moved is not None
        return await self.show(moved, self.current(moved), edit=edit)

    async def save_name(self, session: CheckSession, name: str) -> Turn:
        """Store the municipality name and show the next step."""
        answers = await self._store.answers(session.id)
        target = first_unanswered(self._steps, answers, session.context, True, after=0)
        if not await self._store.move(session.id, session.position, target, municipality=name):
            return Turn.say(self._texts["check_already_saved"])
        saved = Reply(self._texts.format("check_name_saved", name=escape(name)))
        return await self._next(session.id, target, saved)

    async def press(self, incoming: Incoming, parts: tuple[str, ...]) -> Turn:
        """Entry point for every ``ck:…`` button."""
        parsed = _parse(parts)
        if parsed is None:
            return Turn(toast=self._texts["invalid_button"])
        action, session_id, position, value = parsed
        session = await self._store.get(session_id)
        if session is None or session.telegram_user_id != incoming.user_id:
            return Turn(toast=self._texts["check_not_yours"])
        if session.status not in ("open", "paused"):
            return Turn(toast=self._texts["check_closed"])
        if position is None:
            return await self._session_action(action, session, incoming.chat_id)
        return await self._step_action(action, session, position, value)

    async def _session_action(self, action: str, session: CheckSession, chat_id: int) -> Turn:
        if action == "c":
            return await self.resume(session, edit=True)
        if action == "r":
            await self._store.set_status(session.id, "cancelled")
            new = await self._store.start(session.telegram_user_id, chat_id, self._q.version)
            return await self.introduce(new)
        if action == "y":
            await self._store.set_status(session.id, "cancelled")
            return Turn(replies=(Reply(self._texts["check_cancelled"], edit=True),))
        if action == "n":
            return Turn(replies=(Reply(self._texts["check_cancel_kept"], edit=True),))
        return Turn(toast=self._texts["invalid_button"])

    async def _step_action(
        self, action: str, session: CheckSession, position: int, value: str | None
    ) -> Turn:
        if position >= len(self._steps):
            return Turn(toast=self._texts["invalid_button"])
        step = self._steps[position]
        if action == "h":
            return Turn(
                toast=step.question.help if step.question else self._texts["check_free_text_hint"]
            )
        if position != session.position:
            return await self._stale(action, session, step, value)
        if action == "p":
            await self._store.set_status(session.id, "paused")
            return Turn(replies=(Reply(self._texts["check_paused"], edit=True),))
        if action == "b":
            return await self._back(session, position)
        if action in ("t", "d"):
            return await self._pick(action, session, step, value)
        return await self._answer(session, step, value)

    async def _stale(
        self, action: str, session: CheckSession, step: Step, value: str | None
    ) -> Turn:
        if action == "a" and step.kind not in ("name", "lebensbereiche"):
            answers = await self._store.answers(session.id)
            stored = self._chosen(step, answers, session)
            if stored is not NOTHING and stored == _value(step, value):
                return Turn(toast=self._texts["check_already_saved"])
        if action == "p":
            await self._store.set_status(session.id, "paused")
            return Turn(replies=(Reply(self._texts["check_paused"], edit=True),))
        return Turn(toast=self._texts["check_old_question"])

    async def _back(self, session: CheckSession, position: int) -> Turn:
        previous = max(0, position - 1)
        await self._store.move(session.id, position, previous)
        moved = await self._store.get(session.id)
        assert moved is not None
        return await self.show(moved, self.current(moved), edit=True)

    async def _answer(self, session: CheckSession, step: Step, raw: str | None) -> Turn:
        value = _value(step, raw)
        if value is NOTHING or not self._valid(step, value):
            return Turn(toast=self._texts["invalid_button"])
        answers = await self._store.answers(session.id)
        context = dict(session.context)
        named = session.municipality is not None
        if step.kind == "question":
            answers[step.id] = value
            target = first_unanswered(self._steps, answers, context, named, after=step.index)
            saved = await self._store.answer(session.id, step.index, target, step.id, value)
        else:
            context = with_answer(step, context, value)
            target = first_unanswered(self._steps, answers, context, named, after=step.index)
            saved = await self._store.move(
                session.id, step.index, target, context=context, seen=session.updated_at
            )
        if not saved:
            return Turn(toast=self._texts["check_already_saved"])
        done = Reply(self.render.answered(step, value, context), edit=True)
        return await self._next(session.id, target, done)

    def _valid(self, step: Step, value: Any) -> bool:
        if step.kind == "question":
            return value is None or value in range(5)
        if step.kind == "context" and step.context is not None:
            return isinstance(value, int) and value in range(len(step.context.options))
        choices = {
            "target": TARGET_CHOICES,
            "targetmode": (SAME, EACH),
            "dimtarget": DIMENSION_TARGET_CHOICES,
        }
        return value in choices.get(step.kind, ())

    async def _pick(self, action: str, session: CheckSession, step: Step, raw: str | None) -> Turn:
        if step.kind != "lebensbereiche":
            return Turn(toast=self._texts["invalid_button"])
        context = dict(session.context)
        picked = list(context.get(PICK, []))
        if action == "d":
            context[LEBENSBEREICHE] = picked
            answers = await self._store.answers(session.id)
            target = first_unanswered(self._steps, answers, context, True, after=step.index)
            if not await self._store.move(
                session.id, step.index, target, context=context, seen=session.updated_at
            ):
                return Turn(toast=self._texts["check_already_saved"])
            done = Reply(self.render.answered(step, picked), edit=True)
            return await self._next(session.id, target, done)
        index = callbacks.parse_int(raw, 0, POSITION_MAX) if raw is not None else None
        if index is None or index not in range(len(self._q.lebensbereiche)):
            return Turn(toast=self._texts["invalid_button"])
        return await self._toggle(session, step, self._q.lebensbereiche[index].id)

    async def _toggle(self, session: CheckSession, step: Step, item: str) -> Turn:
        """Pick or unpick ``item``; a write from a stale read (a press handled meanwhile, maybe
        by another replica) is refused by the database and done again on a fresh read."""
        for _ in range(TOGGLE_TRIES):
            picked = list(session.context.get(PICK, []))
            if item in picked:
                picked.remove(item)
            elif len(picked) >= self._q.max_lebensbereiche:
                limit = str(self._q.max_lebensbereiche)
                return Turn(toast=self._texts.format("check_lebensbereiche_too_many", max=limit))
            else:
                picked.append(item)
            context, at = {**session.context, PICK: picked}, step.index
            if await self._store.move(session.id, at, at, context=context, seen=session.updated_at):
                break
            fresh = await self._store.get(session.id)
            if fresh is None or fresh.position != at or fresh.status != "open":
                break
            session = fresh
        moved = await self._store.get(session.id)
        assert moved is not None
        return await self.show(moved, self.current(moved), edit=True)

    async def _next(self, session_id: int, target: int, first: Reply) -> Turn:
        session = await self._store.get(session_id)
        assert session is not None
        step = self.current(session)
        if step is None:
            return await self._finish(session, target, session.context, first)
        shown = await self.show(session, step)
        note = self.render.dimension_done(step)
        extra = (Reply(note),) if note else ()
        return Turn(replies=(first, *extra, *shown.replies))

    async def _finish(
        self,
        session: CheckSession,
        position: int,
        context: dict[str, Any],
        first: Reply | None = None,
    ) -> Turn:
        turn = await finish_turn(self._store, self._q, self._texts, session, position, context)
        if turn is None:
            return Turn(toast=self._texts["check_already_saved"])
        return Turn(replies=((first,) if first else ()) + turn.replies)


def _parse(parts: tuple[str, ...]) -> tuple[str, int, int | None, str | None] | None:
    """``(action, session, position, value)`` from ``ck:…`` parts, or ``None`` if malformed."""
    session_id = callbacks.parse_id(parts[2]) if len(parts) >= 3 and parts[0] == KIND else None
    if session_id is None:
        return None
    action = parts[1]
    if action not in POSITIONAL:
        return (action, session_id, None, None) if len(parts) == 3 else None
    position = callbacks.parse_int(parts[3], 0, POSITION_MAX) if len(parts) in (4, 5) else None
    if position is None:
        return None
    return action, session_id, position, parts[4] if len(parts) == 5 else None


def _value(step: Step, raw: str | None) -> Any:
    """The answer value a button carries (``None`` for "Weiß nicht")."""
    if raw == UNKNOWN and step.kind == "question":
        return None
    value = callbacks.parse_int(raw, 0, POSITION_MAX) if raw is not None else None
    return NOTHING if value is None else value
