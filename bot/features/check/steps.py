"""The check as a sequence of steps: name, context, 30 questions, priorities, targets.

The session's ``position`` indexes this sequence; ``len(steps)`` means "ready to finish".
After the overall target comes "a different target for some fields?"; with "Nein, alle gleich"
the eight per-dimension target steps count as answered and are skipped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from knowledge.check.model import ContextQuestion, Question, Questionnaire

StepKind = Literal[
    "name", "context", "question", "lebensbereiche", "target", "targetmode", "dimtarget"
]
NAME, LEBENSBEREICHE, TARGET = "name", "lebensbereiche", "target"
TARGET_MODE, TARGETS = "targetmode", "targets"  # context keys: 0/1, dimension id → level
PICK = "lebensbereiche_pick"
TARGET_CHOICES = (2, 3, 4)
SAME, EACH = 0, 1  # answers of the target-mode step
DIMENSION_TARGET_CHOICES = (1, 2, 3, 4)


@dataclass(frozen=True)
class Step:
    """One step of the check; ``question``/``context`` are set for those kinds."""

    kind: StepKind
    id: str
    index: int
    question: Question | None = None
    context: ContextQuestion | None = None
    dimension: str | None = None  # set for "dimtarget"


def build_steps(questionnaire: Questionnaire) -> tuple[Step, ...]:
    """Every step in dialogue order."""
    steps: list[Step] = [Step("name", NAME, 0)]
    for item in questionnaire.context:
        steps.append(Step("context", item.id, len(steps), context=item))
    for question in questionnaire.questions:
        steps.append(Step("question", question.id, len(steps), question=question))
    steps.append(Step("lebensbereiche", LEBENSBEREICHE, len(steps)))
    steps.append(Step("target", TARGET, len(steps)))
    steps.append(Step("targetmode", TARGET_MODE, len(steps)))
    for dimension in questionnaire.dimensions:
        steps.append(
            Step("dimtarget", f"target_{dimension.id}", len(steps), dimension=dimension.id)
        )
    return tuple(steps)


def stored_answer(step: Step, context: Mapping[str, Any], missing: Any) -> Any:
    """What the session's context holds for a non-question step (``missing`` if nothing)."""
    if step.kind == "dimtarget":
        return dict(context.get(TARGETS) or {}).get(step.dimension, missing)
    return context.get(step.id, missing)


def with_answer(step: Step, context: Mapping[str, Any], value: Any) -> dict[str, Any]:
    """A copy of ``context`` holding ``value`` as the answer of a non-question step."""
    updated = dict(context)
    if step.kind == "dimtarget" and step.dimension is not None:
        updated[TARGETS] = {**dict(context.get(TARGETS) or {}), step.dimension: value}
    else:
        updated[step.id] = value
    return updated


def is_answered(
    step: Step, answers: Mapping[str, int | None], context: Mapping[str, Any], named: bool
) -> bool:
    """Whether the session already holds an answer for ``step``."""
    if step.kind == "name":
        return named
    if step.kind == "question":
        return step.id in answers
    if step.kind == "dimtarget":
        return context.get(TARGET_MODE) == SAME or step.dimension in (context.get(TARGETS) or {})
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
