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

from bot.features.check.steps import LEBENSBEREICHE, NAME, PICK, TARGET
from bot.features.funding.calls import topic_label
from knowledge.check.model import Questionnaire

OUTCOMES = {"answer": "beantwortet", "suggest": "Vorschlag gemacht", "abstain": "keine Antwort"}
PICK_KINDS = {
    "suggest": "aus den vorgeschlagenen Einträgen gewählt",
    "down": "nach 👎 auf die Antwort gewählt",
}
VOTES = {1: "👍 hilfreich", -1: "👎 nicht hilfreich"}
STATUSES = {
    "open": "läuft",
    "paused": "pausiert",
    "finished": "abgeschlossen",
    "cancelled": "abgebrochen",
}
ATTENDING = {True: "Zusage (Ich nehme teil)", False: "Absage"}
NOTE = (
    "Alle Daten, die Digilotse zu Ihrer Person gespeichert hat. Ihre Fragen und Bewertungen "
    "sind pseudonym gespeichert (ohne Ihre Telegram-ID). Löschen können Sie alles mit /loeschen."
)


@dataclass(frozen=True)
class ExportLabels:
    """What the export needs to spell values out."""

    questionnaire: Questionnaire
    zone: tzinfo
    unknown_answer: str


def readable_export(raw: Mapping[str, Any], labels: ExportLabels) -> dict[str, Any]:
    """The raw export with German keys and spelled-out values."""
    when = _Dates(labels.zone)
    user = raw.get("user")
    return {
        "Hinweis": NOTE,
        "Nutzerkonto": None if user is None else _user(user, when),
        "Stand eines laufenden Dialogs": _state(raw.get("conversation_state"), when),
        "Fragen (pseudonym)": [_question(q, when) for q in raw.get("question_log", [])],
        "Bewertungen (pseudonym)": [_vote(v, when) for v in raw.get("feedback", [])],
        "Gewählte Einträge nach einer Frage (pseudonym)": [
            _pick(p, when) for p in raw.get("question_picks", [])
        ],
        "Digitalisierungs-Checks": [_check(c, labels, when) for c in raw.get("checks", [])],
        "Erinnerung an einen neuen Check": _recheck(raw.get("check_reminder"), when),
        "Termin-Ankündigungen": "abonniert" if raw.get("event_subscription") else "nicht abonniert",
        "Zu- und Absagen zu Terminen": [_rsvp(r, when) for r in raw.get("event_rsvps", [])],
        "Förderradar": _radar(raw.get("radar_subscription"), when),
    }


def _radar(radar: Mapping[str, Any] | None, when: _Dates) -> str | dict[str, Any]:
    """The radar subscription: whether it is on, for which topic, since when."""
    if radar is None:
        return "nicht abonniert"
    return {
        "Status": "abonniert" if radar["active"] else "abbestellt",
        "Thema": topic_label(radar["topic"]) or "alle Themen",
        "Zuletzt geändert": when(radar["updated_at"]),
    }


class _Dates:
    """ISO timestamps as ``TT.MM.JJJJ HH:MM`` in the bot's time zone."""

    def __init__(self, zone: tzinfo) -> None:
        self._zone = zone

    def __call__(self, value: object) -> object:
        if not isinstance(value, str):
            return value
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        return moment.astimezone(self._zone).strftime("%d.%m.%Y %H:%M Uhr")


def _user(user: Mapping[str, Any], when: _Dates) -> dict[str, Any]:
    return {
        "Telegram-Nutzer-ID": user["telegram_user_id"],
        "Chat-ID (wohin ich antworte)": user["chat_id"],
        "Erreichbar": "ja" if user["is_active"] else "nein (Sie haben den Bot blockiert)",
        "Erster Kontakt": when(user["created_at"]),
        "Letzter Kontakt": when(user["last_seen_at"]),
    }


def _state(state: Mapping[str, Any] | None, when: _Dates) -> object:
    """The dialogue state spelled out: the entry shown last is kept for follow-up questions."""
    if not state:
        return "keiner"
    readable = {k: v for k, v in state.items() if k not in ("shown", "shown_at")}
    if "shown" in state:
        readable["Zuletzt gezeigter Eintrag (für Rückfragen, 30 Minuten)"] = state["shown"]
        readable["Gezeigt am"] = when(state.get("shown_at"))
    return readable


