"""Read knowledge-base YAML files into validated entries, remembering where each came from."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from knowledge.schema import Entry

KB_DIR = Path(__file__).parent / "kb"


@dataclass(frozen=True)
class Location:
    """A place in a content file, for messages an editor can act on."""

    path: Path
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the content, tied to a file and line."""

    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


@dataclass
class LoadResult:
    """Entries that validated, where each one (and each field) stands, and what failed."""

    entries: list[Entry] = field(default_factory=list)
    locations: dict[str, Location] = field(default_factory=dict)
    field_lines: dict[str, dict[str, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def load_entries(directory: Path = KB_DIR) -> LoadResult:
    """Load every ``*.yaml`` file below ``directory`` (sorted, so the order is stable)."""
    result = LoadResult()
    for path in sorted(directory.rglob("*.yaml")):
        _load_file(path, result)
    return result


def _load_file(path: Path, result: LoadResult) -> None:
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        line = exc.problem_mark.line + 1 if getattr(exc, "problem_mark", None) else 1
        result.problems.append(Problem(Location(path, line), f"invalid YAML: {exc}"))
        return
    if root is None:
        return
    if not isinstance(root, yaml.SequenceNode):
        result.problems.append(Problem(Location(path, 1), "a content file must be a list of entries"))
        return
    for node in root.value:
        _load_entry(path, node, result)


def _load_entry(path: Path, node: yaml.Node, result: LoadResult) -> None:
    location = Location(path, node.start_mark.line + 1)
    raw: Any = yaml.SafeLoader(yaml.serialize(node)).get_single_data()
    if not isinstance(raw, dict):
        result.problems.append(Problem(location, "an entry must be a mapping"))
        return
    lines = dict(_field_lines(node))
    try:
        entry = Entry.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors():
            key = str(error["loc"][0]) if error["loc"] else ""
            where = Location(path, lines.get(key, location.line))
            dotted = ".".join(str(part) for part in error["loc"])
            result.problems.append(Problem(where, f"{dotted or 'entry'}: {error['msg']}"))
        return
    result.entries.append(entry)
    result.locations[entry.id] = location
    result.field_lines[entry.id] = lines


def _field_lines(node: yaml.Node) -> Iterator[tuple[str, int]]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield str(key.value), value.start_mark.line + 1
