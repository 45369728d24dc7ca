"""Builds the channel-independent core once: knowledge base, retriever, NLU, engine."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.dialogue.engine import Engine
from bot.dialogue.feature import Feature
from bot.dialogue.texts import Texts, load_texts
from bot.features.knowledge.answers import KnowledgeFeature
from bot.features.knowledge.ports import FeedbackLog, QuestionLog, RecentEntries
from knowledge.content import Learned, with_learned
from knowledge.loader import KB_DIR, load_entries
from knowledge.retrieval import Retriever
from knowledge.schema import Entry
from nlu.types import NluBackend


@dataclass(frozen=True)
class Knowledge:
    """The loaded knowledge base and its retriever."""

    entries: dict[str, Entry]
    retriever: Retriever


def load_knowledge(kb_dir: Path = KB_DIR, learned: Learned | None = None) -> Knowledge:
    """Load and index the knowledge base with the ``learned`` questions; refuse invalid content."""
    result = load_entries(kb_dir)
    if result.problems:
        first = result.problems[0]
        raise RuntimeError(f"knowledge base is invalid ({len(result.problems)} problems): {first}")
    loaded = with_learned(result.entries, learned or {})
    entries = {entry.id: entry for entry in loaded}
    return Knowledge(entries=entries, retriever=Retriever.build(loaded))


def build_engine(
    knowledge: Knowledge,
    nlu: NluBackend,
    *,
    texts: Texts | None = None,
    question_log: QuestionLog | None = None,
    feedback_log: FeedbackLog | None = None,
    features: tuple[Feature, ...] = (),
    recent: RecentEntries | None = None,
) -> Engine:
    """Wire the dialogue engine from its parts."""
    texts = texts or load_texts()
    qa = KnowledgeFeature(
        knowledge.entries, knowledge.retriever, texts, question_log, feedback_log, recent=recent
    )
    return Engine(nlu=nlu, knowledge=qa, texts=texts, features=features)
