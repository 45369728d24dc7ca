"""Finishing a check: score, store the result, and build the result message, chart and report."""

from __future__ import annotations

import asyncio
import gc
import logging
import multiprocessing
import re
import threading
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import UTC, datetime
from functools import cache
from typing import Any

from bot.dialogue.texts import Texts
from bot.dialogue.types import Document, Reply, Turn
from bot.features.check.messages import BERLIN
from bot.features.check.ports import CheckSession, CheckStore
from bot.features.check.recheck import recheck_due
from bot.features.check.report.chart import radar_chart
from bot.features.check.report.chart_svg import chart_svg
from bot.features.check.report.html import report_html
from bot.features.check.report.pdf import report_pdf
from bot.features.check.result import (
    CheckOutcome,
    municipality_key,
    peers,
    previous_result,
    score_answers,
    target_of,
    targets_of,
)
from bot.features.check.result_message import result_message
from knowledge.check.model import Questionnaire, load_questionnaire
from knowledge.content import exit_with_parent

logger = logging.getLogger(__name__)
RENDER_PROCESSES = 2  # the Telegram chart and the report at once (this machine has 2 cores)
COLLECT_AFTER_S = 1.0  # a render process collects a report's garbage this long after it


async def build_outcome(
    store: CheckStore,
    questionnaire: Questionnaire,
    session: CheckSession,
    context: dict[str, Any],
    now: datetime,
) -> CheckOutcome:
    """Score the session's answers and look up the comparisons."""
    answers = await store.answers(session.id)
    target = target_of(questionnaire, context)
    name = session.municipality or "–"
    key = municipality_key(name)
    size = context.get("size")
    same_class = await store.results(size_class=size) if isinstance(size, int) else []
    return CheckOutcome(
        questionnaire=questionnaire,
        score=score_answers(questionnaire, answers, targets_of(questionnaire, context)),
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
    session: CheckSession,
    position: int,
    context: dict[str, Any],
) -> Turn | None:
    """Store the result (and the re-check question a year later) and return the result turn;
    ``None`` if it was stored already."""
    outcome = await build_outcome(store, questionnaire, session, context, datetime.now(UTC))
    if not await store.finish(session, position, outcome, recheck_due(outcome.finished_at)):
        return None
    logger.info("check %s finished", session.id)
    files = await render_attachments(outcome, texts)
    return Turn(replies=(Reply(result_message(outcome, texts)), *files))


async def render_attachments(outcome: CheckOutcome, texts: Texts) -> tuple[Reply, ...]:
    """:func:`attachments` in render processes: a second of CPU that would otherwise hold the
    event loop (or, in a thread, the GIL) while other users wait for their answers.

    The Telegram chart (PNG) and the report (SVG chart, HTML, PDF) are drawn in two processes
    at once, so the result takes the time of the report alone."""
    loop = asyncio.get_running_loop()
    pool = _render_pool()
    try:
        png, (html, pdf) = await asyncio.gather(
            loop.run_in_executor(pool, chart_png, outcome),
            loop.run_in_executor(pool, report_files_in_process, outcome),
        )
    except BrokenProcessPool:  # a worker died (e.g. out of memory): once more, in-process
        logger.exception("render process failed; rendering in a thread")
        _render_pool.cache_clear()
        return await asyncio.to_thread(attachments, outcome, texts)
    return _replies(outcome, texts, png, html, pdf)


def warm_render_pool() -> None:
    """Start the render processes ahead of a result, without waiting for them: called when a
    check starts or resumes, minutes before its result is due. Only the first call (per pool)
    does anything; see :func:`_render_pool`."""
    _render_pool()


@cache
def _render_pool() -> ProcessPoolExecutor:
    # spawn: a fresh interpreter, never a fork of a process with an event loop and threads
    # Each process renders a sample result once as it starts (``_warm_worker``): a process's
    # first PDF takes about twice as long as later ones (fonts, hyphenation), its first chart a
    # second more. Two tasks at once spawn both processes now, not when a result is due.
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        max_workers=RENDER_PROCESSES, mp_context=context, initializer=_warm_worker
    )
    for _ in range(RENDER_PROCESSES):
        pool.submit(_ready)
    return pool


def _ready() -> None:
    """Nothing: the process's initializer did the work."""


