"""``digilotse kb``: check against a given date, review dates as CSV, reload the running bot."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.settings import load_settings
from bot.stores.knowledge import content_version
from storage import Database
from tests.bot import kb_copy


def test_kb_check_with_a_later_date_reports_entries_due_for_review(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A day after the latest review_by every entry is due, and the check fails."""
    code = main(["kb", "check", "--today", "2030-01-01"])

    out = capsys.readouterr().out
    assert code == 1
    assert "[ozg-grundlagen] review_by 2027-12-01 has passed (today is 2030-01-01)" in out


def test_kb_check_refuses_a_date_that_is_not_iso(capsys: pytest.CaptureFixture[str]) -> None:
    """A malformed --today is a usage error, not a silent default."""
    with pytest.raises(SystemExit) as exc:
        main(["kb", "check", "--today", "1.1.2030"])

    assert exc.value.code == 2
    assert "--today" in capsys.readouterr().err


@pytest.fixture
def kb_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An editable copy of the content, and a fresh SQLite database, as the CLI's settings."""
    monkeypatch.setenv("KB_DIR", str(tmp_path / "kb"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}")
    return kb_copy.copy_kb(tmp_path)


def stored_version() -> int:
    async def read() -> int:
        database = Database(load_settings().database_url)
        try:
            return await content_version(database)
        finally:
            await database.dispose()

    return asyncio.run(read())


def test_kb_review_csv_lists_a_due_entry_with_its_file_and_sources(
    kb_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One row per entry due within 30 days, under a header a spreadsheet understands."""
    kb_copy.add_entry(kb_dir, review_in_days=10)

    code = main(["kb", "review", "--format", "csv"])

    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert code == 0
    due = [row for row in rows if row["id"] == "redaktionsschluss-rundbrief"]
    assert len(due) == 1
    assert (due[0]["status"], due[0]["file"]) == ("due", kb_copy.NEW_FILE)
    assert due[0]["sources"] == f"{kb_copy.NEW_SOURCE} </hilfe>"
    assert all(row["review_by"] <= str(date.today() + timedelta(days=30)) for row in rows)


def test_kb_reload_raises_the_content_version_the_bot_polls(
    kb_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Valid files: the version row goes up by one each time."""
    assert main(["kb", "reload"]) == 0
    assert main(["kb", "reload"]) == 0

    assert "content version 2" in capsys.readouterr().out
    assert stored_version() == 2


def test_kb_reload_with_broken_yaml_names_file_and_line_and_signals_nothing(
    kb_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Invalid files: the bot is not asked to reload, the operator sees where to fix it."""
    assert main(["kb", "reload"]) == 0
    kb_copy.break_yaml(kb_dir)

    code = main(["kb", "reload"])

    assert code == 1
    assert f"{kb_copy.NEW_FILE}:{kb_copy.BROKEN_LINE}: invalid YAML" in capsys.readouterr().out
    assert stored_version() == 1
