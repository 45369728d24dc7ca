"""The radar chart for the PDF as a small hand-written SVG (Jinja2 template).

The same chart as :func:`chart.radar_chart`'s PNG: series, colours, line styles, markers, axis
labels and the "nicht bewertet" gap come from :mod:`chart`. matplotlib's SVG of it has some 170
elements (grid circles as Bézier paths, markers as ``<use>``) and takes longer to make and for
WeasyPrint to draw than the rest of a report page; this one has circles, lines, polylines and the
texts, in the same point units (8 pt labels, 12 pt title).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from bot.dialogue.texts import load_texts
from bot.features.check.messages import berlin_date
from bot.features.check.report.chart import Series, axis_labels, chart_series, side
from bot.features.check.report.html import environment
from bot.features.check.result import CheckOutcome

RADIUS = 190.0  # value 4
LEVELS = 4
LABEL_PAD = 14.0
LABEL_SIZE, TICK_SIZE, TITLE_SIZE, LEGEND_SIZE = 8.0, 7.0, 12.0, 8.0
LINE_HEIGHT = 1.2  # of the font size
CHAR_WIDTH = 0.6  # of the font size: DejaVu Sans, a little generous, for the picture's bounds
TICK_ANGLE = math.radians(22.5)
LEGEND_GAP, LEGEND_ROW, LEGEND_SAMPLE, LEGEND_TEXT_GAP = 40.0, 14.0, 22.0, 6.0
MARGIN = 8.0
# matplotlib's dash patterns, in multiples of the line width
DASHES = {"-": "", "--": "3.7 1.6", "-.": "6.4 1.6 1 1.6", ":": "1 1.65"}
Point = tuple[float, float]
ANCHORS = {"left": "start", "right": "end", "center": "middle"}


@dataclass(frozen=True)
class Text:
    """One line of text at its baseline."""

    x: float
    y: float
    text: str
    anchor: str = "middle"


@dataclass(frozen=True)
class Line:
    """A series' drawn parts: ``closed`` is one polygon (filled when ``fill``), otherwise each
    run of rated values is an open polyline."""

    series: Series
    runs: tuple[str, ...]
    closed: bool
    fill: bool
    width: float
    dashes: str
    markers: tuple[Point, ...]


@dataclass(frozen=True)
class LegendEntry:
    """A series' sample line (with its marker) and label, the label's baseline at ``y``."""

    line: Line
    x: float
    y: float

    @property
    def sample_y(self) -> float:
        return self.y - LEGEND_SIZE * 0.35

    @property
    def sample_end(self) -> float:
        return self.x + LEGEND_SAMPLE

    @property
    def text_x(self) -> float:
        return self.sample_end + LEGEND_TEXT_GAP


def chart_svg(outcome: CheckOutcome) -> bytes:
    """The chart as SVG: title, axes from 12 o'clock clockwise, series, legend."""
    labels = axis_labels(outcome)
    angles = [2 * math.pi * i / len(labels) for i in range(len(labels))]
    current = load_texts()["check_chart_current"]
    lines = [_line(item, angles, item.label == current) for item in chart_series(outcome)]
    title = _title(outcome)
    axis = [t for label, a in zip(labels, angles, strict=True) for t in _label(label, a)]
    legend = _legend(lines)
    template = environment().get_template("check_chart.svg.j2")
    svg = template.render(
        view=_view_box(title, axis, legend),
        radius=RADIUS,
        rings=[RADIUS * level / LEVELS for level in range(1, LEVELS)],
        spokes=[_point(a, RADIUS) for a in angles],
        ticks=_ticks(),
        lines=lines,
        labels=axis,
        title=title,
        legend=legend,
    )
    return svg.encode("utf-8")


def _point(angle: float, radius: float) -> Point:
    """Centre at (0, 0); 12 o'clock is up, angles run clockwise."""
    return radius * math.sin(angle), -radius * math.cos(angle)


def _line(item: Series, angles: Sequence[float], current: bool) -> Line:
    points = [
        None if v is None else _point(a, RADIUS * v / LEVELS)
        for v, a in zip(item.values, angles, strict=True)
    ]
    closed = None not in points
    width = 2.0 if current else 1.5
    dashes = " ".join(f"{float(d) * width:g}" for d in DASHES[item.style].split())
    return Line(
        series=item,
        runs=tuple(_polyline(run) for run in _runs(points)),
        closed=closed,
        fill=closed and current,
        width=width,
        dashes=dashes,
        markers=tuple(p for p in points if p is not None),
    )


