"""The check's radar chart: Ist, Ziel and, when known, the last check and the peer median.

Drawn from 12 o'clock clockwise; an unrated dimension is a gap in the Ist line and its axis is
labelled "nicht bewertet" (never drawn as 0). Colours are the Okabe–Ito palette (safe for the
common colour-vision deficiencies) and every series also has its own line style and marker.
The PNG (200 dpi) is for Telegram; the PDF has the same chart as vector graphics from
:mod:`chart_svg`. matplotlib is imported only here.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from bot.dialogue.texts import load_texts
from bot.features.check.messages import berlin_date
from bot.features.check.result import CheckOutcome

PNG_DPI = 200


@dataclass(frozen=True)
class Series:
    """One line of the chart; ``None`` values are gaps."""

    label: str
    values: tuple[float | None, ...]
    colour: str
    style: str
    marker: str


def chart_series(outcome: CheckOutcome) -> tuple[Series, ...]:
    """Ist and Ziel, plus the previous check and the peer median where they exist."""
    texts, dims = load_texts(), outcome.score.dimensions
    series = [
        Series(
            texts["check_chart_target"], tuple(float(d.target) for d in dims), "#E69F00", "--", "s"
        ),
        Series(
            texts["check_chart_current"], tuple(_float(d.score) for d in dims), "#0072B2", "-", "o"
        ),
    ]
    previous = outcome.previous
    if previous is not None:
        date = berlin_date(previous.finished_at)
        values = tuple(_float(previous.dimensions.get(d.id)) for d in dims)
        label = texts.format("check_chart_previous", date=date)
        series.append(Series(label, values, "#009E73", "-.", "^"))
    if outcome.peers is not None and outcome.peers.dimensions:
        values = tuple(_float(outcome.peers.dimensions.get(d.id)) for d in dims)
        label = texts.format("check_chart_peers", count=str(outcome.peers.count))
        series.append(Series(label, values, "#CC79A7", ":", "D"))
    return tuple(series)


def axis_labels(outcome: CheckOutcome) -> tuple[str, ...]:
    """Dimension names (wrapped), with "nicht bewertet" under unrated ones."""
    q, unrated = outcome.questionnaire, load_texts()["check_unrated"]
    labels = []
    for d in outcome.score.dimensions:
        name = q.dimension(d.id).name.replace(" & ", "\n& ")
        labels.append(name if d.score is not None else f"{name}\n({unrated})")
    return tuple(labels)


SIDE_EPSILON = 0.1  # labels this close to 12 or 6 o'clock stay centred


def radar_chart(outcome: CheckOutcome) -> bytes:
    """The chart as PNG (200 dpi)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    labels = axis_labels(outcome)
    angles = [2 * math.pi * i / len(labels) for i in range(len(labels))]
    figure, axes = plt.subplots(figsize=(7.0, 7.0), subplot_kw={"polar": True})
    try:
        _draw(axes, angles, labels, chart_series(outcome))
        date = berlin_date(outcome.finished_at)
        title = load_texts().format(
            "check_chart_title", municipality=outcome.municipality, date=date
        )
        axes.set_title(title, fontsize=12, pad=28)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=PNG_DPI, bbox_inches="tight")
    finally:
        plt.close(figure)
    return buffer.getvalue()


def _draw(
    ax: Any, angles: list[float], labels: tuple[str, ...], series: tuple[Series, ...]
) -> None:
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)
    closed = [*angles, angles[0]]
    current = load_texts()["check_chart_current"]
    for item in series:
        values = [math.nan if v is None else v for v in item.values]
        ax.plot(
            closed,
            [*values, values[0]],
            color=item.colour,
            linestyle=item.style,
            marker=item.marker,
            markersize=5,
            linewidth=2 if item.label == current else 1.5,
            label=item.label,
        )
        if item.label == current and None not in item.values:
            ax.fill(closed, [*values, values[0]], color=item.colour, alpha=0.15)
    ax.set_xticks(angles, labels, fontsize=8)
    ax.tick_params(axis="x", pad=10)
    for label, angle in zip(ax.get_xticklabels(), angles, strict=True):
        label.set_horizontalalignment(side(angle))  # away from the circle, not across it
    ax.set_ylim(0, 4)
    ax.set_yticks([1, 2, 3, 4], ["1", "2", "3", "4"], fontsize=7, color="#555555")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=2, fontsize=8, frameon=False)


def side(angle: float) -> str:
    """Horizontal alignment of an axis label at ``angle`` (0 at 12 o'clock, clockwise)."""
    x = math.sin(angle)
    return "left" if x > SIDE_EPSILON else "right" if x < -SIDE_EPSILON else "center"


def _float(value: Fraction | float | None) -> float | None:
    return None if value is None else float(value)
