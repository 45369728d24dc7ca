"""Evaluate retrieval on a question set: ranking quality in scope, abstention out of scope.

A question set is YAML: ``in_scope: [{q: <question>, expect: <entry id> | [<ids>]}]`` and
``out_of_scope: [<question> | {q: <question>}]``. An item may carry ``split: dev|test`` (the
blind set, ``tests/data/kb_blind.yaml``); :func:`load_question_set` can keep one split. With a
list of ids, any of them counts as right. ``digilotse kb eval`` calls :func:`evaluate` and
:func:`format_report`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from knowledge.retrieval import Retriever
from knowledge.retrieval.fitting import TuneSet

RANK_DEPTH = 10  # MRR counts ranks up to here


@dataclass(frozen=True)
class Labelled:
    """An in-scope question and the id of the entry that answers it."""

    question: str
    expect: str
    alternatives: tuple[str, ...] = ()  # further entries that answer it as well


@dataclass(frozen=True)
class QuestionSet:
    """The questions of an evaluation file."""

    in_scope: tuple[Labelled, ...]
    out_of_scope: tuple[str, ...]


@dataclass(frozen=True)
class Result:
    """What the retriever did with one question."""

    question: str
    expect: str | None  # None for an out-of-scope question
    ranked: tuple[str, ...]  # entry ids, best first (up to RANK_DEPTH)
    outcome: str
    confidence: float
    shown: tuple[str, ...]  # every entry the reply shows: answer and alternatives, or suggestions
    alternatives: tuple[str, ...] = ()  # further accepted entries (not the answer's)
    hedged: bool = False

    @property
    def chosen(self) -> tuple[str, ...]:
        """The answered entry, or the suggestions / abstention offers."""
        return self.shown[:1] if self.outcome == "answer" else self.shown

    @property
    def accepted(self) -> tuple[str, ...]:
        """Every entry id that counts as right (none out of scope)."""
        return () if self.expect is None else (self.expect, *self.alternatives)

    @property
    def rank(self) -> int | None:
        """1-based rank of the best-ranked accepted entry, None if not ranked."""
        ranks = [self.ranked.index(i) + 1 for i in self.accepted if i in self.ranked]
        return min(ranks) if ranks else None

    @property
    def right_choice(self) -> bool:
        """True when an accepted entry is among the chosen ones."""
        return any(i in self.chosen for i in self.accepted)

    @property
    def in_reply(self) -> bool:
        """True when the reply shows an accepted entry (answer, alternative or suggestion)."""
        return any(i in self.shown for i in self.accepted)


@dataclass(frozen=True)
class EvalReport:
    """Figures of one evaluation run plus every per-question result."""

    path: Path
    in_scope: tuple[Result, ...]
    out_of_scope: tuple[Result, ...]
    unknown_ids: tuple[str, ...]
    split: str | None = None

    @property
    def top1(self) -> float:
        """Share of in-scope questions whose expected entry ranks first."""
        return _share(self.in_scope, lambda r: r.rank == 1)

    @property
    def top3(self) -> float:
        """Share of in-scope questions whose expected entry is among the first three."""
        return _share(self.in_scope, lambda r: r.rank is not None and r.rank <= 3)

    @property
    def mrr(self) -> float:
        """Mean reciprocal rank of the expected entry (0 when not in the first RANK_DEPTH)."""
        ranks = [r.rank for r in self.in_scope]
        return sum(1 / rank for rank in ranks if rank) / len(ranks) if ranks else 0.0

    def outcome_share(self, outcome: str, *, in_scope: bool, correct: bool | None = None) -> float:
        """Share of questions with ``outcome`` (optionally: whose choice is / is not correct)."""
        results = self.in_scope if in_scope else self.out_of_scope
        return _share(
            results,
            lambda r: r.outcome == outcome and (correct is None or r.right_choice == correct),
        )

    @property
    def in_reply(self) -> float:
        """Share of in-scope questions whose reply shows a right entry (answered or offered)."""
        return _share(self.in_scope, lambda r: r.outcome != "abstain" and r.in_reply)

    @property
    def hedged(self) -> float:
        """Share of in-scope questions answered with the "not quite sure" line."""
        return _share(self.in_scope, lambda r: r.outcome == "answer" and r.hedged)

    @property
    def oos_abstain(self) -> float:
        """Share of out-of-scope questions the retriever abstained on."""
        return self.outcome_share("abstain", in_scope=False)

    @property
    def oos_wrong(self) -> float:
        """Share of out-of-scope questions answered with an entry (the costly mistake)."""
        return self.outcome_share("answer", in_scope=False)

    @property
    def misses(self) -> tuple[Result, ...]:
        """In-scope questions whose expected entry is not ranked first."""
        return tuple(r for r in self.in_scope if r.rank != 1)

    @property
    def oos_answered(self) -> tuple[Result, ...]:
        """Out-of-scope questions that got an answer."""
        return tuple(r for r in self.out_of_scope if r.outcome == "answer")


def load_question_set(path: Path, split: str | None = None) -> QuestionSet:
    """Read an evaluation file (see the module docstring); ``split`` keeps dev or test only."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}

    def kept(item: object) -> bool:
        return split is None or (isinstance(item, dict) and item.get("split") == split)

    in_scope = tuple(_labelled(item) for item in data.get("in_scope") or () if kept(item))
    out_of_scope = tuple(
        str(item["q"] if isinstance(item, dict) else item)
        for item in data.get("out_of_scope") or ()
        if kept(item)
    )
    return QuestionSet(in_scope, out_of_scope)


