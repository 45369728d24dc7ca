"""``digilotse calls list|add|import`` on a real SQLite file, read back through the repository."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli import main
from storage import Database
from storage.events.models import Announcement, OutboxRow
from storage.funding.repository import FundingCallRecord, FundingRepository

DEADLINE = date.today() + timedelta(days=60)
STAND = date.today() - timedelta(days=3)
T = TypeVar("T")
HEADER = "title;deadline;url;description;topic;funder;eligible;amount;stand"


@pytest.fixture
def database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh SQLite file and one admin as the CLI's settings."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'calls.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("ADMIN_IDS", "900001")
    return url


def _with_session(url: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    async def run() -> T:
        database = Database(url)
        try:
            await database.upgrade()
            async with database.session() as session:
                return await work(session)
        finally:
            await database.dispose()

    return asyncio.run(run())


def _calls(url: str) -> list[FundingCallRecord]:
    return _with_session(url, lambda session: FundingRepository(session).all_calls())


def _subscribe(url: str, *subscribers: tuple[int, str | None]) -> None:
    """Radar subscribers ``(telegram user id, topic)``."""

    async def work(session: AsyncSession) -> None:
        for user, topic in subscribers:
            await FundingRepository(session).subscribe(user, user, topic)

    _with_session(url, work)


def _counts(url: str) -> tuple[int, int]:
    """How many announcements and outbox rows there are."""

    async def work(session: AsyncSession) -> tuple[int, int]:
        announcements = await session.scalar(select(func.count()).select_from(Announcement))
        rows = await session.scalar(select(func.count()).select_from(OutboxRow))
        return int(announcements or 0), int(rows or 0)

    return _with_session(url, work)


def _sheet(tmp_path: Path, *rows: str, text: str = "", bom: bool = True) -> Path:
    path = tmp_path / "aufrufe.csv"
    body = text or "\r\n".join([HEADER, *rows]) + "\r\n"
    path.write_bytes(("\ufeff" if bom else "").encode() + body.encode("utf-8"))
    return path


def _row(title: str, url: str = "https://example.org/a", topic: str = "breitband") -> str:
    return f"{title};{DEADLINE};{url};Ausbau im ländlichen Raum;{topic};Land BW;Gemeinden;90 %;"


ADD = ["calls", "add", "--title", "Gigabit", "--deadline", str(DEADLINE)]
ADD += ["--url", "https://example.org/g", "--description", "Ausbau"]


def test_add_publishes_a_call_with_its_details_and_list_shows_status_and_deadline(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The details are stored; ``list`` prints id, status and deadline, ``--format csv`` all."""
    details = ["--funder", "Land BW", "--eligible", "Gemeinden", "--amount", "bis 90 %"]
    assert main([*ADD, *details, "--topic", "Breitband", "--stand", str(STAND)]) == 0
    [call] = _calls(database_url)
    assert (call.status, call.topic, call.funder, call.amount) == (
        "published",
        "breitband",
        "Land BW",
        "bis 90 %",
    )
    assert call.stand == STAND
    capsys.readouterr()
    assert main(["calls", "list"]) == 0
    assert capsys.readouterr().out == f"{call.id}\tpublished\t{DEADLINE}\tGigabit\n"
    assert main(["calls", "list", "--format", "csv"]) == 0
    [row] = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    shown = (row["status"], row["eligible"], row["stand"])
    assert shown == ("published", "Gemeinden", str(STAND))


def test_add_refuses_an_over_long_detail_naming_field_and_limit(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A funder over 200 characters is named, with the limit; nothing is stored."""
    assert main([*ADD, "--funder", "F" * 201]) == 1
    err = capsys.readouterr().err
    assert "Fördergeber" in err
    assert "höchstens 200" in err
    assert _calls(database_url) == []


def test_add_with_announce_queues_outbox_rows_for_the_topics_subscribers(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Subscribers of every topic and of the call's get it; a "ki" subscriber does not."""
    _subscribe(database_url, (10, None), (11, "breitband"), (12, "ki"))
    assert main([*ADD, "--topic", "breitband", "--announce"]) == 0
    assert "queued 2 messages" in capsys.readouterr().out
    assert _counts(database_url) == (1, 2)


def test_add_without_announce_queues_nothing_and_a_second_add_is_refused(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Published silently; the same title and deadline again is no second call."""
    _subscribe(database_url, (10, None))
    assert main(ADD) == 0
    assert _counts(database_url) == (0, 0)
    assert main(ADD) == 1
    assert "exists already" in capsys.readouterr().err
    assert len(_calls(database_url)) == 1


def test_import_reads_an_excel_export_with_byte_order_mark_and_semicolons(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """German Excel's "CSV UTF-8": every row becomes a published call with its details."""
    path = _sheet(tmp_path, _row("Gigabit"), _row("KI-Lab", topic="ki"), "")
    assert main(["calls", "import", str(path), "--format", "csv"]) == 0
    assert "imported 2 calls, skipped 0" in capsys.readouterr().out
    calls = {call.title: call for call in _calls(database_url)}
    assert set(calls) == {"Gigabit", "KI-Lab"}
    assert (calls["KI-Lab"].topic, calls["KI-Lab"].eligible) == ("ki", "Gemeinden")
    assert calls["Gigabit"].stand is None


def test_an_invalid_row_blocks_the_whole_import_naming_file_and_line(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Row 3's link and row 4's topic are named as FILE:LINE; not even row 2 is stored."""
    bad_link = _row("Kaputt", url="javascript:alert(1)")
    path = _sheet(tmp_path, _row("Gigabit"), bad_link, _row("Mond", topic="Mond"))
    assert main(["calls", "import", str(path), "--format", "csv"]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith(f"{path}:3: Das Feld Link")
    assert lines[1].startswith(f"{path}:4: Das Feld Thema")
    assert lines[2] == f"{path}: nothing imported"
    assert _calls(database_url) == []


def test_rows_already_present_are_skipped_and_counted(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A second import, and a row repeated in the file, add nothing; ``list`` output re-imports."""
    path = _sheet(tmp_path, _row("Gigabit"), _row("KI-Lab"), _row("Gigabit"))
    assert main(["calls", "import", str(path), "--format", "csv"]) == 0
    assert "imported 2 calls, skipped 1 already present" in capsys.readouterr().out
    assert main(["calls", "list", "--format", "csv"]) == 0
    exported = _sheet(tmp_path, text=capsys.readouterr().out, bom=False)
    assert main(["calls", "import", str(exported), "--format", "csv"]) == 0
    assert "imported 0 calls, skipped 2 already present" in capsys.readouterr().out
    assert len(_calls(database_url)) == 2


def test_import_with_announce_queues_one_announcement_per_new_call(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two new calls, two subscribers of every topic: two announcements, four outbox rows."""
    _subscribe(database_url, (10, None), (11, None))
    path = _sheet(tmp_path, _row("Gigabit"), _row("KI-Lab", topic="ki"))
    assert main(["calls", "import", str(path), "--format", "csv", "--announce"]) == 0
    assert "queued 4 messages" in capsys.readouterr().out
    assert _counts(database_url) == (2, 4)


def test_a_sheet_without_a_required_column_is_refused_at_line_1(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The missing and the unknown columns are named."""
    path = _sheet(tmp_path, text="title,deadline,link,description\nT,2027-01-31,x,B\n")
    assert main(["calls", "import", str(path), "--format", "csv"]) == 1
    err = capsys.readouterr().err
    assert f"{path}:1: Es fehlen Spalten: url." in err
    assert f"{path}:1: Unbekannte Spalten: link." in err
