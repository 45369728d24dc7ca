"""The check's report for the Gemeinderat: data for the Jinja2 template, rendered to HTML.

The same template gives the HTML (to edit further) and the PDF (:mod:`check_pdf`). Order: summary
with a proposed resolution, profile table, chart, action plan per priority, change since the
last check and peer comparison, open points ("Weiß nicht"), method note, all answers.
"""

from __future__ import annotations

import base64
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from bot.dialogue.texts import Texts, load_texts
from bot.features.check.messages import BERLIN, LETTERS, berlin_date, number, signed
from bot.features.check.result import CheckOutcome, capping_dimensions
from bot.features.check.result_message import chosen_lebensbereiche, next_baustein
from knowledge.check.scoring import DimensionScore

TEMPLATES = Path(__file__).resolve().parents[3] / "templates"
SUMMARY_PRIORITIES = 3
NO_STAFF = 0  # context option "keines"


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def report_html(outcome: CheckOutcome, chart_svg: bytes | None) -> str:
    """The standalone report (A4 print CSS; the chart embedded as vector graphics)."""
    template = environment().get_template("check_report.html.j2")
    return template.render(**report_data(outcome, chart_svg))


def report_data(outcome: CheckOutcome, chart_svg: bytes | None) -> dict[str, Any]:
    """Everything the template shows, already in German number and date formats."""
    q, score, texts = outcome.questionnaire, outcome.score, load_texts()
    return {
        "municipality": outcome.municipality,
        "date": berlin_date(outcome.finished_at),
        "version": q.version,
        "overall": None if score.overall is None else number(score.overall),
        "level": score.level,
        "level_name": None if score.level is None else q.level_name(score.level),
        "capped_by": _capping_dimensions(outcome) if score.capped else [],
        "raw_level": score.raw_level,
        "target": outcome.target,
        "targets_differ": sum(d.target != outcome.target for d in score.dimensions),
        "context": _context(outcome),
        "lebensbereiche": chosen_lebensbereiche(outcome),
        "summary_priorities": [
            _priority(outcome, d) for d in score.priorities[:SUMMARY_PRIORITIES]
        ],
        "strengths": [q.dimension(d).name for d in score.strengths],
        "next_baustein": next_baustein(outcome),
        "profile": [_profile_row(outcome, d) for d in score.dimensions],
        "plans": [_plan(outcome, d, texts) for d in score.priorities],
        "change": _change(outcome, texts),
        "peers": _peers(outcome),
        "open_points": _open_points(outcome),
        "levels": [(lv.level, lv.name, lv.description) for lv in q.levels],
        "answers": _answers(outcome, texts),
        "chart": None if chart_svg is None else base64.b64encode(chart_svg).decode("ascii"),
    }


def _capping_dimensions(outcome: CheckOutcome) -> list[str]:
    q = outcome.questionnaire
    return [q.dimension(d).name for d in capping_dimensions(outcome.score)]


def _context(outcome: CheckOutcome) -> dict[str, str]:
    """Context answers by id, as their option labels ("–" when not given)."""
    labels = {}
    for item in outcome.questionnaire.context:
        value = outcome.context.get(item.id)
        labels[item.id] = item.options[value] if isinstance(value, int) else "–"
    return labels


def _priority(outcome: CheckOutcome, dimension_id: str) -> dict[str, str]:
    q = outcome.questionnaire
    dimension = q.dimension(dimension_id)
    band = q.band_for(outcome.score.dimension(dimension_id).level or 0)
    return {
        "name": dimension.name,
        "band": band.name,
        "text": dimension.recommendations[band.id].text,
    }


def _profile_row(outcome: CheckOutcome, d: DimensionScore) -> dict[str, Any]:
    q = outcome.questionnaire
    rated = d.score is not None and d.level is not None
    return {
        "name": q.dimension(d.id).name,
        "ist": number(d.score) if d.score is not None else None,
        "percent": 0 if d.score is None else round(float(d.score) * 25),
        "target_percent": d.target * 25,
        "ziel": d.target,
        "gap": number(max(0.0, d.target - float(d.score))) if d.score is not None else None,
        "level_name": q.level_name(d.level) if rated and d.level is not None else None,
        "uncertain": d.uncertain,
    }


def _plan(outcome: CheckOutcome, dimension_id: str, texts: Texts) -> dict[str, Any]:
    q = outcome.questionnaire
    dimension = q.dimension(dimension_id)
    band = q.band_for(outcome.score.dimension(dimension_id).level or 0)
    advice = dimension.recommendations[band.id]
    owner = dimension.owner
    if outcome.context.get("staff") == NO_STAFF:
        owner += " – " + texts["check_report_no_staff"]
    return {
        "name": dimension.name,
        "band": band.name,
        "text": advice.text,
        "rows": [
            {
                "step": step,
                "owner": owner,
                "due": _due(outcome.finished_at, advice.months, texts),
                "effort": advice.effort,
                "funding": dimension.funding or texts["check_report_no_funding"],
            }
            for step in advice.steps
        ],
        "baustein": q.bausteine[dimension.baustein],
    }


def _due(start: datetime, months: int, texts: Texts) -> str:
    """``bis 06/2027``: ``months`` after the check (Berlin time)."""
    local = start.astimezone(BERLIN)
    index = local.month - 1 + months
    month, year = f"{index % 12 + 1:02d}", str(local.year + index // 12)
    return texts.format("check_report_due", month=month, year=year)


def _change(outcome: CheckOutcome, texts: Texts) -> dict[str, Any] | None:
    previous, score, q = outcome.previous, outcome.score, outcome.questionnaire
    if previous is None:
        return None
    rows, unrated = [], texts["check_unrated"]
    for d in score.dimensions:
        before = previous.dimensions.get(d.id)
        after = None if d.score is None else float(d.score)
        delta = None if before is None or after is None else signed(after - before)
        rows.append(
            {
                "name": q.dimension(d.id).name,
                "before": unrated if before is None else number(before),
                "after": unrated if after is None else number(after),
                "delta": delta or "–",
            }
        )
    overall = None
    if previous.overall is not None and score.overall is not None:
        overall = (number(previous.overall), number(score.overall))
    return {"date": berlin_date(previous.finished_at), "overall": overall, "rows": rows}


def _peers(outcome: CheckOutcome) -> dict[str, str] | None:
    if outcome.peers is None:
        return None
    own = outcome.score.overall
    return {
        "count": str(outcome.peers.count),
        "median": number(outcome.peers.median),
        "own": "–" if own is None else number(own),
        "size": _context(outcome)["size"],
    }


def _open_points(outcome: CheckOutcome) -> list[tuple[str, str]]:
    q = outcome.questionnaire
    return [
        (q.dimension(question.dimension).name, question.text)
        for question in q.questions
        if question.id in outcome.answers and outcome.answers[question.id] is None
    ]


def _answers(outcome: CheckOutcome, texts: Texts) -> list[dict[str, Any]]:
    q = outcome.questionnaire
    groups = []
    for dimension in q.dimensions:
        rows = []
        for question in q.questions_of(dimension.id):
            value = outcome.answers.get(question.id, -1)
            if value is None:
                answer = texts["check_unknown_label"]
            elif value == -1:
                answer = texts["check_report_no_answer"]
            else:
                answer = f"{LETTERS[value]} ({value}) – {question.options[value]}"
            rows.append((question.id, question.text, answer))
        groups.append({"name": dimension.name, "rows": rows})
    return groups
