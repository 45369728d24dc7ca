"""/statistik's chart: questions per week with the answer / suggest / abstain share (PNG).

Weeks run Monday to Sunday in the bot's time zone; the last :data:`WEEKS` weeks end with the
current one. Stacked bars (Okabe–Ito colours, with hatching so they differ without colour);
each bar is labelled with its total. matplotlib is imported only when the chart is drawn.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from bot.dialogue.texts import Texts

WEEKS = 12
PNG_DPI = 150
OUTCOMES = (  # outcome, colour, hatch; the legend label is the text ``stats_chart_<outcome>``
    ("answer", "#009E73", ""),
    ("suggest", "#E69F00", "//"),
    ("abstain", "#D55E00", "xx"),
)


@dataclass(frozen=True)
class WeekCounts:
    """Questions of one week (starting ``monday``) by outcome."""

    monday: date
    counts: dict[str, int]

    @property
    def total(self) -> int:
        """All questions of the week."""
        return sum(self.counts.values())


def first_monday(today: date, weeks: int = WEEKS) -> date:
    """The Monday that starts the first of the ``weeks`` weeks ending with this one."""
    return today - timedelta(days=today.weekday(), weeks=weeks - 1)


def weekly_counts(
    asked: Iterable[tuple[datetime, str]], today: date, zone: tzinfo, weeks: int = WEEKS
) -> list[WeekCounts]:
    """Questions per week and outcome, oldest week first (weeks without questions are 0)."""
    start = first_monday(today, weeks)
    mondays = [start + timedelta(weeks=i) for i in range(weeks)]
    table = {monday: dict.fromkeys((o for o, *_ in OUTCOMES), 0) for monday in mondays}
    for at, outcome in asked:
        day = at.astimezone(zone).date()
        monday = day - timedelta(days=day.weekday())
        if monday in table and outcome in table[monday]:
            table[monday][outcome] += 1
    return [WeekCounts(monday, table[monday]) for monday in mondays]


def weekly_chart(weeks: list[WeekCounts], texts: Texts) -> bytes:
    """The stacked bar chart as PNG."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    figure, axes = plt.subplots(figsize=(8.0, 4.5))
    try:
        _draw(axes, weeks, texts)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=PNG_DPI, bbox_inches="tight")
    finally:
        plt.close(figure)
    return buffer.getvalue()


def _draw(ax: Any, weeks: list[WeekCounts], texts: Texts) -> None:
    positions = list(range(len(weeks)))
    bottom = [0] * len(weeks)
    for outcome, colour, hatch in OUTCOMES:
        values = [week.counts[outcome] for week in weeks]
        label = texts[f"stats_chart_{outcome}"]
        ax.bar(positions, values, bottom=bottom, color=colour, hatch=hatch, label=label)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    for x, week in zip(positions, weeks, strict=True):
        ax.annotate(str(week.total), (x, week.total), ha="center", va="bottom", fontsize=8)
    ax.set_xticks(positions, [f"{w.monday:%d.%m.}" for w in weeks], fontsize=8, rotation=45)
    ax.set_ylabel(texts["stats_chart_axis"])
    ax.set_title(texts.format("stats_chart_title", weeks=str(len(weeks))), fontsize=11)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=3, fontsize=8, frameon=False)
    ax.margins(y=0.15)
