"""Finishing a check: score, store the result, and build the result message, chart and report."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from bot.dialogue.check_message import result_message
from bot.dialogue.check_report import radar_chart, report_html
from bot.dialogue.check_result import (
    Outcome,
    municipality_key,
    peers,
    previous_result,
    score_answers,
    target_of,
    to_record,
)
from bot.dialogue.check_store import CheckStore
from bot.dialogue.texts import Texts
from bot.dialogue.types import Document, Reply, Turn
from knowledge.check.model import Questionnaire
from storage.check_records import CheckSessionRecord

logger = logging.getLogger(__name__)


async def build_outcome(
    store: CheckStore,
    questionnaire: Questionnaire,
    session: CheckSessionRecord,
    context: dict[str, Any],
    now: datetime,
) -> Outcome:
    """Score the session's answers and look up the comparisons."""
    answers = await store.answers(session.id)
    target = target_of(questionnaire, context)
    name = session.municipality or "–"
    key = municipality_key(name)
    size = context.get("size")
    same_class = await store.results(size_class=size) if isinstance(size, int) else []
    return Outcome(
        questionnaire=questionnaire,
        score=score_answers(questionnaire, answers, target),
        municipality=name,
        context=context,
        answers=answers,
        target=target,
        finished_at=now,
        previous=previous_result(await store.results(municipality_key=key), session.id),
        peers=peers(same_class, key),
    )


async def finish_turn(
    store: CheckStore,
    questionnaire: Questionnaire,
    texts: Texts,
    session: CheckSessionRecord,
    position: int,
    context: dict[str, Any],
) -> Turn | None:
    """Store the result and return the result turn; ``None`` if it was stored already."""
    outcome = await build_outcome(store, questionnaire, session, context, datetime.now(UTC))
    if not await store.finish(session.id, position, context, to_record(session.id, outcome)):
        return None
    logger.info("check %s finished", session.id)
    return Turn(replies=(Reply(result_message(outcome, texts)), *attachments(outcome, texts)))


def attachments(outcome: Outcome, texts: Texts) -> tuple[Reply, ...]:
    """The radar chart and the report; a failing chart never costs the report."""
    replies: list[Reply] = []
    try:
        chart = radar_chart(outcome)
        photo = Document("check-netzdiagramm.png", chart, texts["check_chart_caption"])
        replies.append(Reply(texts["check_chart_caption"], photo=photo))
    except Exception:  # degrade at the edge: the text result is already sent
        logger.exception("radar chart failed")
        chart = None
    report = report_html(outcome, chart).encode("utf-8")
    filename = f"digitalisierungs-check-{outcome.finished_at:%Y-%m-%d}.html"
    document = Document(filename, report, texts["check_report_caption"])
    replies.append(Reply(texts["check_report_caption"], document=document))
    return tuple(replies)
