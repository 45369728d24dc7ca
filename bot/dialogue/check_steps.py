"""The check as a sequence of steps: municipality name, context, 30 questions, priorities, target.

The session's ``position`` indexes this sequence; ``len(steps)`` means "ready to finish".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from knowledge.check.model import ContextQuestion, Question, Questionnaire

StepKind = Literal["name", "context", "question", "lebensbereiche", "target"]
NAME, LEBENSBEREICHE, TARGET = "name", "lebensbereiche", "target"
PICK = "lebensbereiche_pick"
TARGET_CHOICES = (2, 3, 4)


@dataclass(frozen=True)
class Step:
    """One step of the check; ``question``/``context`` are set for those kinds."""

    kind: StepKind
    id: str
    index: int
    question: Question | None = None
    context: ContextQuestion | None = None


def build_steps(questionnaire: Questionnaire) -> tuple[Step, ...]:
    """Every step in dialogue order."""
    steps: list[Step] = [Step("name", NAME, 0)]
    for item in questionnaire.context:
        steps.append(Step("context", item.id, len(steps), context=item))
    for question in questionnaire.questions:
        steps.append(Step("question", question.id, len(steps), question=question))
    steps.append(Step("lebensbereiche", LEBENSBEREICHE, len(steps)))
    steps.append(Step("target", TARGET, len(steps)))
    return tuple(steps)


def is_answered(
    step: Step, answers: Mapping[str, int | None], context: Mapping[str, Any], named: bool
) -> bool:
    """Whether the session already holds an answer for ``step``."""
    if step.kind == "name":
        return named
    if step.kind == "question":
        return step.id in answers
    return step.id in context


def first_unanswered(
    steps: Sequence[Step],
    answers: Mapping[str, int | None],
    context: Mapping[str, Any],
    named: bool,
    after: int = -1,
) -> int:
    """The first unanswered step after ``after`` (``len(steps)`` when all are answered)."""
    for step in steps[after + 1 :]:
        if not is_answered(step, answers, context, named):
            return step.index
    return len(steps)


def question_number(steps: Sequence[Step], step: Step) -> int:
    """1-based number of a scored question among all scored questions."""
    return sum(1 for s in steps[: step.index + 1] if s.kind == "question")
