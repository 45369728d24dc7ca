"""Knowledge questions: retrieve, decide (answer / suggest / abstain), render with buttons.

A short follow-up ("Und wie viel Geld gab es da?") is read against the entry the user was
shown last (:mod:`knowledge.retrieval.context`), remembered through :class:`RecentEntries` in
private chats only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import date
from typing import ClassVar

from bot.dialogue import callbacks
from bot.dialogue.feature import Feature
from bot.dialogue.texts import Texts
from bot.dialogue.types import Button, Incoming, Keyboard, Reply, Turn
from bot.features.knowledge.ports import FeedbackLog, PickLog, QuestionLog, RecentEntries
from knowledge.render import render_answer, review_due
from knowledge.retrieval import Decision, Retriever
from knowledge.retrieval.context import decide_in_context, might_follow_up
from knowledge.schema import Entry
from nlu.types import ParseResult

logger = logging.getLogger(__name__)

SHOW, DETAIL, FEEDBACK = "k", "d", "f"
OFFERED = "o"  # marks an "Oder …" button: pressing it corrects the answer above it
LABEL_MAX = 40
HINT_ENTITIES = ("programme", "baustein", "topic")


class KnowledgeFeature(Feature):
    """Answers questions from the curated knowledge base."""

    intents: ClassVar[frozenset[str]] = frozenset({"ask_knowledge", "nlu_fallback", "out_of_scope"})
    button_kinds: ClassVar[frozenset[str]] = frozenset({SHOW, DETAIL, FEEDBACK})

    def __init__(
        self,
        entries: Mapping[str, Entry],
        retriever: Retriever,
        texts: Texts,
        question_log: QuestionLog | None = None,
        feedback_log: FeedbackLog | None = None,
        today: Callable[[], date] = date.today,
        recent: RecentEntries | None = None,
        picks: PickLog | None = None,
    ) -> None:
        self._entries = entries
        self._picks = picks
        self._retriever = retriever
        self._texts = texts
        self._question_log = question_log
        self._feedback_log = feedback_log
        self._today = today
        self._recent = recent
        self._answers: dict[tuple[str, bool, bool], Turn] = {}

    async def on_intent(self, incoming: Incoming, parse: ParseResult) -> Turn:
        """Answer the question in ``parse.text``, sharpened by the NLU's entities."""
        hints = {e.entity: e.value for e in parse.entities if e.entity in HINT_ENTITIES}
        previous = await self._previous(incoming, parse.text)
        if previous is None:
            decision = self._retriever.decide(parse.text, hints=hints)
        else:
            decision = decide_in_context(self._retriever, parse.text, previous, hints)
        await self._record(incoming, parse.text, decision)
        if decision.outcome == "answer" and decision.best is not None:
            await self._shown(incoming, decision.best.id, previous)
        return self.decision_turn(decision)

    async def on_button(self, incoming: Incoming, parts: tuple[str, ...]) -> Turn:
        """Show an entry, its detail text, or record feedback; stale ids are refused."""
        kind, args = parts[0], parts[1:]
        entry = self._entries.get(args[0]) if args else None
        if entry is None:
            return Turn(toast=self._texts["invalid_button"])
        if kind == SHOW and args[1:] in ((), (OFFERED,)):
            await self._picked(incoming, entry.id, offered=len(args) == 2)
            await self._shown(incoming, entry.id)
            return self.answer_turn(entry)
        if kind == DETAIL and len(args) == 1 and entry.detail:
            await self._shown(incoming, entry.id)
            return self.answer_turn(entry, detail=True)
        if kind == FEEDBACK and len(args) == 2 and args[1] in ("up", "down"):
            return await self._feedback(incoming, entry, args[1])
        return Turn(toast=self._texts["invalid_button"])

    def answer_turn(self, entry: Entry, *, detail: bool = False) -> Turn:
        """The rendered entry with follow-up, detail and feedback buttons.

        Built once per entry and review state: the entries do not change while the bot runs, but
        an entry whose ``review_by`` has passed carries a line asking to check the source.
        """
        today = self._today()
        key = (entry.id, detail, review_due(entry, today))
        turn = self._answers.get(key)
        if turn is None:
            html = render_answer(entry, detail=detail, today=today)
            turn = Turn(replies=(Reply(html=html, buttons=self._answer_buttons(entry, detail)),))
            self._answers[key] = turn
        return turn

    def decision_turn(self, decision: Decision) -> Turn:
        """Turn a retrieval decision into what the user sees.

        An answer comes first: close runners-up follow as "Oder meinten Sie …" buttons under it,
        and a middling confidence is said in one line above it.
        """
        if decision.outcome == "answer" and decision.best is not None:
            turn = self.answer_turn(decision.best)
            if not decision.alternatives and not decision.hedged:
                return turn
            return self._answer_first(turn.replies[0], decision)
        if decision.outcome == "suggest" and decision.suggestions:
            return Turn.say(self._texts["suggest"], self._entry_rows(decision.suggestions))
        html = self._texts["abstain"]
        if decision.suggestions:
            html += "\n\n" + self._texts["abstain_with_matches"]
        return Turn.say(html, self._entry_rows(decision.suggestions))

    def _answer_first(self, answer: Reply, decision: Decision) -> Turn:
        html = answer.html
        if decision.hedged:
            html = f"{self._texts['answer_hedged']}\n\n{html}"
        label = self._texts["alternative_label"]
        rows = tuple(
            (Button(_label(label.format(title=e.title)), callbacks.encode(SHOW, e.id, OFFERED)),)
            for e in decision.alternatives
        )
        return Turn(replies=(Reply(html=html, buttons=rows + answer.buttons),))

    def _answer_buttons(self, entry: Entry, detail: bool) -> Keyboard:
        rows = list(self._entry_rows(self._related(entry)))
        if entry.detail and not detail:
            rows.append((Button(self._texts["more_label"], callbacks.encode(DETAIL, entry.id)),))
        rows.append(
            (
                Button(
                    self._texts["feedback_up_label"], callbacks.encode(FEEDBACK, entry.id, "up")
                ),
                Button(
                    self._texts["feedback_down_label"], callbacks.encode(FEEDBACK, entry.id, "down")
                ),
            )
        )
        return tuple(rows)

    def _related(self, entry: Entry) -> list[Entry]:
        return [self._entries[i] for i in entry.related if i in self._entries][:3]

    @staticmethod
    def _entry_rows(entries: tuple[Entry, ...] | list[Entry]) -> Keyboard:
        return tuple((Button(_label(e.title), callbacks.encode(SHOW, e.id)),) for e in entries)

    async def _feedback(self, incoming: Incoming, entry: Entry, vote: str) -> Turn:
        if self._feedback_log is not None:
            await self._feedback_log.vote(incoming.user_id, entry.id, 1 if vote == "up" else -1)
        key = "feedback_thanks_up" if vote == "up" else "feedback_thanks_down"
        return Turn(toast=self._texts[key])

    async def _picked(self, incoming: Incoming, entry_id: str, *, offered: bool) -> None:
        """A press shortly after a question may correct it (the pick log decides, in private)."""
        if self._picks is not None and not incoming.in_group:
            await self._picks.record_pick(incoming.user_id, entry_id, offered=offered)

    async def _previous(self, incoming: Incoming, question: str) -> str | None:
        """The entry shown last, when the question may be a follow-up to it (private chats)."""
        if self._recent is None or incoming.in_group or not might_follow_up(question):
            return None
        return await self._recent.last_shown(incoming.user_id)

    async def _shown(self, incoming: Incoming, entry_id: str, previous: str | None = None) -> None:
        if self._recent is not None and not incoming.in_group and entry_id != previous:
            await self._recent.remember_shown(incoming.user_id, entry_id)

    async def _record(self, incoming: Incoming, question: str, decision: Decision) -> None:
        if self._question_log is None:
            return
        entry_id = decision.best.id if decision.best is not None else None
        await self._question_log.record(
            incoming.user_id, question, decision.outcome, entry_id, decision.confidence
        )


def _label(title: str) -> str:
    return title if len(title) <= LABEL_MAX else title[: LABEL_MAX - 1].rstrip() + "…"
