"""How funding calls look: in the list, as an announcement and as a deadline reminder."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.dialogue import callbacks
from bot.dialogue.texts import Texts
from bot.dialogue.types import Button, Keyboard
from bot.features.events.announcement import ParseProblem, thousands
from bot.features.funding.calls import days_left, link_html, topic_label
from bot.features.funding.ports import HTML_MAX, CallView
from knowledge.markup import TELEGRAM_LIMIT, escape, find_html_errors, visible_length

KIND = "fr"


class FundingRenderer:
    """Fills the ``radar_*`` texts."""

    def __init__(self, texts: Texts) -> None:
        self.texts = texts

    def due(self, deadline: date, today: date) -> str:
        """``Frist heute`` / ``Frist morgen`` / ``Frist in N Tagen``."""
        days = days_left(deadline, today)
        if days <= 1:
            return self.texts["radar_due_today" if days <= 0 else "radar_due_tomorrow"]
        return self.texts.format("radar_due_days", days=str(days))

    def call(self, call: CallView, today: date) -> str:
        """One call: title, deadline with the days left, the details given (topic, funder, who
        may apply, amount), description, source link and the date of the information."""
        stand = f"{call.stand:%d.%m.%Y}" if call.stand else ""
        return self.texts.format(
            "radar_call",
            title=escape(call.title),
            deadline=f"{call.deadline:%d.%m.%Y}",
            due=self.due(call.deadline, today),
            details="\n".join([*self._details(call), escape(call.description)]),
            link=link_html(call.url, self.texts["radar_link_label"]),
            stand=self.texts.format("radar_stand_line", stand=stand) if stand else "",
        ).strip()

    def _details(self, call: CallView) -> list[str]:
        """One labelled line per detail the call has, its value escaped."""
        given = (
            ("radar_topic_line", topic_label(call.topic)),
            ("radar_funder_line", call.funder or ""),
            ("radar_eligible_line", call.eligible or ""),
            ("radar_amount_line", call.amount or ""),
        )
        return [self.texts.format(key, value=escape(value)) for key, value in given if value]

    def announcement(self, call: CallView, today: date) -> str:
        """The message subscribers get when a call is published."""
        return f"{self.texts['radar_new_header']}\n\n{self.call(call, today)}"

    def reminder(self, call: CallView, today: date) -> str:
        """The message subscribers get before the deadline."""
        header = self.texts.format("radar_reminder_header", due=self.due(call.deadline, today))
        return f"{header}\n\n{self.call(call, today)}"

    def controls(self, announcement_id: int) -> Keyboard:
        """ "Jetzt senden" and "Abbrechen" under the preview."""
        return (
            (
                Button(
                    self.texts["events_button_send"], callbacks.encode(KIND, "go", announcement_id)
                ),
                Button(
                    self.texts["events_button_cancel"], callbacks.encode(KIND, "x", announcement_id)
                ),
            ),
        )

    def problem(self, problem: ParseProblem) -> str:
        """The hint for an invalid call, naming the field and, when too long, the limit."""
        field = self.texts[f"radar_field_{problem.field}"] if problem.field else ""
        return self.texts.format(
            problem.key,
            field=field,
            limit=thousands(problem.limit),
            length=thousands(problem.length),
            year=str(problem.limit),
        )

    def expired(self, calls: Sequence[CallView], topic: str | None) -> str:
        """None open, and which calls ended recently and when (latest first)."""
        if topic:
            header = self.texts.format("radar_expired_topic", topic=escape(topic_label(topic)))
        else:
            header = self.texts["radar_expired"]
        lines = [self.ended(call) for call in calls]
        return "\n".join([header, *lines, self.texts["radar_expired_footer"]])

    def named_expired(self, calls: Sequence[CallView]) -> str:
        """ "Die Frist für Titel ist am TT.MM.JJJJ abgelaufen." for each call named."""
        return "\n".join(
            self.texts.format(
                "radar_named_expired", title=escape(c.title), deadline=f"{c.deadline:%d.%m.%Y}"
            )
            for c in calls
        )

    def ended(self, call: CallView) -> str:
        """ "• Titel – Frist endete am TT.MM.JJJJ"."""
        deadline = f"{call.deadline:%d.%m.%Y}"
        return self.texts.format("radar_ended_line", title=escape(call.title), deadline=deadline)

    def subscribe_button(self) -> Keyboard:
        """The offer under the list to follow the radar."""
        return ((Button(self.texts["radar_button_subscribe"], callbacks.encode(KIND, "sub")),),)


def fits(html: str) -> bool:
    """Valid Telegram HTML within Telegram's length and the stored announcement's size."""
    within = visible_length(html) <= TELEGRAM_LIMIT and len(html) <= HTML_MAX
    return within and not find_html_errors(html)


def fits_as_messages(render: FundingRenderer, call: CallView, today: date) -> bool:
    """Whether the call's announcement and its reminder both fit one message."""
    return all(fits(m) for m in (render.announcement(call, today), render.reminder(call, today)))
