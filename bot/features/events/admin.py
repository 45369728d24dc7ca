"""Organiser commands (``ADMIN_IDS`` only): announce an event with a preview, list RSVPs.

``/ankuendigen`` stores the event and a draft announcement and shows the preview; only
"Jetzt senden" writes the outbox rows that the broadcast worker (``bot.telegram.broadcast``)
then sends. Everyone else gets a polite refusal and nothing is created or sent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from bot.dialogue import callbacks
from bot.dialogue.types import Button, Incoming, Reply, Turn
from bot.features.events.announcement import (
    Draft,
    EventView,
    ParseProblem,
    format_when,
    parse_announcement,
    thousands,
)
from bot.features.events.ports import EventStore
from bot.features.events.render import KIND, EventRenderer, view
from knowledge.markup import TELEGRAM_LIMIT, escape, find_html_errors, visible_length

logger = logging.getLogger(__name__)

ATTENDEE_LIMIT = 50


class EventsAdmin:
    """``/ankuendigen``, ``/teilnehmer`` and the preview's buttons."""

    def __init__(
        self, store: EventStore, render: EventRenderer, clock: Callable[[], datetime]
    ) -> None:
        self._store = store
        self._render = render
        self._texts = render.texts
        self._clock = clock

    async def on_command(self, incoming: Incoming, command: str, args: str) -> Turn:
        """Run an organiser command if the sender is an admin."""
        if not incoming.is_admin:
            return Turn.say(self._texts["admin_only"])
        if command == "teilnehmer":
            return await self._attendees(args.strip())
        return await self._announce(incoming, args)

    async def on_button(self, incoming: Incoming, action: str, announcement_id: int) -> Turn:
        """ "Jetzt senden" (``go``) or "Abbrechen" (``x``) under a preview, "Fehlgeschlagene
        erneut senden" (``rs``) under a report; admins only, checked before anything is written."""
        if not incoming.is_admin:
            return Turn(toast=self._texts["admin_only"])
        if action == "rs":
            return await self._resend(announcement_id)
        if action == "x":
            done = await self._store.cancel(announcement_id)
            key = "events_cancelled" if done else "events_already_started"
            return Turn(replies=(Reply(html=self._texts[key], edit=True),))
        total = await self._store.start_broadcast(announcement_id, incoming.message_id)
        if total is None:
            return Turn(toast=self._texts["events_already_started"])
        html = self._texts.format("events_sending", done="0", total=thousands(total))
        return Turn(replies=(Reply(html=html, edit=True),))

    async def _resend(self, announcement_id: int) -> Turn:
        """Queue a finished broadcast's failed rows again; the worker then sends and reports."""
        queued = await self._store.resend_failed(announcement_id)
        if queued is None:
            running = await self._store.announcement_status(announcement_id) == "sending"
            return Turn(toast=self._texts["events_resend_already" if running else "invalid_button"])
        if queued == 0:
            return Turn(toast=self._texts["events_resend_none"])
        return Turn.say(self._texts.format("events_resend_started", count=thousands(queued)))

    async def _announce(self, incoming: Incoming, args: str) -> Turn:
        parsed = parse_announcement(args, self._render.zone, self._clock())
        if isinstance(parsed, ParseProblem):
            return Turn.say(self._problem(parsed) + "\n\n" + self._texts["events_usage"])
        if not self._renders_valid(parsed):
            return Turn.say(self._texts["events_invalid_html"])
        return await self._preview(incoming, parsed)

    def _renders_valid(self, draft: Draft) -> bool:
        """Whether the announcement is valid Telegram HTML; checked before anything is saved."""
        fields = (draft.title, draft.starts_at, draft.place, draft.description)
        html = self._render.announcement(EventView(0, *fields))
        errors = find_html_errors(html)
        if errors:
            logger.warning("announcement refused, invalid HTML: %s", errors[0].message)
        return not errors and visible_length(html) <= TELEGRAM_LIMIT

    def _problem(self, problem: ParseProblem) -> str:
        field = self._texts[f"events_field_{problem.field}"] if problem.field in (
            "title", "place", "description"
        ) else ""  # fmt: skip
        limit, length = thousands(problem.limit), thousands(problem.length)
        year = str(problem.limit)
        return self._texts.format(problem.key, field=field, limit=limit, length=length, year=year)

    async def _preview(self, incoming: Incoming, draft: Draft) -> Turn:
        event = await self._store.add_event(draft)
        html = self._render.announcement(view(event))
        announcement, recipients = await self._store.draft_announcement(
            event.id, html, incoming.chat_id
        )
        exact = Reply(html=html, buttons=self._render.rsvp_buttons(event.id))
        number = announcement.id
        controls = (
            (
                Button(self._texts["events_button_send"], callbacks.encode(KIND, "go", number)),
                Button(self._texts["events_button_cancel"], callbacks.encode(KIND, "x", number)),
            ),
        )
        text = self._texts.format("events_preview", recipients=thousands(recipients))
        return Turn(replies=(exact, Reply(html=text, buttons=controls)))

    async def _attendees(self, args: str) -> Turn:
        event_id = callbacks.parse_id(args)
        if event_id is None:
            return await self._choose_event()
        event = await self._store.event(event_id, published_only=False)
        if event is None:
            return Turn.say(self._texts["events_unknown"])
        answers = await self._store.attendees(event.id)
        when = format_when(event.starts_at, self._render.zone, self._texts)
        lines = [
            self._texts.format("events_attendees_header", title=escape(event.title), when=when)
        ]
        counts = await self._store.counts(event.id)
        lines.append(self._texts.format("events_counts", yes=str(counts.yes), no=str(counts.no)))
        for answer in answers[:ATTENDEE_LIMIT]:
            key = "events_attendee_yes" if answer.attending else "events_attendee_no"
            line = self._texts.format(
                "events_attendee_line", answer=self._texts[key], user=str(answer.telegram_user_id)
            )
            lines.append(line)
        if not answers:
            lines.append(self._texts["events_no_attendees"])
        return Turn.say("\n".join(lines))

    async def _choose_event(self) -> Turn:
        events = await self._store.upcoming(self._clock(), 20, published_only=False)
        lines = [self._texts["events_attendees_usage"]]
        zone, texts = self._render.zone, self._texts
        lines += [
            f"<code>{e.id}</code> – {escape(e.title)} ({format_when(e.starts_at, zone, texts)})"
            for e in events
        ]
        return Turn.say("\n".join(lines))
