"""How funding calls look: in the list, as an announcement and as a deadline reminder."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from bot.dialogue import callbacks
from bot.dialogue.texts import Texts
from bot.dialogue.types import Button, Keyboard
from bot.funding.core import days_left, link_html, topic_label
from knowledge.markup import escape

KIND = "fr"


class CallView(Protocol):
    """What rendering needs of a call (a draft or a stored one)."""

    @property
    def title(self) -> str: ...
    @property
    def deadline(self) -> date: ...
    @property
    def url(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def topic(self) -> str | None: ...


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
        """One call: title, deadline with the days left, topic, description and source link."""
        label = topic_label(call.topic)
        return self.texts.format(
            "radar_call",
            title=escape(call.title),
            deadline=f"{call.deadline:%d.%m.%Y}",
            due=self.due(call.deadline, today),
            topic=self.texts.format("radar_topic_line", topic=escape(label)) if label else "",
            description=escape(call.description),
            link=link_html(call.url, self.texts["radar_link_label"]),
        ).strip()

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

    def subscribe_button(self) -> Keyboard:
        """The offer under the list to follow the radar."""
        return ((Button(self.texts["radar_button_subscribe"], callbacks.encode(KIND, "sub")),),)
