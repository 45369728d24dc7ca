"""The check's attachments: a radar chart (PNG, actual vs target) and a printable HTML report.

matplotlib is imported inside :func:`radar_chart`, so other commands do not pay for it.
"""

from __future__ import annotations

import base64
import io
import math
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from bot.dialogue.check_message import chosen_lebensbereiche, dimension_line, next_baustein
from bot.dialogue.check_render import LETTERS, number
from bot.dialogue.check_result import Outcome
from bot.dialogue.texts import load_texts
from knowledge.markup import visible_text

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def radar_chart(outcome: Outcome) -> bytes:
    """An eight-axis radar chart: actual scores (unrated as 0) and the target line."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    q = outcome.questionnaire
    labels = [d.name.replace(" & ", "\n& ") for d in q.dimensions]
    actual = [float(d.score or 0) for d in outcome.score.dimensions]
    target = [float(d.target) for d in outcome.score.dimensions]
    angles = [2 * math.pi * i / len(labels) for i in range(len(labels))]
    figure, axes = plt.subplots(figsize=(6.4, 6.4), subplot_kw={"polar": True})
    try:
        for values, colour, name in ((target, "#9e9e9e", "Ziel"), (actual, "#1f5fa8", "Ist")):
            axes.plot([*angles, angles[0]], [*values, values[0]], color=colour, label=name)
        axes.fill([*angles, angles[0]], [*actual, actual[0]], color="#1f5fa8", alpha=0.2)
        axes.set_xticks(angles, labels, fontsize=8)
        axes.set_ylim(0, 4)
        axes.set_yticks([1, 2, 3, 4])
        axes.legend(loc="upper right", bbox_to_anchor=(1.15, 1.1))
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    finally:
        plt.close(figure)
    return buffer.getvalue()


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def report_html(outcome: Outcome, chart: bytes | None) -> str:
    """The standalone report a Gemeinderat can read and print."""
    template = _environment().get_template("check_report.html.j2")
    return template.render(**_report_data(outcome, chart))


def _report_data(outcome: Outcome, chart: bytes | None) -> dict[str, Any]:
    q, score = outcome.questionnaire, outcome.score
    texts = load_texts()
    level = score.level
    return {
        "municipality": outcome.municipality,
        "date": outcome.finished_at.strftime("%d.%m.%Y"),
        "version": q.version,
        "overall": None if score.overall is None else number(score.overall),
        "level": level,
        "level_name": None if level is None else q.level_name(level),
        "capped": score.capped,
        "target": outcome.target,
        "context": [
            (item.text, item.options[outcome.context[item.id]])
            for item in q.context
            if isinstance(outcome.context.get(item.id), int)
        ],
        "profile": [
            (q.dimension(d.id).name, visible_text(dimension_line(outcome, d, texts)))
            for d in score.dimensions
        ],
        "priorities": [_advice(outcome, d) for d in score.priorities],
        "strengths": [q.dimension(d).name for d in score.strengths],
        "next_baustein": next_baustein(outcome),
        "lebensbereiche": chosen_lebensbereiche(outcome),
        "answers": _answers(outcome),
        "chart": None if chart is None else base64.b64encode(chart).decode("ascii"),
    }


def _advice(outcome: Outcome, dimension_id: str) -> dict[str, Any]:
    q = outcome.questionnaire
    dimension = q.dimension(dimension_id)
    band = q.band_for(outcome.score.dimension(dimension_id).level or 0)
    advice = dimension.recommendations[band.id]
    return {"name": dimension.name, "band": band.name, "text": advice.text, "steps": advice.steps}


def _answers(outcome: Outcome) -> list[dict[str, Any]]:
    q = outcome.questionnaire
    groups = []
    for dimension in q.dimensions:
        rows = []
        for question in q.questions_of(dimension.id):
            value = outcome.answers.get(question.id, -1)
            if value is None:
                answer = "Weiß nicht"
            elif value == -1:
                answer = "keine Antwort"
            else:
                answer = f"{LETTERS[value]} ({value}) – {question.options[value]}"
            rows.append((question.id, question.text, answer))
        groups.append({"name": dimension.name, "rows": rows})
    return groups
