"""The result message: overall level, profile bars, fields of action, strengths, next Baustein."""

from __future__ import annotations

from bot.dialogue.texts import Texts
from bot.features.check.messages import MESSAGE_STEPS, bar, berlin_date, number, signed
from bot.features.check.result import CheckOutcome, capping_dimensions
from knowledge.check.scoring import DimensionScore
from knowledge.markup import escape


def result_message(outcome: CheckOutcome, texts: Texts) -> str:
    """The whole result as Telegram HTML (split by the adapter if it is very long)."""
    parts = [
        texts.format("check_result_title", name=escape(outcome.municipality)),
        _overall(outcome, texts),
        _profile(outcome, texts),
        _priorities(outcome, texts),
        _strengths(outcome, texts),
        _next(outcome, texts),
    ]
    parts += [p for p in (_change(outcome, texts), _peers(outcome, texts)) if p]
    parts.append(texts["check_result_note"])
    return "\n\n".join(parts)


def _overall(outcome: CheckOutcome, texts: Texts) -> str:
    score, q = outcome.score, outcome.questionnaire
    if score.overall is None or score.level is None:
        return texts["check_result_no_overall"]
    line = texts.format(
        "check_result_overall",
        level=str(score.level),
        level_name=escape(q.level_name(score.level)),
        score=number(score.overall),
        percent=str(round(float(score.overall) * 25)),
    )
    if score.capped and score.raw_level is not None:
        weak = capping_dimensions(score)
        names = f" {texts['check_result_and']} ".join(escape(q.dimension(d).name) for d in weak)
        line += "\n" + texts.format(
            "check_result_capped",
            dimensions=names,
            verb=texts["check_result_verb_many" if len(weak) > 1 else "check_result_verb_one"],
            level=str(score.level),
            raw=str(score.raw_level),
        )
    return line


def dimension_line(outcome: CheckOutcome, dimension: DimensionScore, texts: Texts) -> str:
    """``▰▰▰▱▱ 2,5 Etabliert`` (or "nicht bewertet"), plus an uncertainty hint."""
    if dimension.score is None or dimension.level is None:
        value = f"{bar(None)} {texts['check_result_unrated']}"
    else:
        name = outcome.questionnaire.level_name(dimension.level)
        value = f"{bar(dimension.score)} {number(dimension.score)} {escape(name)}"
    if dimension.uncertain:
        value += f" · {texts['check_result_uncertain']}"
    return value


def _profile(outcome: CheckOutcome, texts: Texts) -> str:
    lines = [texts["check_result_profile"]]
    for dimension in outcome.score.dimensions:
        name = escape(outcome.questionnaire.dimension(dimension.id).name)
        lines.append(f"{name}\n<code>{dimension_line(outcome, dimension, texts)}</code>")
    return "\n".join(lines)


def _priorities(outcome: CheckOutcome, texts: Texts) -> str:
    q, score = outcome.questionnaire, outcome.score
    if not score.priorities:
        return f"{texts['check_result_priorities']}\n{texts['check_result_no_priorities']}"
    lines = [texts["check_result_priorities"]]
    for rank, dimension_id in enumerate(score.priorities, start=1):
        dimension = q.dimension(dimension_id)
        level = score.dimension(dimension_id).level or 0
        advice = dimension.recommendations[q.band_for(level).id]
        lines.append(f"{rank}. <b>{escape(dimension.name)}</b>: {escape(advice.text)}")
        lines += [f"   • {escape(step)}" for step in advice.steps[:MESSAGE_STEPS]]
    return "\n".join(lines)


def _strengths(outcome: CheckOutcome, texts: Texts) -> str:
    names = [escape(outcome.questionnaire.dimension(d).name) for d in outcome.score.strengths]
    body = "\n".join(f"• {name}" for name in names) or texts["check_result_no_strengths"]
    return f"{texts['check_result_strengths']}\n{body}"


def next_baustein(outcome: CheckOutcome) -> str:
    """The Baustein that the most urgent field of action points to (Baustein 5 if none)."""
    q = outcome.questionnaire
    if not outcome.score.priorities:
        return q.bausteine[5]
    return q.bausteine[q.dimension(outcome.score.priorities[0]).baustein]


def chosen_lebensbereiche(outcome: CheckOutcome) -> list[str]:
    """Names of the Lebensbereiche the municipality picked."""
    names = {item.id: item.name for item in outcome.questionnaire.lebensbereiche}
    picked = outcome.context.get("lebensbereiche") or []
    return [names[i] for i in picked if i in names]


def _next(outcome: CheckOutcome, texts: Texts) -> str:
    line = texts.format("check_result_next", baustein=escape(next_baustein(outcome)))
    picked = chosen_lebensbereiche(outcome)
    if picked:
        line += "\n" + texts.format("check_result_lebensbereiche", names=escape(", ".join(picked)))
    return line


def _change(outcome: CheckOutcome, texts: Texts) -> str | None:
    previous, score = outcome.previous, outcome.score
    if previous is None or previous.overall is None or score.overall is None:
        return None
    after = float(score.overall)
    lines = [
        texts.format(
            "check_result_change",
            date=berlin_date(previous.finished_at),
            before=number(previous.overall),
            after=number(after),
            delta=signed(after - previous.overall),
        )
    ]
    for dimension in score.dimensions:
        before = previous.dimensions.get(dimension.id)
        if before is not None and dimension.score is not None:
            name = escape(outcome.questionnaire.dimension(dimension.id).name)
            lines.append(f"• {name}: {number(before)} → {number(dimension.score)}")
    return "\n".join(lines)


def _peers(outcome: CheckOutcome, texts: Texts) -> str | None:
    if outcome.peers is None:
        return None
    return texts.format(
        "check_result_peers", n=str(outcome.peers.count), median=number(outcome.peers.median)
    )
