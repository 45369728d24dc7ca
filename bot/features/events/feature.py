"""Network events for everyone: opt in/out, upcoming events, RSVP, calendar files.

```mermaid
flowchart LR
    Sub[/abonnieren · button · intent/] --> Store[(subscriptions)]
    List[/termine/] --> Events[events + own RSVP + counts]
    Ann[announcement] -->|Ich nehme teil / Absagen| RSVP[(rsvps)] --> Edit[new counts]
    Ann -->|.ics| File[calendar file]
```
Organiser commands (``/ankuendigen``, ``/teilnehmer``) live in ``events_admin``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, tzinfo

from bot.dialogue import callbacks
from bot.dialogue.clock import utcnow
from bot.dialogue.feature import Feature
from bot.dialogue.texts import Texts
from bot.dialogue.types import Incoming, Reply, Turn
from bot.features.events.admin import EventsAdmin
from bot.features.events.ports import EventStore
from bot.features.events.render import KIND, EventRenderer
from nlu.types import ParseResult

LIST_LIMIT = 5
INTENT_COMMANDS = {
    "list_events": "termine",
    "subscribe": "abonnieren",
    "unsubscribe": "abbestellen",
}


class EventsFeature(Feature):
    """Subscriptions, /termine and RSVP buttons; organiser commands for admins."""

    commands = ("termine", "abonnieren", "abbestellen", "ankuendigen", "teilnehmer")
    admin_commands = frozenset({"ankuendigen", "teilnehmer"})
    intents = frozenset(INTENT_COMMANDS)
    group_commands = frozenset({"termine"})
    button_kinds = frozenset({KIND})

    def __init__(
        self,
        store: EventStore,
        texts: Texts,
        zone: tzinfo,
        clock: Callable[[], datetime] = utcnow,
        also_unsubscribe: Callable[[int], Awaitable[bool]] | None = None,
    ) -> None:
        self._store = store
        self._also_unsubscribe = also_unsubscribe
        self._texts = texts
        self._render = EventRenderer(texts, zone)
        self._clock = clock
        self._admin = EventsAdmin(store, self._render, clock)

    async def on_command(self, incoming: Incoming, command: str, args: str) -> Turn:
        """Dispatch one of the event commands."""
        if command in ("ankuendigen", "teilnehmer"):
            return await self._admin.on_command(incoming, command, args)
        if command == "abonnieren":
            return await self._subscribe(incoming, True)
        if command == "abbestellen":
            return await self._subscribe(incoming, False)
        return await self._list(incoming)

    async def on_intent(self, incoming: Incoming, parse: ParseResult) -> Turn:
        """Intents map onto the commands."""
        return await self.on_command(incoming, INTENT_COMMANDS[parse.intent.name], "")

    async def on_button(self, incoming: Incoming, parts: tuple[str, ...]) -> Turn:
        """``ev:sub``, ``ev:y|n|ics:<event>``, the organiser's ``ev:go|x|rs:<announcement>``."""
        if parts[1:] == ("sub",):
            return await self._subscribe(incoming, True)
        number = callbacks.parse_id(parts[2]) if len(parts) == 3 else None
        if number is None:
            return Turn(toast=self._texts["invalid_button"])
        action = parts[1]
        if action in ("go", "x", "rs"):
            return await self._admin.on_button(incoming, action, number)
        if action in ("y", "n"):
            return await self._rsvp(incoming, number, action == "y")
        if action == "ics":
            return await self._ics(number)
        return Turn(toast=self._texts["invalid_button"])

    async def _subscribe(self, incoming: Incoming, active: bool) -> Turn:
        changed = await self._store.set_subscription(incoming.user_id, incoming.chat_id, active)
        if active:
            return Turn.say(
                self._texts["events_subscribed" if changed else "events_already_subscribed"]
            )
        html = self._texts["events_unsubscribed" if changed else "events_not_subscribed"]
        if self._also_unsubscribe is not None and await self._also_unsubscribe(incoming.user_id):
            html += "\n" + self._texts["radar_unsubscribed"]  # /abbestellen ends the radar too
        return Turn.say(html)

    async def _list(self, incoming: Incoming) -> Turn:
        events = await self._store.upcoming(self._clock(), LIST_LIMIT)
        replies = [Reply(html=self._texts["events_list_header" if events else "events_none"])]
        personal = not incoming.in_group  # a group sees the events, not the sender's answers
        answers = await self._store.rsvps_of(incoming.user_id) if events and personal else {}
        for event in events:
            counts = await self._store.counts(event.id)
            replies.append(self._render.with_state(event, counts, answers.get(event.id)))
        if personal and not await self._store.is_subscribed(incoming.user_id):
            invite = Reply(self._texts["events_invite_subscribe"], self._render.subscribe_button())
            replies.append(invite)
        return Turn(replies=tuple(replies))

    async def _missing(self, event_id: int) -> Turn:
        """A toast for an event that is gone, or a draft (public only after "Jetzt senden")."""
        draft = await self._store.event(event_id, published_only=False)
        key = "events_unknown" if draft is None else "events_not_published"
        return Turn(toast=self._texts[key])

    async def _rsvp(self, incoming: Incoming, event_id: int, attending: bool) -> Turn:
        event = await self._store.event(event_id)
        if event is None:
            return await self._missing(event_id)
        changed, counts = await self._store.rsvp(
            incoming.user_id, incoming.chat_id, event_id, attending
        )
        if not changed:
            return Turn(toast=self._texts["events_toast_same"])
        reply = self._render.with_state(event, counts, attending)
        toast = self._texts["events_toast_yes" if attending else "events_toast_no"]
        edited = Reply(html=reply.html, buttons=reply.buttons, edit=True)
        return Turn(replies=(edited,), toast=toast)

    async def _ics(self, event_id: int) -> Turn:
        event = await self._store.event(event_id)
        if event is None:
            return await self._missing(event_id)
        return Turn(replies=(self._render.ics(event, self._clock()),))


def build_events_feature(
    store: EventStore,
    texts: Texts,
    zone: tzinfo,
    also_unsubscribe: Callable[[int], Awaitable[bool]] | None = None,
) -> EventsFeature:
    """The feature on a store (``bot.stores.events`` in the bot); ``also_unsubscribe`` ends
    other subscriptions (the Förderradar's) with ``/abbestellen``."""
    return EventsFeature(store, texts, zone, also_unsubscribe=also_unsubscribe)
