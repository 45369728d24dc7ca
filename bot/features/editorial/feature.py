"""Editor commands on the content, for ``ADMIN_IDS`` only: /pruefen and /neuladen."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import ClassVar, Protocol

from bot.dialogue.feature import Feature
from bot.dialogue.texts import Texts
from bot.dialogue.types import Incoming, Reply, Turn
from knowledge.loader import Problem
from knowledge.markup import escape
from knowledge.review import due_for_review
from knowledge.schema import Entry

MESSAGE_BUDGET = 3500  # characters of HTML per message, well below Telegram's 4096
PROBLEMS_SHOWN = 10
REVIEW_SHOWN = 15  # entries listed in Telegram (earliest first); the CSV has them all


@dataclass(frozen=True)
class ReloadResult:
    """What a reload did: ``problems`` refused it (the old version keeps answering)."""

    entries: int
    seconds: float
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the new content is now being served."""
        return not self.problems


class ContentControl(Protocol):
    """The running content: its entries now, and a reload on every replica."""

    @property
    def entries(self) -> Mapping[str, Entry]:
        """The entries being served now."""

    async def reload_everywhere(self) -> ReloadResult:
        """Load the content again here and ask the other replicas to follow."""


class EditorialFeature(Feature):
    """/pruefen lists entries due for review; /neuladen reloads the content without a restart."""

    commands: ClassVar[tuple[str, ...]] = ("pruefen", "neuladen")
    admin_commands: ClassVar[frozenset[str]] = frozenset(commands)

    def __init__(
        self, content: ContentControl, texts: Texts, today: Callable[[], date] = date.today
    ) -> None:
        self._content = content
        self._texts = texts
        self._today = today

    async def on_command(self, incoming: Incoming, command: str, args: str) -> Turn:
        """Run an editor command if the sender is an admin; others get a polite refusal."""
        if not incoming.is_admin:
            return Turn.say(self._texts["admin_only"])
        if command == "neuladen":
            return self._reloaded(await self._content.reload_everywhere())
        return self._review()

    def _review(self) -> Turn:
        today = self._today()
        due = due_for_review(self._content.entries.values(), today)
        if not due:
            return Turn.say(self._texts["review_empty"])
        header = self._texts.format("review_header", count=str(len(due)))
        lines = [header, *(self._review_line(entry, today) for entry in due[:REVIEW_SHOWN])]
        if len(due) > REVIEW_SHOWN:
            lines.append(self._texts.format("review_more", count=str(len(due) - REVIEW_SHOWN)))
        return _messages(lines)

    def _review_line(self, entry: Entry, today: date) -> str:
        assert entry.review_by is not None  # due_for_review keeps dated entries only
        key = "review_overdue" if entry.review_by < today else "review_soon"
        sources = ", ".join(_source(source.title, source.url) for source in entry.sources)
        return self._texts.format(
            key,
            title=escape(entry.title),
            id=escape(entry.id),
            date=f"{entry.review_by:%d.%m.%Y}",
            sources=sources,
        )

    def _reloaded(self, result: ReloadResult) -> Turn:
        if result.ok:
            seconds = f"{result.seconds:.1f}".replace(".", ",")
            html = self._texts.format("reload_done", entries=str(result.entries), seconds=seconds)
            if result.warnings:
                html += "\n" + self._texts.format(
                    "reload_warnings", count=str(len(result.warnings))
                )
            return Turn.say(html)
        lines = [self._texts.format("reload_refused", count=str(len(result.problems)))]
        lines += [_problem_line(problem) for problem in result.problems[:PROBLEMS_SHOWN]]
        hidden = len(result.problems) - PROBLEMS_SHOWN
        if hidden > 0:
            lines.append(self._texts.format("reload_more", count=str(hidden)))
        return _messages(lines)


def _source(title: str, url: object) -> str:
    if url is None:
        return escape(title)
    return f'<a href="{escape(str(url), quote=True)}">{escape(title)}</a>'


def _problem_line(problem: Problem) -> str:
    where = f"{problem.location.path.name}:{problem.location.line}"
    return f"• <code>{escape(where)}</code>: {escape(problem.message)}"


def _messages(lines: list[str]) -> Turn:
    """Lines joined into as few messages as fit the budget (a line is never split)."""
    chunks: list[list[str]] = [[]]
    size = 0
    for line in lines:
        if chunks[-1] and size + len(line) + 1 > MESSAGE_BUDGET:
            chunks.append([])
            size = 0
        chunks[-1].append(line)
        size += len(line) + 1
    return Turn(replies=tuple(Reply(html="\n".join(chunk)) for chunk in chunks))
