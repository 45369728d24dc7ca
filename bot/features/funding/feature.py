"""Förderradar: open funding calls with deadlines, the radar subscription, and ``/foerderaufruf``.

```mermaid
flowchart LR
    Ask[/foerderung · intent list_funding_calls/] --> Open[open calls by deadline, topic-filtered]
    Sub[/foerderradar Thema · button/] --> Store[(radar_subscriptions)]
    Admin[/foerderaufruf/] --> Draft[(draft call + announcement)] --> Preview
    Preview -->|Jetzt senden| Outbox[(outbox rows)] --> Broadcaster
    Preview -->|Abbrechen| Cancelled
    Sweep[sweep: 14 days before the deadline] --> Outbox
```
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, tzinfo

from bot.dialogue import callbacks
from bot.dialogue.clock import utcnow
from bot.dialogue.feature import Feature
from bot.dialogue.texts import Texts
from bot.dialogue.types import Button, Incoming, Reply, Turn
from bot.features.events.announcement import ParseProblem, thousands
from bot.features.funding.calls import TOPICS, parse_call, parse_topic, topic_in_text, topic_label
from bot.features.funding.ports import CallView, FundingStore
from bot.features.funding.render import KIND, FundingRenderer, fits_as_messages
from bot.features.knowledge.answers import SHOW
from knowledge.markup import escape
from nlu.types import ParseResult

INTENT = "list_funding_calls"
FINDING_ENTRY = "foerderung-aktuell"  # the knowledge entry on where to find funding calls
LIST_LIMIT = 10
OPEN_NOW = re.compile(
    r"gerade|aktuell|derzeit|momentan|zurzeit|im moment|jetzt|offen|lauf|läuft|frist|aufruf"
    r"|ausschreib|bewerb|beantrag|neue|/foerderung",
    re.IGNORECASE,
)
TITLE_MIN = 4  # a shorter title is too likely to occur in any question


class FundingFeature(Feature):
    """``/foerderung``, ``/foerderradar`` and, for admins, ``/foerderaufruf``."""

    commands = ("foerderung", "foerderradar", "foerderaufruf")
    admin_commands = frozenset({"foerderaufruf"})
    intents = frozenset({INTENT})
    group_commands = frozenset({"foerderung"})
    button_kinds = frozenset({KIND})

    def __init__(
        self,
        store: FundingStore,
        texts: Texts,
        zone: tzinfo,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._store = store
        self._texts = texts
        self._render = FundingRenderer(texts)
        self._zone = zone
        self._clock = clock

    def _today(self) -> date:
        return self._clock().astimezone(self._zone).date()

    async def on_command(self, incoming: Incoming, command: str, args: str) -> Turn:
        """Dispatch one of the radar commands."""
        if command == "foerderaufruf":
            return await self._announce(incoming, args)
        if command == "foerderradar":
            return await self._subscribe(incoming, args)
        topic = parse_topic(args)
        if args.strip() and topic is None:
            return Turn.say(self._texts["radar_unknown_topic"] + "\n" + self._topic_list())
        return await self._list(incoming, topic)

    def claims(self, parse: ParseResult) -> bool:
        """Only questions about what is open now ("gerade", "Frist", "Förderaufruf" …): a bare
        "Förderung" or "Lotsen Förderung" asks about programmes (the knowledge base answers)."""
        return OPEN_NOW.search(parse.text) is not None

    async def on_intent(self, incoming: Incoming, parse: ParseResult) -> Turn:
        """ "Welche Förderung kann ich gerade beantragen?": the open calls, for a named topic;
        a call the question names by its title and whose deadline passed is answered as past."""
        return await self._list(incoming, topic_in_text(parse.text), parse.text)

    async def on_button(self, incoming: Incoming, parts: tuple[str, ...]) -> Turn:
        """``fr:sub`` under the list; the admin's ``fr:go|x:<announcement>`` under a preview."""
        if parts[1:] == ("sub",):
            return await self._subscribe(incoming, "")
        number = callbacks.parse_id(parts[2]) if len(parts) == 3 else None
        if number is None or parts[1] not in ("go", "x"):
            return Turn(toast=self._texts["invalid_button"])
        if not incoming.is_admin:
            return Turn(toast=self._texts["admin_only"])
        if parts[1] == "x":
            done = await self._store.cancel(number)
            key = "radar_cancelled" if done else "radar_already_started"
            return Turn(replies=(Reply(html=self._texts[key], edit=True),))
        total = await self._store.publish(number, self._today(), incoming.message_id)
        if total is None:
            return Turn(toast=self._texts["radar_already_started"])
        html = self._texts.format("events_sending", done="0", total=thousands(total))
        return Turn(replies=(Reply(html=html, edit=True),))

    async def _list(self, incoming: Incoming, topic: str | None, question: str = "") -> Turn:
        today = self._today()
        calls = await self._store.open_calls(today, topic)
        named = await self._named_expired(today, question)
        if not calls:
            return await self._none_open(today, topic, named)
        replies = [Reply(html=self._render.named_expired(named))] if named else []
        header = self._texts["radar_list_header"]
        if topic:
            header = self._texts.format("radar_list_header_topic", topic=escape(topic_label(topic)))
        replies.append(Reply(html=header))
        replies += [Reply(html=self._render.call(call, today)) for call in calls[:LIST_LIMIT]]
        if not incoming.in_group and not (await self._store.subscription(incoming.user_id))[0]:
            invite = self._texts["radar_invite_subscribe"]
            replies.append(Reply(invite, self._render.subscribe_button()))
        return Turn(replies=tuple(replies))

    async def _none_open(self, today: date, topic: str | None, named: list[CallView]) -> Turn:
        """None open: the calls of this topic that ended recently and when, else "none"."""
        ended = await self._store.recently_expired(today, topic)
        if not ended and named:
            ended, topic = named, None
        if ended:
            html = self._render.expired(ended[:LIST_LIMIT], topic)
        else:
            key = "radar_none_topic" if topic else "radar_none"
            html = self._texts.format(key, topic=escape(topic_label(topic)))
        entry = callbacks.encode(SHOW, FINDING_ENTRY)
        return Turn.say(html, ((Button(self._texts["radar_button_finding"], entry),),))

    async def _named_expired(self, today: date, question: str) -> list[CallView]:
        """Recently ended calls whose title the question contains."""
        wanted = question.casefold()
        if not wanted.strip():
            return []
        ended = await self._store.recently_expired(today, None)
        return [c for c in ended if len(c.title) >= TITLE_MIN and c.title.casefold() in wanted]

    async def _subscribe(self, incoming: Incoming, args: str) -> Turn:
        topic = parse_topic(args)
        if args.strip() and topic is None:
            return Turn.say(self._texts["radar_unknown_topic"] + "\n" + self._topic_list())
        changed = await self._store.subscribe(incoming.user_id, incoming.chat_id, topic)
        if topic is None:
            key = "radar_subscribed_all" if changed else "radar_already_subscribed"
            return Turn.say(self._texts[key] + "\n" + self._topic_list())
        key = "radar_subscribed_topic" if changed else "radar_already_subscribed"
        return Turn.say(self._texts.format(key, topic=escape(topic_label(topic))))

    def _topic_list(self) -> str:
        lines = [f"• <code>{t.id}</code> – {escape(t.label)}" for t in TOPICS]
        return self._texts["radar_topics_header"] + "\n" + "\n".join(lines)

    async def _announce(self, incoming: Incoming, args: str) -> Turn:
        if not incoming.is_admin:
            return Turn.say(self._texts["admin_only"])
        today = self._today()
        parsed = parse_call(args, today)
        if isinstance(parsed, ParseProblem):
            return Turn.say(self._render.problem(parsed) + "\n\n" + self._usage())
        if not fits_as_messages(self._render, parsed, today):
            return Turn.say(self._texts["radar_invalid_html"])
        html = self._render.announcement(parsed, today)
        announcement_id, recipients = await self._store.draft(parsed, html, incoming.chat_id)
        text = self._texts.format("radar_preview", recipients=thousands(recipients))
        controls = self._render.controls(announcement_id)
        return Turn(replies=(Reply(html=html), Reply(html=text, buttons=controls)))

    def _usage(self) -> str:
        return self._texts["radar_usage"] + "\n" + self._topic_list()


def build_funding_feature(store: FundingStore, texts: Texts, zone: tzinfo) -> FundingFeature:
    """The feature on the shared store (used by ``bot.app.features``)."""
    return FundingFeature(store, texts, zone)
