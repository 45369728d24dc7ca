"""``digilotse export checks --format csv`` writes results without any Telegram id."""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli.export import add_parser, run_checks
from storage import Database, UserRepository
from storage.check.records import CheckResultRecord
from storage.check.repository import CheckRepository

TELEGRAM_ID = 987654321


async def test_export_checks_csv_has_scores_and_no_telegram_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'export.sqlite3'}"
    database = Database(url)
    await database.upgrade()
    async with database.session() as session:
        await UserRepository(session).touch(TELEGRAM_ID, TELEGRAM_ID)
        record = await CheckRepository(session).start(TELEGRAM_ID, "2025.1")
        result = CheckResultRecord(
            record.id,
            "Musterhausen",
            "musterhausen",
            1,
            "2025.1",
            2.25,
            2,
            {"strategie": 2.5, "it": None},
            datetime(2025, 5, 1, tzinfo=UTC),
        )
        await CheckRepository(session).save_result(result)
    await database.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers())
    output = tmp_path / "checks.csv"
    args = parser.parse_args(["export", "checks", "--format", "csv", "--output", str(output)])
    assert await asyncio.to_thread(run_checks, args) == 0
    content = output.read_text(encoding="utf-8")
    assert content.splitlines()[1].startswith("Musterhausen,2025-05-01,2025.1,1,2.25,2,2.50,")
    assert str(TELEGRAM_ID) not in content
