"""The /meinedaten export as a layperson reads it: German keys, coded values spelled out.

The raw export (``storage.privacy.export_user_data``) keeps ids, indexes and scores; here each
becomes the label the user saw: size classes and answers as in the questionnaire, outcomes and
RSVPs in words, times as local dates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from bot.dialogue.texts import Texts
from bot.features.check.steps import LEBENSBEREICHE, NAME, PICK, TARGET
from bot.features.funding.calls import topic_label
from knowledge.check.model import Questionnaire

VOTES = {1: "up", -1: "down"}  # text keys export_vote_up / export_vote_down


@dataclass(frozen=True)
class ExportLabels:
    """What the export needs to spell values out."""

    questionnaire: Questionnaire
    zone: tzinfo
    texts: Texts


def readable_export(raw: Mapping[str, Any], labels: ExportLabels) -> dict[str, Any]:
    """The raw export with German keys and spelled-out values."""
    w = _Words(labels.texts, labels.zone)
    user = raw.get("user")
    return {
        w["export_label_note"]: w["export_note"],
        w["export_label_user"]: None if user is None else _user(user, w),
        w["export_label_state"]: _state(raw.get("conversation_state"), w),
        w["export_label_questions"]: [_question(q, w) for q in raw.get("question_log", [])],
        w["export_label_votes"]: [_vote(v, w) for v in raw.get("feedback", [])],
        w["export_label_picks"]: [_pick(p, w) for p in raw.get("question_picks", [])],
        w["export_label_checks"]: [_check(c, labels, w) for c in raw.get("checks", [])],
        w["export_label_recheck"]: _recheck(raw.get("check_reminder"), w),
        w["export_label_events"]: w.either(
            raw.get("event_subscription"), "export_subscribed", "export_not_subscribed"
        ),
        w["export_label_rsvps"]: [_rsvp(r, w) for r in raw.get("event_rsvps", [])],
        w["export_label_radar"]: _radar(raw.get("radar_subscription"), w),
    }


def _radar(radar: Mapping[str, Any] | None, w: _Words) -> str | dict[str, Any]:
    """The radar subscription: whether it is on, for which topic, since when."""
    if radar is None:
        return w["export_not_subscribed"]
    return {
        w["export_label_status"]: w.either(
            radar["active"], "export_subscribed", "export_unsubscribed"
        ),
        w["export_label_topic"]: topic_label(radar["topic"]) or w["export_all_topics"],
        w["export_label_radar_changed"]: w.when(radar["updated_at"]),
    }


class _Words:
    """The export's labels from the texts, and ISO timestamps as local dates in the bot's zone."""

    def __init__(self, texts: Texts, zone: tzinfo) -> None:
        self._texts = texts
        self._zone = zone

    def __getitem__(self, key: str) -> str:
        return self._texts[key]

    def either(self, flag: object, yes: str, no: str) -> str:
        """The text ``yes`` if ``flag`` is true, else ``no``."""
        return self._texts[yes if flag else no]

    def spelled(self, prefix: str, value: object) -> object:
        """The text ``export_<prefix>_<value>``, or the value itself when there is none."""
        return self._texts.get(f"export_{prefix}_{value}", value)

    def when(self, value: object) -> object:
        """An ISO timestamp as ``TT.MM.JJJJ HH:MM Uhr``; anything else unchanged."""
        if not isinstance(value, str):
            return value
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        return moment.astimezone(self._zone).strftime(self._texts["export_date_format"])


def _user(user: Mapping[str, Any], w: _Words) -> dict[str, Any]:
    return {
        w["export_label_user_id"]: user["telegram_user_id"],
        w["export_label_chat_id"]: user["chat_id"],
        w["export_label_reachable"]: w.either(
            user["is_active"], "export_reachable_yes", "export_reachable_no"
        ),
        w["export_label_first_seen"]: w.when(user["created_at"]),
        w["export_label_last_seen"]: w.when(user["last_seen_at"]),
    }


def _state(state: Mapping[str, Any] | None, w: _Words) -> object:
    """The dialogue state spelled out: the entry shown last is kept for follow-up questions."""
    if not state:
        return w["export_no_state"]
    readable = {k: v for k, v in state.items() if k not in ("shown", "shown_at")}
    if "shown" in state:
        readable[w["export_label_shown"]] = state["shown"]
        readable[w["export_label_shown_at"]] = w.when(state.get("shown_at"))
    return readable


def _question(row: Mapping[str, Any], w: _Words) -> dict[str, Any]:
    return {
        w["export_label_question"]: row["question"],
        w["export_label_result"]: w.spelled("outcome", row["outcome"]),
        w["export_label_answered_with"]: row.get("entry_id") or "–",
        w["export_label_asked_at"]: w.when(row["created_at"]),
    }


def _vote(row: Mapping[str, Any], w: _Words) -> dict[str, Any]:
    return {
        w["export_label_entry"]: row["entry_id"],
        w["export_label_vote"]: w.spelled(
            "vote", {1: "up", -1: "down"}.get(row["vote"], row["vote"])
        ),
        w["export_label_voted_at"]: w.when(row["updated_at"]),
    }


def _pick(row: Mapping[str, Any], w: _Words) -> dict[str, Any]:
    return {
        w["export_label_question"]: row["question"],
        w["export_label_picked_entry"]: row["entry_id"],
        w["export_label_pick_kind"]: w.spelled("pick", row["kind"]),
        w["export_label_picked_at"]: w.when(row["created_at"]),
    }


def _rsvp(row: Mapping[str, Any], w: _Words) -> dict[str, Any]:
    return {
        w["export_label_event"]: row["title"],
        w["export_label_starts_at"]: w.when(row["starts_at"]),
        w["export_label_attending"]: w.either(
            row["attending"], "export_attending_yes", "export_attending_no"
        ),
        w["export_label_answered_at"]: w.when(row["updated_at"]),
    }


def _recheck(row: Mapping[str, Any] | None, w: _Words) -> dict[str, Any] | str:
    if row is None:
        return w["export_no_recheck"]
    sent = row.get("sent_at")
    return {
        w["export_label_due_at"]: w.when(row["due_at"]),
        w["export_label_sent_at"]: w.when(sent) if sent else w["export_not_sent"],
    }


def _check(row: Mapping[str, Any], labels: ExportLabels, w: _Words) -> dict[str, Any]:
    q = labels.questionnaire
    texts = {question.id: question for question in q.questions}
    answers = {}
    for question_id, score in row.get("answers", {}).items():
        question = texts.get(question_id)
        label = w["check_unknown_label"] if score is None else _option(question, score, w)
        answers[question.text if question else question_id] = label
    result = row.get("result")
    return {
        w["export_label_status"]: w.spelled("status", row["status"]),
        w["export_label_municipality"]: row.get("municipality") or "–",
        w["export_label_version"]: row["version"],
        w["export_label_started_at"]: w.when(row["created_at"]),
        w["export_label_changed_at"]: w.when(row["updated_at"]),
        w["export_label_context"]: _context(row.get("context", {}), q, w),
        w["export_label_answers"]: answers,
        w["export_label_result"]: None if result is None else _result(result, q, w),
    }


def _option(question: Any, score: int, w: _Words) -> str:
    options: tuple[str, ...] = getattr(question, "options", ())
    return (
        options[score]
        if 0 <= score < len(options)
        else w["export_level_fallback"].format(score=score)
    )


def _context(context: Mapping[str, Any], q: Questionnaire, w: _Words) -> dict[str, Any]:
    spelled: dict[str, Any] = {}
    for item in q.context:
        index = context.get(item.id)
        if isinstance(index, int) and 0 <= index < len(item.options):
            spelled[item.text] = item.options[index]
    names = {area.id: area.name for area in q.lebensbereiche}
    picked = context.get(LEBENSBEREICHE)
    if isinstance(picked, list):
        spelled[w["export_label_lebensbereiche"]] = [names.get(p, p) for p in picked]
    target = context.get(TARGET)
    if isinstance(target, int) and 0 <= target <= 4:
        spelled[w["export_label_target"]] = q.level_name(target)
    known = {item.id for item in q.context} | {LEBENSBEREICHE, TARGET, PICK, NAME}
    spelled.update({key: value for key, value in context.items() if key not in known})
    return spelled


def _result(result: Mapping[str, Any], q: Questionnaire, w: _Words) -> dict[str, Any]:
    size = result.get("size_class")
    sizes = next((item.options for item in q.context if item.id == "size"), ())
    level = result.get("level")
    dimensions = {d.id: d.name for d in q.dimensions}
    return {
        w["export_label_municipality"]: result["municipality"],
        w["export_label_size"]: sizes[size] if isinstance(size, int) and size < len(sizes) else "–",
        w["export_label_overall"]: result.get("overall"),
        w["export_label_level"]: q.level_name(level) if isinstance(level, int) else "–",
        w["export_label_dimensions"]: {
            dimensions.get(key, key): value for key, value in result["dimensions"].items()
        },
        w["export_label_finished_at"]: w.when(result["finished_at"]),
    }
