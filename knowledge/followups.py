"""Evaluate follow-up questions: two turns, the second read against the entry shown first.

The question set's ``followups: [{first, then, expect, split}]`` list (``kb_blind.yaml``) holds
the cases. The entry shown after ``first`` is the answered one or, when the retriever suggests
or abstains, its top candidate (the user taps the first offer). ``then`` is right when
:func:`~knowledge.retrieval.context.decide_in_context` answers it with an expected entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from knowledge.retrieval import Retriever
from knowledge.retrieval.context import decide_in_context


@dataclass(frozen=True)
class FollowUpResult:
    """What happened to one two-turn case."""

    first: str
    then: str
    expect: tuple[str, ...]
    shown: str | None  # the entry shown after the first question
    answered: str | None  # the entry the follow-up was answered with

    @property
    def right(self) -> bool:
        """True when the follow-up was answered with an expected entry."""
        return self.answered in self.expect


def evaluate_followups(
    retriever: Retriever, path: Path, split: str | None = None
) -> tuple[FollowUpResult, ...]:
    """Run every follow-up case of ``path`` (or of one ``split``) through ``retriever``."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    cases = [c for c in data.get("followups") or () if split is None or c.get("split") == split]
    return tuple(_run(retriever, case) for case in cases)


def format_followups(results: tuple[FollowUpResult, ...], verbose: bool = False) -> list[str]:
    """Report lines: the share answered right and, with ``verbose``, every miss."""
    if not results:
        return []
    right = sum(1 for r in results if r.right)
    lines = [
        f"  {'follow-ups (two turns)':<44} {len(results):6d}",
        f"  {'follow-ups answered from the right entry':<44} {right / len(results):6.1%}",
    ]
    if verbose:
        lines += ["", "Follow-up misses:"]
        lines += [
            f"  {r.first!r} [{r.shown}] → {r.then!r} → {r.answered}, expected {', '.join(r.expect)}"
            for r in results
            if not r.right
        ] or ["  none"]
    return lines


def _run(retriever: Retriever, case: dict[str, object]) -> FollowUpResult:
    expect = case["expect"]
    ids = tuple(str(i) for i in expect) if isinstance(expect, list) else (str(expect),)
    first, then = str(case["first"]), str(case["then"])
    shown = _shown(retriever, first)
    decision = decide_in_context(retriever, then, shown)
    answered = decision.best.id if decision.outcome == "answer" and decision.best else None
    return FollowUpResult(first, then, ids, shown, answered)


def _shown(retriever: Retriever, question: str) -> str | None:
    decision = retriever.decide(question)
    if decision.best is not None:
        return decision.best.id
    ranked = retriever.search(question, k=1)
    return ranked[0].entry.id if ranked else None