def _runs(points: Sequence[Point | None]) -> list[list[Point]]:
    """Consecutive rated points around the circle (the last joins the first); one run holding
    every point when nothing is missing."""
    start = next((i for i, p in enumerate(points) if p is None), 0)
    runs: list[list[Point]] = [[]]
    for point in [*points[start:], *points[:start]]:
        if point is None:
            runs.append([])
        else:
            runs[-1].append(point)
    return [run for run in runs if len(run) > 1]


def _polyline(points: Sequence[Point]) -> str:
    return " ".join(f"{x:.2f},{y:.2f}" for x, y in points)


def _title(outcome: CheckOutcome) -> tuple[Text, ...]:
    """Municipality and date, centred above the top axis label."""
    title = load_texts().format(
        "check_chart_title",
        municipality=outcome.municipality,
        date=berlin_date(outcome.finished_at),
    )
    lines = title.split("\n")
    step = TITLE_SIZE * LINE_HEIGHT
    bottom = -RADIUS - LABEL_PAD - 3 * LABEL_SIZE * LINE_HEIGHT - 22
    count = len(lines)
    return tuple(Text(0.0, bottom - (count - 1 - i) * step, t) for i, t in enumerate(lines))


def _label(label: str, angle: float) -> tuple[Text, ...]:
    """An axis label's lines outside the circle: above it at 12 o'clock, below it at 6,
    centred beside it at 3 and 9."""
    x, y = _point(angle, RADIUS + LABEL_PAD)
    lines = label.split("\n")
    step = LABEL_SIZE * LINE_HEIGHT
    top = y - len(lines) * step * (1 + math.cos(angle)) / 2
    anchor = ANCHORS[side(angle)]
    baseline = top + LABEL_SIZE * 0.95
    return tuple(Text(x, baseline + i * step, line, anchor) for i, line in enumerate(lines))


def _ticks() -> tuple[Text, ...]:
    ticks = []
    for level in range(1, LEVELS + 1):
        x, y = _point(TICK_ANGLE, RADIUS * level / LEVELS)
        ticks.append(Text(x + 2, y - 2, str(level), "start"))
    return tuple(ticks)


def _legend(lines: Sequence[Line]) -> tuple[LegendEntry, ...]:
    """Two columns filled top to bottom (as matplotlib's ``ncol=2``), centred below the chart."""
    rows = math.ceil(len(lines) / 2)
    columns = [lines[:rows], lines[rows:]]
    widths = [
        LEGEND_SAMPLE
        + LEGEND_TEXT_GAP
        + max((_width(i.series.label, LEGEND_SIZE) for i in c), default=0)
        for c in columns
    ]
    top = RADIUS + LABEL_PAD + 3 * LABEL_SIZE * LINE_HEIGHT + 24
    entries, x = [], -(sum(widths) + LEGEND_GAP) / 2
    for column, width in zip(columns, widths, strict=True):
        entries += [LegendEntry(line, x, top + row * LEGEND_ROW) for row, line in enumerate(column)]
        x += width + LEGEND_GAP
    return tuple(entries)


def _width(text: str, size: float) -> float:
    return len(text) * size * CHAR_WIDTH


def _view_box(
    title: Sequence[Text], labels: Sequence[Text], legend: Sequence[LegendEntry]
) -> tuple[float, float, float, float]:
    """Bounds around everything drawn (text widths estimated): ``viewBox`` x, y, width, height."""
    xs, ys = [-RADIUS, RADIUS], [-RADIUS, RADIUS]
    for text, size in [*((t, TITLE_SIZE) for t in title), *((t, LABEL_SIZE) for t in labels)]:
        width = _width(text.text, size)
        left = text.x - {"start": 0.0, "middle": 0.5, "end": 1.0}[text.anchor] * width
        xs += [left, left + width]
        ys += [text.y - size, text.y + size * 0.3]
    for entry in legend:
        xs += [entry.x, entry.text_x + _width(entry.line.series.label, LEGEND_SIZE)]
        ys += [entry.y + LEGEND_SIZE * 0.3]
    left, top = min(xs) - MARGIN, min(ys) - MARGIN
    return left, top, max(xs) + MARGIN - left, max(ys) + MARGIN - top
