"""Load the knowledge base for a running bot: checked with the ``kb check`` rules, or refused.

A reload must not let broken content replace working content, so every ``kb check`` problem
refuses it, except the ones that only say time has passed (``review_by`` or ``valid_until``):
the running bot already serves those entries, and ``/pruefen`` lists them for the editor.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import pickle
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path
from typing import Any

from knowledge.check.model import load_questionnaire
from knowledge.loader import KB_DIR, Location, Problem, load_entries
from knowledge.retrieval import Retriever
from knowledge.retrieval.analyzer import shared_analyzer
from knowledge.retrieval.commonness import common_stems
from knowledge.retrieval.corpus import Corpus
from knowledge.retrieval.lexicon import SYNONYMS_PATH
from knowledge.schema import Entry
from knowledge.validate import check_loaded

PART_ITEMS = 500  # entries per pickled part of a reload (about 25 ms to unpickle at most)
_AGEING = re.compile(r"\b(review_by|valid_until) \S+ has passed\b")


@dataclass(frozen=True)
class CheckedContent:
    """Entries that passed the checks, their index and the ageing findings that did not block."""

    entries: tuple[Entry, ...]
    retriever: Retriever
    warnings: tuple[Problem, ...]


class ContentError(Exception):
    """The content is invalid; ``problems`` say which file and line."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"knowledge base is invalid ({len(problems)} problems): {problems[0]}")
        self.problems = tuple(problems)

    def __reduce__(self) -> tuple[type[ContentError], tuple[list[Problem]]]:
        """Pickled with its problems (it crosses from the process that checks the content)."""
        return ContentError, (list(self.problems),)


def is_ageing(problem: Problem) -> bool:
    """Whether the problem only says that a date has passed (it does not block a reload)."""
    return _AGEING.search(problem.message) is not None


Learned = Mapping[str, Sequence[str]]
"""Questions editors accepted into entries (entry id → questions), not yet in the files."""


def with_learned(entries: Sequence[Entry], learned: Learned) -> list[Entry]:
    """The entries with their learned questions added (a question already there is skipped;
    an id no entry has any more is ignored)."""
    added = []
    for entry in entries:
        known = {question.casefold() for question in entry.questions}
        extra = []
        for question in learned.get(entry.id, ()):
            if question.casefold() not in known:
                known.add(question.casefold())
                extra.append(question)
        changed = {"questions": (*entry.questions, *extra)}
        added.append(entry.model_copy(update=changed) if extra else entry)
    return added


def load_checked(
    kb_dir: Path = KB_DIR, today: date | None = None, learned: Learned | None = None
) -> CheckedContent:
    """Load, check and index ``kb_dir``; raise :class:`ContentError` on any blocking problem.

    ``learned`` questions join their entries after the checks (they are reviewed already).
    """
    result = load_entries(kb_dir)
    problems = check_loaded(result, today, load_questionnaire())  # a reload keeps the questionnaire
    if not result.entries:  # a wrong KB_DIR or deleted files must not empty a running bot
        problems.append(Problem(Location(kb_dir, 1), "no entries found in this directory"))
    blocking = [problem for problem in problems if not is_ageing(problem)]
    if blocking:
        raise ContentError(blocking)
    warnings = tuple(problem for problem in problems if is_ageing(problem))
    entries = with_learned(result.entries, learned or {})
    return CheckedContent(tuple(entries), Retriever.build(entries), warnings)


def checked_pickle(kb_dir: Path, learned: Learned) -> list[bytes]:
    """:func:`load_checked` for another process: the checked content, pickled in parts.

    Raises :class:`ContentError` (which pickles with its problems) like :func:`load_checked`.
    """
    return pack(load_checked(kb_dir, learned=learned))


def exit_with_parent() -> None:
    """Initialise a worker process (the content build, the check's rendering): it ends when the
    bot ends, also by ``kill -9`` (else it would wait for work forever, orphaned)."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        watch = threading.Thread(target=_exit_when_gone, args=(parent.sentinel,), daemon=True)
        watch.start()


def _exit_when_gone(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])  # ready once the parent process has ended
    os._exit(0)


def warm_up(kb_dir: Path) -> None:
    """Run first in a new build process: imports, per-process tables and one build that fills
    what the next reload reuses for unchanged files and entries (its result is dropped)."""
    common_stems()
    shared_analyzer(SYNONYMS_PATH)
    with contextlib.suppress(ContentError):  # the reload will report it
        load_checked(kb_dir)


def pack(checked: CheckedContent) -> list[bytes]:
    """The content in pickled parts of at most PART_ITEMS entries' worth each.

    Unpickling holds the GIL; one part at a time (:func:`unpack`) lets other threads, such as
    the bot's event loop, run in between, also at 10 000 entries.
    """
    corpus = checked.retriever.corpus
    whole = {f.name: getattr(corpus, f.name) for f in fields(corpus)}
    rows = {name: value for name, value in whole.items() if isinstance(value, tuple)}
    rest = {name: value for name, value in whole.items() if name not in rows}
    parts = [_dumps((checked.warnings, checked.retriever.calibration, rest))]
    for name, value in rows.items():
        parts += [
            _dumps((name, value[i : i + PART_ITEMS]))
            for i in range(0, max(len(value), 1), PART_ITEMS)
        ]
    return parts


def unpack(parts: Sequence[bytes]) -> CheckedContent:
    """The content :func:`pack` sent, one part at a time."""
    warnings, calibration, whole = pickle.loads(parts[0])
    rows: dict[str, Any] = {}
    for part in parts[1:]:
        name, items = pickle.loads(part)
        rows[name] = rows.get(name, ()) + items
    corpus = Corpus(**whole, **rows)
    return CheckedContent(corpus.entries, Retriever(corpus, calibration), warnings)


def _dumps(value: object) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