def _warm_worker() -> None:
    """A new render process draws and renders one sample result before its first job, then
    freezes what it has loaded (modules, fonts, caches) out of the garbage collector's reach:
    otherwise a full collection during each report scans it all again (about a fifth of a
    report's CPU time). Like the content build process, it ends when the bot ends, also by
    ``kill -9`` (a pool's worker would otherwise wait for work forever, orphaned)."""
    exit_with_parent()
    try:
        outcome = _sample_outcome()
        chart_png(outcome)
        report_files(outcome)
    except Exception:  # a process that could not warm up still renders, only slower
        logger.exception("warming the render process failed")
    gc.collect()
    gc.freeze()


def _sample_outcome() -> CheckOutcome:
    questionnaire = load_questionnaire()
    answers: dict[str, int | None] = {q.id: 2 for q in questionnaire.questions}
    target = questionnaire.default_target
    targets = {d.id: target for d in questionnaire.dimensions}
    return CheckOutcome(
        questionnaire=questionnaire,
        score=score_answers(questionnaire, answers, targets),
        municipality="Musterhausen",
        context={"size": 1, "staff": 1, "lebensbereiche": []},
        answers=answers,
        target=target,
        finished_at=datetime.now(UTC),
    )


def attachments(outcome: CheckOutcome, texts: Texts) -> tuple[Reply, ...]:
    """Chart (PNG), report (PDF) and its HTML, in this process; a failing part never costs the
    others."""
    html, pdf = report_files(outcome)
    return _replies(outcome, texts, chart_png(outcome), html, pdf)


def chart_png(outcome: CheckOutcome) -> bytes | None:
    """The chart for Telegram (``None`` if drawing failed)."""
    png: bytes | None = _safely("radar chart", radar_chart, outcome)
    return png


def report_files(outcome: CheckOutcome) -> tuple[str, bytes | None]:
    """The report as HTML (with the vector chart, if it could be drawn) and as PDF."""
    svg = _safely("SVG chart", chart_svg, outcome)
    html = report_html(outcome, svg)
    pdf: bytes | None = _safely("PDF report", report_pdf, html)
    return html, pdf


def report_files_in_process(outcome: CheckOutcome) -> tuple[str, bytes | None]:
    """:func:`report_files` in a render process with the garbage collector paused: its
    collections during a report (about a tenth of the report's CPU time) run in one go a
    moment later, after the result has been sent, in a thread of that process."""
    gc.disable()
    try:
        return report_files(outcome)
    finally:
        timer = threading.Timer(COLLECT_AFTER_S, _resume_collection)
        timer.daemon = True  # never holds up the process's exit
        timer.start()


def _resume_collection() -> None:
    gc.enable()
    gc.collect()


def _replies(
    outcome: CheckOutcome, texts: Texts, png: bytes | None, html: str, pdf: bytes | None
) -> tuple[Reply, ...]:
    stem = file_stem(outcome)
    replies: list[Reply] = []
    if png is not None:
        photo = Document(f"{stem}-netzdiagramm.png", png, texts["check_chart_caption"])
        replies.append(Reply(texts["check_chart_caption"], photo=photo))
    if pdf is not None:
        document = Document(f"{stem}.pdf", pdf, texts["check_report_caption"])
        replies.append(Reply(texts["check_report_caption"], document=document))
    document = Document(f"{stem}.html", html.encode("utf-8"), texts["check_html_caption"])
    replies.append(Reply(texts["check_html_caption"], document=document))
    return tuple(replies)


def file_stem(outcome: CheckOutcome) -> str:
    """``digitalisierungs-check-musterhausen-2026-12-03`` (ASCII, Berlin date)."""
    name = outcome.municipality.replace("ß", "ss")
    for umlaut, plain in (
        ("ä", "ae"),
        ("ö", "oe"),
        ("ü", "ue"),
        ("Ä", "Ae"),
        ("Ö", "Oe"),
        ("Ü", "Ue"),
    ):
        name = name.replace(umlaut, plain)
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40] or "kommune"
    return f"digitalisierungs-check-{slug}-{outcome.finished_at.astimezone(BERLIN):%Y-%m-%d}"


def _safely(what: str, render: Any, *args: Any) -> Any:
    try:
        return render(*args)
    except Exception:  # degrade at the edge: the text result is already sent
        logger.exception("%s failed", what)
        return None