def tune_set(path: Path, split: str = "dev") -> TuneSet:
    """The questions of one split of ``path`` as calibration data (only ever the dev half)."""
    questions = load_question_set(path, split)
    return TuneSet(
        tuple((q.question, frozenset((q.expect, *q.alternatives))) for q in questions.in_scope),
        questions.out_of_scope,
    )


def _labelled(item: dict[str, object]) -> Labelled:
    expect = item["expect"]
    ids = [str(i) for i in expect] if isinstance(expect, list) else [str(expect)]
    return Labelled(str(item["q"]), ids[0], tuple(ids[1:]))


def evaluate(retriever: Retriever, eval_path: Path, split: str | None = None) -> EvalReport:
    """Run every question of ``eval_path`` (or of one ``split``) through ``retriever``."""
    questions = load_question_set(eval_path, split)
    known = {entry.id for entry in retriever.entries}
    expected = {i for item in questions.in_scope for i in (item.expect, *item.alternatives)}
    unknown = sorted(expected - known)
    return EvalReport(
        path=eval_path,
        in_scope=tuple(
            run(retriever, item.question, item.expect, item.alternatives)
            for item in questions.in_scope
        ),
        out_of_scope=tuple(run(retriever, q, None) for q in questions.out_of_scope),
        unknown_ids=tuple(unknown),
        split=split,
    )


def run(
    retriever: Retriever, question: str, expect: str | None, alternatives: tuple[str, ...] = ()
) -> Result:
    """Search and decide one question."""
    ranked = tuple(s.entry.id for s in retriever.search(question, k=RANK_DEPTH))
    decision = retriever.decide(question)
    return Result(
        question,
        expect,
        ranked,
        decision.outcome,
        decision.confidence,
        tuple(entry.id for entry in decision.offered),
        alternatives,
        decision.hedged,
    )


def format_report(report: EvalReport, verbose: bool = False) -> str:
    """A readable table of the figures; ``verbose`` adds every miss and wrong answer."""
    half = f" ({report.split} half)" if report.split else ""
    lines = [f"Evaluation: {report.path}{half}", *_figures(report)]
    if report.unknown_ids:
        lines.append(f"  expected ids not in the knowledge base: {', '.join(report.unknown_ids)}")
    if verbose:
        lines.extend(_details(report))
    return "\n".join(lines)


def _figures(report: EvalReport) -> list[str]:
    def row(label: str, value: float | int) -> str:
        shown = f"{value:6d}" if isinstance(value, int) else f"{value:6.1%}"
        return f"  {label:<44} {shown}"

    def share(outcome: str, in_scope: bool, correct: bool | None = None) -> float:
        return report.outcome_share(outcome, in_scope=in_scope, correct=correct)

    return [
        row("in-scope questions", len(report.in_scope)),
        row("top-1", report.top1),
        row("top-3", report.top3),
        f"  {'MRR':<44} {report.mrr:6.3f}",
        row("answered correctly", share("answer", True, True)),
        row("answered wrongly", share("answer", True, False)),
        row("  of those, right entry among alternatives", _answered_wrong_alternative(report)),
        row("answered with the 'not quite sure' line", report.hedged),
        row("right entry in the reply (answer or offered)", report.in_reply),
        row("suggested, right entry among suggestions", share("suggest", True, True)),
        row("suggested, right entry missing", share("suggest", True, False)),
        row("abstained", share("abstain", True)),
        row("out-of-scope questions", len(report.out_of_scope)),
        row("out of scope: abstained", report.oos_abstain),
        row("out of scope: suggested", share("suggest", False)),
        row("out of scope: answered (wrong answers)", report.oos_wrong),
    ]


def _answered_wrong_alternative(report: EvalReport) -> float:
    return _share(
        report.in_scope, lambda r: r.outcome == "answer" and not r.right_choice and r.in_reply
    )


def _details(report: EvalReport) -> list[str]:
    lines = ["", "Misses (expected entry not ranked first):"]
    lines += [
        f"  {_rank(r)}  {r.question!r} → expected {r.expect}, got {', '.join(r.ranked[:3])}"
        f" [{r.outcome} {r.confidence:.2f}]"
        for r in report.misses
    ] or ["  none"]
    wrong = [r for r in report.in_scope if r.outcome == "answer" and not r.right_choice]
    lines += ["", "Wrong answers in scope:"]
    lines += [
        f"  {r.question!r} → {r.chosen[0]} ({r.confidence:.2f}), expected {r.expect}" for r in wrong
    ] or ["  none"]
    lines += ["", "Out-of-scope questions answered:"]
    lines += [
        f"  {r.question!r} → {r.chosen[0]} ({r.confidence:.2f})" for r in report.oos_answered
    ] or ["  none"]
    return lines


def _rank(result: Result) -> str:
    return f"#{result.rank:<2}" if result.rank else "--"


def _share(results: Sequence[Result], predicate: Callable[[Result], bool]) -> float:
    return sum(1 for r in results if predicate(r)) / len(results) if results else 0.0
