"""Messages and keyboards of the check (Telegram HTML; user text always escaped)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from bot.dialogue import callbacks
from bot.dialogue.texts import Texts
from bot.dialogue.types import Button, Keyboard
from bot.features.check.steps import (
    DIMENSION_TARGET_CHOICES,
    EACH,
    PICK,
    SAME,
    TARGET,
    TARGET_CHOICES,
    Step,
    question_number,
)
from knowledge.check.model import Questionnaire
from knowledge.markup import escape

KIND = "ck"
LETTERS = "ABCDE"
UNKNOWN = "x"
BAR_SEGMENTS = 5
MESSAGE_STEPS = 2
NOTHING: object = object()  # "no answer yet" (``None`` means "Weiß nicht")


BERLIN = ZoneInfo("Europe/Berlin")  # the check is for municipalities in Baden-Württemberg


def berlin_date(moment: datetime) -> str:
    """``03.12.2026`` in Berlin time (a result at 00:30 belongs to that day, not the UTC one)."""
    return moment.astimezone(BERLIN).strftime("%d.%m.%Y")


def number(value: float | Fraction, digits: int = 1) -> str:
    """A German decimal number (``2,5``)."""
    return f"{float(value):.{digits}f}".replace(".", ",")


def signed(value: float) -> str:
    """A German decimal number with sign (``+0,3``)."""
    return ("+" if value >= 0 else "−") + number(abs(value))


def bar(score: Fraction | float | None) -> str:
    """A five-segment text bar for a score 0–4."""
    filled = 0 if score is None else int(Fraction(score) * BAR_SEGMENTS / 4 + Fraction(1, 2))
    return "▰" * filled + "▱" * (BAR_SEGMENTS - filled)


class CheckRenderer:
    """Builds the check's messages from the questionnaire and the texts."""

    def __init__(self, questionnaire: Questionnaire, steps: Sequence[Step], texts: Texts) -> None:
        self._q = questionnaire
        self._steps = steps
        self._texts = texts
        self._total = sum(1 for s in steps if s.kind == "question")

    def button(self, label: str, action: str, session_id: int, *args: str | int) -> Button:
        """A check button: ``ck:<action>:<session>[:<args>]``."""
        return Button(label, callbacks.encode(KIND, action, session_id, *args))

    def step(self, step: Step, session_id: int, context: Mapping[str, Any], chosen: Any) -> str:
        """The text of a step (the name step has its own prompt)."""
        if step.kind == "name":
            return self._texts["check_ask_name"]
        if step.kind == "context" and step.context is not None:
            return f"{self._context_progress(step)}\n\n<b>{escape(step.context.text)}</b>"
        if step.kind == "question" and step.question is not None:
            return self._question(step)
        if step.kind == "lebensbereiche":
            ask = self._texts.format(
                "check_lebensbereiche_question", max=str(self._q.max_lebensbereiche)
            )
            return f"{self._texts['check_lebensbereiche_progress']}\n\n{ask}"
        if step.kind in ("targetmode", "dimtarget"):
            return self._target_step(step, context)
        return self._texts["check_target_question"]

    def _target_step(self, step: Step, context: Mapping[str, Any]) -> str:
        overall = context.get(TARGET, self._q.default_target)
        fields = {"level": str(overall), "name": escape(self._q.level_name(overall))}
        if step.kind == "targetmode" or step.dimension is None:
            return self._texts.format("check_target_mode_question", **fields)
        names = [d.id for d in self._q.dimensions]
        return self._texts.format(
            "check_dimension_target_question",
            number=str(names.index(step.dimension) + 1),
            total=str(len(names)),
            dimension=escape(self._q.dimension(step.dimension).name),
            levels=" · ".join(
                f"{t} {escape(self._q.level_name(t))}" for t in DIMENSION_TARGET_CHOICES
            ),
            **fields,
        )

    def _context_progress(self, step: Step) -> str:
        total = len(self._q.context)
        return self._texts.format(
            "check_context_progress", number=str(step.index), total=str(total)
        )

    def _question(self, step: Step) -> str:
        assert step.question is not None
        dimension = self._q.dimension(step.question.dimension)
        head = self._texts.format(
            "check_question_progress",
            number=str(question_number(self._steps, step)),
            total=str(self._total),
            dimension=escape(dimension.name),
        )
        options = "\n".join(
            f"<b>{letter}</b>  {escape(text)}"
            for letter, text in zip(LETTERS, step.question.options, strict=True)
        )
        return f"{head}\n\n<b>{escape(step.question.text)}</b>\n\n{options}"

    def where(self, step: Step | None) -> str:
        """Where a session stands, for the resume offer ("Frage 7 von 30")."""
        if step is None or step.kind in ("name", "context"):
            return self._texts["check_where_context"]
        if step.kind == "question":
            number = str(question_number(self._steps, step))
            return self._texts.format("check_where_question", number=number, total=str(self._total))
        key = (
            "check_where_lebensbereiche" if step.kind == "lebensbereiche" else "check_where_targets"
        )
        return self._texts[key]

    def dimension_done(self, step: Step) -> str | None:
        """ "Themenfeld 3 von 8 geschafft" when ``step`` starts a new dimension (else ``None``)."""
        if step.question is None or step.index == 0:
            return None
        before = self._steps[step.index - 1]
        if before.question is None or before.question.dimension == step.question.dimension:
            return None
        done = [d.id for d in self._q.dimensions].index(before.question.dimension) + 1
        total = len(self._q.dimensions)
        return self._texts.format("check_dimension_done", number=str(done), total=str(total))

    def keyboard(
        self, step: Step, session_id: int, context: Mapping[str, Any], chosen: Any
    ) -> Keyboard:
        """Buttons of a step; the current answer (``chosen``) is marked with ✓."""
        pos = step.index
        nav = (
            self.button(self._texts["check_back_label"], "b", session_id, pos),
            self.button(self._texts["check_pause_label"], "p", session_id, pos),
        )
        if step.kind == "name":
            return ((nav[1],),)
        if step.kind == "question" and step.question is not None:
            options = tuple(
                self.button(_mark(letter, chosen == i), "a", session_id, pos, i)
                for i, letter in enumerate(LETTERS)
            )
            extra = (
                self.button(
                    _mark(self._texts["check_unknown_label"], chosen is None),
                    "a",
                    session_id,
                    pos,
                    UNKNOWN,
                ),
                self.button(self._texts["check_help_label"], "h", session_id, pos),
            )
            return (options, extra, nav)
        if step.kind == "context" and step.context is not None:
            rows = tuple(
                (self.button(_mark(text, chosen == i), "a", session_id, pos, i),)
                for i, text in enumerate(step.context.options)
            )
            return (*rows, nav)
        if step.kind == "lebensbereiche":
            picked = set(context.get(PICK, ()))
            rows = tuple(
                (self.button(_mark(item.name, item.id in picked), "t", session_id, pos, i),)
                for i, item in enumerate(self._q.lebensbereiche)
            )
            done = (self.button(self._texts["check_done_label"], "d", session_id, pos),)
            return (*rows, done, nav)
        if step.kind in ("targetmode", "dimtarget"):
            return (self._target_buttons(step, session_id, chosen), nav)
        targets = tuple(
            (
                self.button(
                    _mark(
                        self._texts.format(
                            "check_target_option", level=str(t), name=self._q.level_name(t)
                        ),
                        chosen == t,
                    ),
                    "a",
                    session_id,
                    pos,
                    t,
                ),
            )
            for t in TARGET_CHOICES
        )
        return (*targets, nav)

    def _target_buttons(self, step: Step, session_id: int, chosen: Any) -> tuple[Button, ...]:
        """One row: "Nein, alle gleich" / "Ja, einzeln", or the levels of one dimension."""
        values = (SAME, EACH) if step.kind == "targetmode" else DIMENSION_TARGET_CHOICES
        return tuple(
            self.button(
                _mark(self.answer_label(step, v), chosen == v), "a", session_id, step.index, v
            )
            for v in values
        )

    def answered(self, step: Step, value: Any, context: Mapping[str, Any] | None = None) -> str:
        """The pressed question's message after answering: question plus the chosen answer."""
        label = escape(self.answer_label(step, value))
        answer = self._texts.format("check_your_answer", answer=label)
        return f"{self.step(step, 0, context or {}, None)}\n\n✓ {answer}"

    def answer_label(self, step: Step, value: Any) -> str:
        """The chosen option as text."""
        if step.kind == "question" and step.question is not None:
            if value is None:
                return self._texts["check_unknown_label"]
            return f"{LETTERS[value]} – {step.question.options[value]}"
        if step.kind == "context" and step.context is not None:
            return str(step.context.options[value])
        if step.kind == "target":
            return self._texts.format(
                "check_target_option", level=str(value), name=self._q.level_name(value)
            )
        if step.kind == "targetmode":
            return self._texts[
                "check_target_each_label" if value == EACH else "check_target_same_label"
            ]
        if step.kind == "dimtarget":
            return self._texts.format("check_dimension_target_option", level=str(value))
        names = {item.id: item.name for item in self._q.lebensbereiche}
        return ", ".join(names[i] for i in value) or "–"


def _mark(label: str, chosen: bool) -> str:
    return f"✓ {label}" if chosen else label
