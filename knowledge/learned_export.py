"""Write questions editors accepted into the entries' ``questions:`` in the YAML files.

ruamel.yaml's round-trip mode keeps comments, key order, quoting and block scalars, so the
change is the new question lines and nothing else (a reviewable diff). ruamel indents a
top-level list like a nested one; the files start theirs at column 0, so the dump is shifted
back by two columns. A file that would not come back unchanged without the new questions is
left alone and reported, never rewritten with a noisy diff; one without new questions is not
rewritten at all.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML


@dataclass(frozen=True)
class Accepted:
    """One accepted question (``id`` is its database row)."""

    id: int
    question: str
    entry_id: str


@dataclass(frozen=True)
class ExportResult:
    """Rows now in the files (added, or there already), files rewritten, entries not found,
    and files left alone because their layout would not survive a round trip."""

    exported: tuple[int, ...]
    files: tuple[Path, ...]
    missing: tuple[Accepted, ...]
    refused: tuple[Path, ...] = ()


def round_trip() -> YAML:
    """A loader/dumper in the content files' layout (lists indented under their key)."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 10_000  # never re-wrap long lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def export_learned(kb_dir: Path, accepted: Sequence[Accepted]) -> ExportResult:
    """Add each accepted question to its entry's questions (once); rewrite the changed files."""
    yaml = round_trip()
    exported: list[int] = []
    files: list[Path] = []
    refused: list[Path] = []
    remaining = list(accepted)
    for path in sorted(kb_dir.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text)
        entries = {e["id"]: e for e in _entries(data)}
        mine = [a for a in remaining if a.entry_id in entries]
        if not mine:
            continue
        remaining = [a for a in remaining if a.entry_id not in entries]
        if _dump(yaml, data) != text:
            refused.append(path)
            continue
        if _add(entries, mine):
            path.write_text(_dump(yaml, data), encoding="utf-8")
            files.append(path)
        exported += [a.id for a in mine]
    return ExportResult(tuple(exported), tuple(files), tuple(remaining), tuple(refused))


def _entries(data: Any) -> Iterable[Any]:
    if not isinstance(data, list):
        return []
    return [item for item in data if isinstance(item, dict) and isinstance(item.get("id"), str)]


def _add(entries: dict[str, Any], accepted: Sequence[Accepted]) -> bool:
    """Append the questions an entry lacks (compared case-insensitively); whether any were."""
    changed = False
    for item in accepted:
        questions = entries[item.entry_id].setdefault("questions", [])
        if item.question.casefold() not in {str(q).casefold() for q in questions}:
            questions.append(item.question)
            changed = True
    return changed


def _dump(yaml: YAML, data: Any) -> str:
    """The YAML text with the top-level list back at column 0."""
    out = io.StringIO()
    yaml.dump(data, out)
    lines = out.getvalue().splitlines(keepends=True)
    return "".join(line[2:] if line.startswith("  ") else line for line in lines)
