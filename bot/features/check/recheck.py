"""The re-check question a year after a result: when it is due and what it says.

Pure: the sweep that sends it lives in ``bot.telegram.check_reminders``, the row that plans it in
``storage.check.reminders``. "Check wiederholen" starts ``/check`` like the command does; "Nein
danke" forgets the question. A new result plans the next question a year after it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from bot.dialogue import callbacks
from bot.dialogue.texts import Texts
from bot.dialogue.types import Button, Turn
from bot.features.check.messages import BERLIN, KIND, berlin_date
from bot.features.check.ports import RecheckReminder
from knowledge.markup import escape

RECHECK_YES, RECHECK_NO = "ry", "rn"  # ``ck:<action>:<session>`` on the question's buttons
ASK_AT = time(10, 0)  # Berlin time on the day: a working-hours question, not one at midnight


def recheck_due(finished_at: datetime) -> datetime:
    """Twelve months after the result, at 10:00 Berlin time (29 February asks on the 28th)."""
    day = finished_at.astimezone(BERLIN).date()
    next_year = day.year + 1
    try:
        then = day.replace(year=next_year)
    except ValueError:  # 29 February
        then = date(next_year, 2, 28)
    return datetime.combine(then, ASK_AT, tzinfo=BERLIN).astimezone(UTC)


def recheck_question(texts: Texts, reminder: RecheckReminder) -> Turn:
    """The question whether to repeat the check, with "Check wiederholen" and "Nein danke"."""
    html = texts.format(
        "check_recheck_question",
        date=berlin_date(reminder.finished_at),
        name=escape(reminder.municipality),
    )
    buttons = (
        (
            _button(texts["check_recheck_yes_label"], RECHECK_YES, reminder.session_id),
            _button(texts["check_recheck_no_label"], RECHECK_NO, reminder.session_id),
        ),
    )
    return Turn.say(html, buttons)


def _button(label: str, action: str, session_id: int) -> Button:
    return Button(label, callbacks.encode(KIND, action, session_id))
