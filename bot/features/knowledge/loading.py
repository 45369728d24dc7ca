"""Builds the channel-independent core once: knowledge base, retriever, NLU, engine."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from knowledge.content import Learned, with_learned
from knowledge.loader import KB_DIR, load_entries
from knowledge.retrieval import Retriever
from knowledge.schema import Entry


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
