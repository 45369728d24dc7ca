"""Read knowledge-base YAML files into validated entries, remembering where each came from."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from knowledge.memo import VersionMemo
from knowledge.schema import Entry

KB_DIR = Path(__file__).parent / "kb"
# libyaml's parser when available (≈10× faster); entries are built from the composed nodes.
_YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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


@dataclass(frozen=True)
class EntrySite:
    """One validated entry and the lines of its parts, so checks can point at the exact line.

    ``item_lines`` holds the line of every item of a list field (questions, sources, related);
    ``literal_fields`` names the fields written as ``|`` blocks, whose text line k is file line
    ``field_lines[name] + 1 + k``.
    """

    entry: Entry
    location: Location
    field_lines: dict[str, int]
    item_lines: dict[str, tuple[int, ...]]
    literal_fields: frozenset[str]


@dataclass
class LoadResult:
    """Entries that validated, where each one (and each field) stands, and what failed.

    ``locations`` and ``field_lines`` are keyed by id (a duplicate id keeps the last one);
    ``sites`` keeps every validated entry in file order, duplicates included; ``failed_ids``
    holds the ids of entries that failed the schema.
    """

    entries: list[Entry] = field(default_factory=list)
    locations: dict[str, Location] = field(default_factory=dict)
    field_lines: dict[str, dict[str, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    sites: list[EntrySite] = field(default_factory=list)
    failed_ids: set[str] = field(default_factory=set)

    def add(self, other: LoadResult) -> None:
        """Append ``other`` (the next file's result) to this one."""
        self.entries += other.entries
        self.locations |= other.locations
        self.field_lines |= other.field_lines
        self.problems += other.problems
        self.sites += other.sites
        self.failed_ids |= other.failed_ids


# a file's result, by path and text: a reload parses only the files that changed
_FILES: VersionMemo[tuple[Path, str], LoadResult] = VersionMemo()


def load_entries(directory: Path = KB_DIR) -> LoadResult:
    """Load every ``*.yaml`` file below ``directory`` (sorted, so the order is stable)."""
    result = LoadResult()
    _FILES.next_run()
    for path in sorted(directory.rglob("*.yaml")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:  # e.g. saved as Latin-1 by an editor
            result.problems.append(Problem(Location(path, 1), f"cannot read the file: {exc}"))
            continue
        result.add(_FILES.get((path, text), functools.partial(_load_file, path, text)))
    return result


def _load_file(path: Path, text: str) -> LoadResult:
    """The entries of one file's text (read-only once made: a later reload may reuse it)."""
    result = LoadResult()
    try:
        root = yaml.compose(text, Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        result.problems.append(Problem(Location(path, line), f"invalid YAML: {exc}"))
        return result
    if root is None:
        return result
    if not isinstance(root, yaml.SequenceNode):
        result.problems.append(
            Problem(Location(path, 1), "a content file must be a list of entries")
        )
        return result
    for node in root.value:
        _load_entry(path, node, result)
    return result


def _load_entry(path: Path, node: yaml.Node, result: LoadResult) -> None:
    location = Location(path, node.start_mark.line + 1)
    try:
        raw: Any = yaml.constructor.SafeConstructor().construct_document(node)
    except (yaml.YAMLError, ValueError) as exc:  # e.g. an impossible date such as 2026-02-30
        result.problems.append(Problem(location, f"invalid value: {exc}"))
        return
    if not isinstance(raw, dict):
        result.problems.append(Problem(location, "an entry must be a mapping"))
        return
    lines = dict(_field_lines(node))
    try:
        entry = Entry.model_validate(raw)
    except ValidationError as exc:
        if isinstance(raw.get("id"), str):
            result.failed_ids.add(raw["id"])
        for error in exc.errors():
            key = str(error["loc"][0]) if error["loc"] else ""
            where = Location(path, lines.get(key, location.line))
            dotted = ".".join(str(part) for part in error["loc"])
            hint = f" ({_HINTS[key]})" if key in _HINTS and len(error["loc"]) == 1 else ""
            result.problems.append(Problem(where, f"{dotted or 'entry'}: {error['msg']}{hint}"))
        return
    result.entries.append(entry)
    result.locations[entry.id] = location
    result.field_lines[entry.id] = lines
    result.sites.append(EntrySite(entry, location, lines, *_item_lines_and_literals(node)))


_HINTS = {
    "sources": "every entry needs at least one source with title and url",
    "stand": "every entry needs the date of its information, e.g. stand: 2026-02-01",
}


def _item_lines_and_literals(
    node: yaml.Node,
) -> tuple[dict[str, tuple[int, ...]], frozenset[str]]:
    items: dict[str, tuple[int, ...]] = {}
    literals: set[str] = set()
    for key, value in node.value if isinstance(node, yaml.MappingNode) else ():
        if isinstance(value, yaml.SequenceNode):
            items[str(key.value)] = tuple(item.start_mark.line + 1 for item in value.value)
        elif isinstance(value, yaml.ScalarNode) and value.style == "|":
            literals.add(str(key.value))
    return items, frozenset(literals)


def _field_lines(node: yaml.Node) -> Iterator[tuple[str, int]]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield str(key.value), value.start_mark.line + 1
