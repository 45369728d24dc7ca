"""``digilotse ask``: one question (or one per stdin line) straight to knowledge retrieval."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

from bot.dialogue.texts import Texts, load_texts, to_plain
from knowledge.markup import visible_text
from knowledge.render import render_answer
from knowledge.retrieval import Decision
from knowledge.schema import Source


def add_parser(subparsers: Any) -> None:
    """Register ``ask``."""
    parser = subparsers.add_parser("ask", help="eine Frage an die Wissensbasis stellen")
    parser.add_argument("question", help='die Frage, oder "-" für eine Frage je Zeile auf stdin')
    parser.add_argument("--json", action="store_true", help="ein JSON-Objekt je Frage ausgeben")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Answer the question(s) and print them."""
    from bot.features.knowledge.loading import load_knowledge

    retriever = load_knowledge().retriever
    texts = load_texts()
    questions = sys.stdin if args.question == "-" else [args.question]
    for line in questions:
        question = line.rstrip("\n")
        decision = retriever.decide(question)
        if args.json:
            print(json.dumps(as_json(question, decision), ensure_ascii=False), flush=True)
        else:
            print(as_text(decision, texts), flush=True)
    return 0


def as_json(question: str, decision: Decision) -> dict[str, object]:
    """The machine-readable shape documented in the README."""
    best = decision.best if decision.outcome == "answer" else None
    return {
        "question": question,
        "answer": visible_text(best.answer).strip() if best else None,
        "entry_id": best.id if best else None,
        "title": best.title if best else None,
        "confidence": round(decision.confidence, 4),
        "outcome": decision.outcome,
        "suggestions": [{"entry_id": e.id, "title": e.title} for e in decision.suggestions],
        "alternatives": [{"entry_id": e.id, "title": e.title} for e in decision.alternatives],
        "hedged": decision.hedged,
        "sources": [_source(s) for s in best.sources] if best else [],
        "stand": best.stand.isoformat() if best else None,
    }


def _source(source: Source) -> dict[str, str | None]:
    return {"title": source.title, "url": str(source.url) if source.url else None}


def as_text(decision: Decision, texts: Texts) -> str:
    """What a person would read: the bot's own texts, as plain text."""
    if decision.outcome == "answer" and decision.best is not None:
        hedge = [to_plain(texts["answer_hedged"]), ""]
        lines = [
            *(hedge if decision.hedged else []),
            to_plain(render_answer(decision.best, today=date.today())),
        ]
        lines += [
            "  " + to_plain(texts.format("alternative_label", title=entry.title))
            for entry in decision.alternatives
        ]
        return "\n".join(lines) + "\n"
    key = "suggest" if decision.outcome == "suggest" else "ask_abstain"
    lines = [to_plain(texts[key])]
    lines += [f"  • {entry.title}" for entry in decision.suggestions]
    return "\n".join(lines) + "\n"
