"""``digilotse kb check``: the date it checks review_by and valid_until against can be given."""

from __future__ import annotations

import pytest

from bot.cli import main


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
