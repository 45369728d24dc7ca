"""/luecken: the editor's work queue of unanswered or corrected questions, for admins only.

Each cluster of similar questions (:mod:`bot.features.editorial.clusters`) comes with its likely
entries as buttons. Accepting a question into an entry stores it and reloads the content on
every replica, so the next user asking it is answered; "Neuer Eintrag nötig" and "Ignorieren"
take the cluster off the queue. Buttons carry the row id of the cluster's example question
(``g:a:<id>:<entry>``, ``g:n:<id>``, ``g:i:<id>``); a non-admin's press changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar, Protocol

from bot.dialogue import callbacks
from bot.dialogue.feature import Feature
from bot.dialogue.texts import Texts
from bot.dialogue.types import Button, Incoming, Keyboard, Reply, Turn
from bot.features.editorial.clusters import Cluster, OpenQuestion, cluster_questions
from bot.features.editorial.feature import ReloadResult
from knowledge.markup import escape
from knowledge.schema import Entry

GAP = "g"
ACCEPT, NEW_ENTRY, IGNORE = "a", "n", "i"
DECISIONS = {NEW_ENTRY: "new_entry", IGNORE: "ignore"}
CLUSTERS_SHOWN = 5  # one message each; the rest wait until these are decided
ENTRIES_OFFERED = 3
LABEL_MAX = 60


class GapStore(Protocol):
    """The work queue's storage."""

    async def open_questions(self) -> list[OpenQuestion]:
        """Open questions grouped by normalised wording."""

    async def question(self, question_id: int) -> tuple[str, str] | None:
        """Wording and normalised form of a logged question (``None`` once purged)."""

    async def decide(self, normalized: Iterable[str], decision: str) -> None:
        """Take questions off the queue with a decision."""

    async def accept(self, question: str, entry_id: str, normalized: Iterable[str]) -> None:
        """Store the question for the entry and take its cluster off the queue."""


class GapContent(Protocol):
    """The content being served: its entries, likely ones for a question, a reload."""

    @property
    def entries(self) -> Mapping[str, Entry]:
        """The entries being served now."""

    def likely_entries(self, question: str, k: int) -> list[Entry]:
        """The retriever's top ``k`` entries for the question."""

    async def reload_everywhere(self) -> ReloadResult:
        """Load the content again here and ask the other replicas to follow."""


class GapsFeature(Feature):
    """/luecken and its buttons; everyone else gets a polite refusal and nothing is written."""

    commands: ClassVar[tuple[str, ...]] = ("luecken",)
    admin_commands: ClassVar[frozenset[str]] = frozenset(commands)
    button_kinds: ClassVar[frozenset[str]] = frozenset({GAP})

    def __init__(self, store: GapStore, content: GapContent, texts: Texts) -> None:
        self._store = store
        self._content = content
        self._texts = texts

    async def on_command(self, incoming: Incoming, command: str, args: str) -> Turn:
        """The most frequent open clusters, each with its decision buttons."""
        if not incoming.is_admin:
            return Turn.say(self._texts["admin_only"])
        clusters = cluster_questions(await self._store.open_questions())
        if not clusters:
            return Turn.say(self._texts["gaps_empty"])
        header = self._texts.format("gaps_queue_header", count=str(len(clusters)))
        replies = [Reply(header), *(self._cluster_reply(c) for c in clusters[:CLUSTERS_SHOWN])]
        return Turn(replies=tuple(replies))

    async def on_button(self, incoming: Incoming, parts: tuple[str, ...]) -> Turn:
        """Apply the editor's decision on a cluster (admins only, checked first)."""
        if not incoming.is_admin:
            return Turn(toast=self._texts["admin_only"])
        action, args = (parts[1], parts[2:]) if len(parts) >= 3 else ("", ())
        question_id = callbacks.parse_id(args[0]) if args else None
        valid = (action == ACCEPT and len(args) == 2) or (action in DECISIONS and len(args) == 1)
        if question_id is None or not valid:
            return Turn(toast=self._texts["invalid_button"])
        found = await self._store.question(question_id)
        if found is None:
            return Turn(toast=self._texts["gaps_gone"])
        members = await self._members(question_id, found[1])
        if action == ACCEPT:
            return await self._accept(found[0], args[1], members)
        await self._store.decide(members, DECISIONS[action])
        key = "gaps_new_entry_done" if action == NEW_ENTRY else "gaps_ignored"
        return _edited(self._texts.format(key, question=escape(found[0])))

    async def _accept(self, question: str, entry_id: str, members: tuple[str, ...]) -> Turn:
        entry = self._content.entries.get(entry_id)
        if entry is None:
            return Turn(toast=self._texts["invalid_button"])
        await self._store.accept(question, entry.id, members)
        reloaded = await self._content.reload_everywhere()
        key = "gaps_accepted" if reloaded.ok else "gaps_accepted_not_live"
        return _edited(
            self._texts.format(key, question=escape(question), title=escape(entry.title))
        )

    async def _members(self, question_id: int, normalized: str) -> tuple[str, ...]:
        """The normalised questions of the cluster the pressed question stands for now."""
        for cluster in cluster_questions(await self._store.open_questions()):
            if cluster.example_id == question_id or normalized in cluster.members:
                return cluster.members
        return (normalized,)

    def _cluster_reply(self, cluster: Cluster) -> Reply:
        html = self._texts.format(
            "gaps_cluster", count=str(cluster.count), question=escape(cluster.example)
        )
        return Reply(html, self._cluster_buttons(cluster))

    def _cluster_buttons(self, cluster: Cluster) -> Keyboard:
        rows: list[tuple[Button, ...]] = []
        for entry in self._likely(cluster):
            label = _label(self._texts.format("gaps_accept_label", title=entry.title))
            rows.append(
                (Button(label, callbacks.encode(GAP, ACCEPT, cluster.example_id, entry.id)),)
            )
        rows.append(
            (
                Button(
                    self._texts["gaps_new_entry_label"],
                    callbacks.encode(GAP, NEW_ENTRY, cluster.example_id),
                ),
                Button(
                    self._texts["gaps_ignore_label"],
                    callbacks.encode(GAP, IGNORE, cluster.example_id),
                ),
            )
        )
        return tuple(rows)

    def _likely(self, cluster: Cluster) -> list[Entry]:
        """Entries users picked for the cluster first, then the retriever's top candidates."""
        entries = self._content.entries
        picked = [entries[i] for i in cluster.picked if i in entries]
        found = self._content.likely_entries(cluster.example, ENTRIES_OFFERED)
        unique = {entry.id: entry for entry in [*picked, *found] if _fits(entry.id)}
        return list(unique.values())[:ENTRIES_OFFERED]


def _fits(entry_id: str) -> bool:
    """Whether the accept button's callback data can carry this entry id."""
    try:
        callbacks.encode(GAP, ACCEPT, callbacks.ID_MAX, entry_id)
    except ValueError:
        return False
    return True


def _edited(html: str) -> Turn:
    return Turn(replies=(Reply(html, edit=True),))


def _label(text: str) -> str:
    return text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1].rstrip() + "…"
