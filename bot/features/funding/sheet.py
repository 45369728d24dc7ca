"""Read funding calls from a spreadsheet's CSV export (``digilotse calls import``).

The first row names the columns (any order, any case): ``title``, ``deadline``, ``url``,
``description`` are required; ``topic``, ``funder``, ``eligible``, ``amount``, ``stand`` are
optional; ``id`` and ``status`` (written by ``calls list --format csv``) are ignored. German
Excel separates cells with ``;`` and may start the file with a byte order mark: both are
accepted. Line numbers are those of the file, counting the header as line 1.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from bot.features.funding.calls import CallInput

REQUIRED = ("title", "deadline", "url", "description")
OPTIONAL = ("topic", "funder", "eligible", "amount", "stand")
COLUMNS = REQUIRED + OPTIONAL
IGNORED = ("id", "status")


@dataclass(frozen=True)
class SheetRow:
    """One call as typed in the sheet, with the line it starts on."""

    line: int
    call: CallInput


@dataclass(frozen=True)
class SheetProblem:
    """Why the sheet cannot be read: its line, a text key and, if any, the columns named."""

    line: int
    key: str
    columns: str = ""


def decode(data: bytes) -> str | SheetProblem:
    """The file's text (UTF-8, a byte order mark dropped), or where it is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return SheetProblem(data[: exc.start].count(b"\n") + 1, "radar_sheet_encoding")


def delimiter(header: str) -> str:
    """``;`` when the header row has more of them than commas (German Excel), else ``,``."""
    return ";" if header.count(";") > header.count(",") else ","


def read_sheet(text: str) -> list[SheetRow] | list[SheetProblem]:
    """The sheet's rows as calls to validate (blank rows left out), or its structural problems."""
    header_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(header_line))
    header = [name.strip().casefold() for name in next(reader, [])]
    problems = _header_problems(header)
    if problems:
        return problems
    rows: list[SheetRow] = []
    line = reader.line_num
    for cells in reader:
        start, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            problems.append(SheetProblem(start, "radar_sheet_cells"))
            continue
        rows.append(SheetRow(start, _call(dict(zip(header, cells, strict=False)))))
    return problems or rows


def _header_problems(header: list[str]) -> list[SheetProblem]:
    if not any(header):
        return [SheetProblem(1, "radar_sheet_empty")]
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name not in COLUMNS + IGNORED]
    doubled = sorted({name for name in header if header.count(name) > 1})
    problems = []
    for key, names in (
        ("radar_sheet_missing", missing),
        ("radar_sheet_unknown", unknown),
        ("radar_sheet_doubled", doubled),
    ):
        if names:
            problems.append(SheetProblem(1, key, ", ".join(names)))
    return problems


def _call(cells: dict[str, str]) -> CallInput:
    """A row's cells as a call; a missing trailing cell counts as empty."""
    value = {name: cells.get(name, "").strip() for name in COLUMNS}
    topic = value.pop("topic") or None
    return CallInput(**value, topic=topic)
