"""CSV export of check results for the Gemeindetag: no Telegram ids, no pseudonyms."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from bot.features.check.ports import StoredResult
from knowledge.check.model import Questionnaire

BASE_COLUMNS = ("municipality", "date", "version", "size_class", "overall", "level")


def results_csv(results: Sequence[StoredResult], questionnaire: Questionnaire) -> bytes:
    """One row per result: municipality, date, version, size class, scores, level (UTF-8)."""
    dimension_ids = [d.id for d in questionnaire.dimensions]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*BASE_COLUMNS, *dimension_ids])
    for result in results:
        writer.writerow(
            [
                result.municipality,
                result.finished_at.date().isoformat(),
                result.version,
                "" if result.size_class is None else result.size_class,
                _score(result.overall),
                "" if result.level is None else result.level,
                *(_score(result.dimensions.get(d)) for d in dimension_ids),
            ]
        )
    return buffer.getvalue().encode("utf-8")


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"
