"""Render events with the feature's texts: announcement, RSVP state, buttons, calendar file."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from bot.dialogue import callbacks
from bot.dialogue.texts import Texts
from bot.dialogue.types import Button, Document, Keyboard, Reply
from bot.features.events.announcement import EventView, render_event, thousands
from bot.features.events.ics import event_ics
from bot.features.events.ports import DeliveryTally, Event, RsvpTally
from knowledge.markup import escape

KIND = "ev"


def view(event: Event) -> EventView:
    """The core's view of a stored event."""
    return EventView(event.id, event.title, event.starts_at, event.place, event.description)


class EventRenderer:
    """Turns events into HTML and buttons, in the configured time zone."""

    def __init__(self, texts: Texts, zone: tzinfo) -> None:
        self.texts = texts
        self.zone = zone

    def announcement(self, event: EventView) -> str:
        """The announcement exactly as subscribers see it."""
        return render_event(event, self.zone, self.texts)

    def rsvp_buttons(self, event_id: int) -> Keyboard:
        """ "Ich nehme teil" / "Absagen", and the calendar file."""

        def button(key: str, action: str) -> Button:
            return Button(self.texts[key], callbacks.encode(KIND, action, event_id))

        return (
            (button("events_button_yes", "y"), button("events_button_no", "n")),
            (button("events_button_ics", "ics"),),
        )

    def with_state(self, event: Event, counts: RsvpTally, answer: bool | None) -> Reply:
        """The event with the counts and the user's own answer, with RSVP buttons."""
        lines = [self.announcement(view(event)), ""]
        lines.append(self.texts.format("events_counts", yes=str(counts.yes), no=str(counts.no)))
        if answer is not None:
            lines.append(self.texts["events_your_yes" if answer else "events_your_no"])
        return Reply(html="\n".join(lines), buttons=self.rsvp_buttons(event.id))

    def ics(self, event: Event, now: datetime) -> Reply:
        """The calendar file as a document."""
        caption = self.texts.format("events_ics_caption", title=escape(event.title))
        content = event_ics(view(event), now).encode("utf-8")
        document = Document(f"termin-{event.id}.ics", content, caption)
        return Reply(html=caption, document=document)

    def subscribe_button(self) -> Keyboard:
        """One button to opt in."""
        return ((Button(self.texts["events_button_subscribe"], callbacks.encode(KIND, "sub")),),)

    def report(
        self,
        announcement_id: int,
        title: str,
        counts: DeliveryTally,
        reasons: Sequence[tuple[str, int]],
    ) -> Reply:
        """The admin's final report; failures are listed by reason, with a resend button.

        ``reasons``: ``(kind, count)`` pairs, each kind named by a text ``events_reason_<kind>``.
        """
        html = self.texts.format(
            "events_report",
            title=escape(title),
            sent=thousands(counts.sent),
            blocked=thousands(counts.blocked),
            failed=thousands(counts.failed),
        )
        if not counts.failed:
            return Reply(html=html)
        lines = [html.rstrip("\n"), "", self.texts["events_report_reasons"]]
        lines += [self._reason_line(kind, count) for kind, count in reasons]
        resend = callbacks.encode(KIND, "rs", announcement_id)
        return Reply("\n".join(lines), ((Button(self.texts["events_button_resend"], resend),),))

    def _reason_line(self, kind: str, count: int) -> str:
        reason = self.texts[f"events_reason_{kind}"]
        return self.texts.format("events_report_reason", reason=reason, count=thousands(count))
