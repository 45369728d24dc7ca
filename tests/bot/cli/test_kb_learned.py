"""``digilotse kb learned --export``: accepted questions into the YAML files, exactly once."""

from __future__ import annotations

import asyncio
import difflib
from pathlib import Path

import pytest

from bot.cli import main
from bot.settings import load_settings
from storage import Database
from storage.editorial.learned import LearnedRecord, LearnedRepository
from tests.bot import kb_copy

NEW = "Wo finde ich den Antrag für die Digitallotsen-Qualifizierung?"
ALREADY = "Was sind Kommunale Digitallotsen?"  # in digitallotsen.yaml already


@pytest.fixture
def kb_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the content and a fresh SQLite database, as the CLI's settings."""
    monkeypatch.setenv("KB_DIR", str(tmp_path / "kb"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}")
    return kb_copy.copy_kb(tmp_path)


def run_db(accept: tuple[tuple[str, str], ...] = ()) -> list[LearnedRecord]:
    """Accept questions (question, entry) and return what is still pending."""

    async def go() -> list[LearnedRecord]:
        database = Database(load_settings().database_url)
        try:
            await database.upgrade()
            async with database.session() as session:
                for question, entry_id in accept:
                    await LearnedRepository(session).accept(question, entry_id)
            async with database.session() as session:
                return await LearnedRepository(session).pending()
        finally:
            await database.dispose()

    return asyncio.run(go())


def test_export_adds_only_the_new_question_lines_and_marks_them_exported(
    kb_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The diff is the one new line under the entry's questions; comments and order stay."""
    before = (kb_dir / "digitallotsen.yaml").read_text(encoding="utf-8")
    run_db(((NEW, "digitallotsen"), (ALREADY, "digitallotsen")))

    code = main(["kb", "learned", "--export"])

    after = (kb_dir / "digitallotsen.yaml").read_text(encoding="utf-8")
    changed = [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="")
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    assert code == 0
    assert changed == [f"+    - {NEW}"]
    assert after.index(NEW) < after.index("  answer:")  # under the first entry's questions
    assert run_db() == []
    assert "2 question(s) exported" in capsys.readouterr().out


def test_a_second_export_changes_nothing(kb_dir: Path) -> None:
    """Exported rows are not applied twice."""
    run_db(((NEW, "digitallotsen"),))
    main(["kb", "learned", "--export"])
    once = {p.name: p.read_text(encoding="utf-8") for p in kb_dir.glob("*.yaml")}

    main(["kb", "learned", "--export"])

    assert {p.name: p.read_text(encoding="utf-8") for p in kb_dir.glob("*.yaml")} == once
    assert once["digitallotsen.yaml"].count(NEW) == 1


def test_an_exported_file_still_passes_the_content_checks(kb_dir: Path) -> None:
    """The rewritten YAML loads and validates."""
    from knowledge.content import load_checked

    run_db(((NEW, "digitallotsen"),))
    main(["kb", "learned", "--export"])

    entries = {entry.id: entry for entry in load_checked(kb_dir).entries}
    assert NEW in entries["digitallotsen"].questions


def test_a_question_for_an_entry_no_file_has_is_kept_pending(
    kb_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An entry removed from the files meanwhile: nothing is written, the row waits."""
    run_db(((NEW, "gibt-es-nicht"),))

    code = main(["kb", "learned", "--export"])

    assert code == 1
    assert "no entry 'gibt-es-nicht'" in capsys.readouterr().out
    assert [record.question for record in run_db()] == [NEW]