def _question(row: Mapping[str, Any], when: _Dates) -> dict[str, Any]:
    return {
        "Frage": row["question"],
        "Ergebnis": OUTCOMES.get(row["outcome"], row["outcome"]),
        "Beantwortet mit Eintrag": row.get("entry_id") or "–",
        "Gestellt am": when(row["created_at"]),
    }


def _vote(row: Mapping[str, Any], when: _Dates) -> dict[str, Any]:
    return {
        "Eintrag": row["entry_id"],
        "Bewertung": VOTES.get(row["vote"], row["vote"]),
        "Bewertet am": when(row["updated_at"]),
    }


def _pick(row: Mapping[str, Any], when: _Dates) -> dict[str, Any]:
    return {
        "Frage": row["question"],
        "Gewählter Eintrag": row["entry_id"],
        "Anlass": PICK_KINDS.get(row["kind"], row["kind"]),
        "Gewählt am": when(row["created_at"]),
    }


def _rsvp(row: Mapping[str, Any], when: _Dates) -> dict[str, Any]:
    return {
        "Termin": row["title"],
        "Beginn": when(row["starts_at"]),
        "Ihre Antwort": ATTENDING.get(bool(row["attending"])),
        "Geantwortet am": when(row["updated_at"]),
    }


def _recheck(row: Mapping[str, Any] | None, when: _Dates) -> dict[str, Any] | str:
    if row is None:
        return "keine geplant"
    sent = row.get("sent_at")
    return {"Geplant für": when(row["due_at"]), "Gesendet am": when(sent) if sent else "noch nicht"}


def _check(row: Mapping[str, Any], labels: ExportLabels, when: _Dates) -> dict[str, Any]:
    q = labels.questionnaire
    texts = {question.id: question for question in q.questions}
    answers = {}
    for question_id, score in row.get("answers", {}).items():
        question = texts.get(question_id)
        label = labels.unknown_answer if score is None else _option(question, score)
        answers[question.text if question else question_id] = label
    result = row.get("result")
    return {
        "Status": STATUSES.get(row["status"], row["status"]),
        "Kommune": row.get("municipality") or "–",
        "Fragebogen-Version": row["version"],
        "Begonnen am": when(row["created_at"]),
        "Zuletzt geändert am": when(row["updated_at"]),
        "Angaben zur Kommune": _context(row.get("context", {}), q),
        "Antworten": answers,
        "Ergebnis": None if result is None else _result(result, q, when),
    }


def _option(question: Any, score: int) -> str:
    options: tuple[str, ...] = getattr(question, "options", ())
    return options[score] if 0 <= score < len(options) else f"Stufe {score}"


def _context(context: Mapping[str, Any], q: Questionnaire) -> dict[str, Any]:
    spelled: dict[str, Any] = {}
    for item in q.context:
        index = context.get(item.id)
        if isinstance(index, int) and 0 <= index < len(item.options):
            spelled[item.text] = item.options[index]
    names = {area.id: area.name for area in q.lebensbereiche}
    picked = context.get(LEBENSBEREICHE)
    if isinstance(picked, list):
        spelled["Gewählte Lebensbereiche"] = [names.get(p, p) for p in picked]
    target = context.get(TARGET)
    if isinstance(target, int) and 0 <= target <= 4:
        spelled["Angestrebter Reifegrad"] = q.level_name(target)
    known = {item.id for item in q.context} | {LEBENSBEREICHE, TARGET, PICK, NAME}
    spelled.update({key: value for key, value in context.items() if key not in known})
    return spelled


def _result(result: Mapping[str, Any], q: Questionnaire, when: _Dates) -> dict[str, Any]:
    size = result.get("size_class")
    sizes = next((item.options for item in q.context if item.id == "size"), ())
    level = result.get("level")
    dimensions = {d.id: d.name for d in q.dimensions}
    return {
        "Kommune": result["municipality"],
        "Größenklasse": sizes[size] if isinstance(size, int) and size < len(sizes) else "–",
        "Gesamtwert (0–4)": result.get("overall"),
        "Reifegrad": q.level_name(level) if isinstance(level, int) else "–",
        "Werte je Handlungsfeld (0–4)": {
            dimensions.get(key, key): value for key, value in result["dimensions"].items()
        },
        "Abgeschlossen am": when(result["finished_at"]),
    }
