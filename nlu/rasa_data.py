"""Read Rasa 3.x NLU training-data YAML (intents, inline entities, synonyms, lookups, regexes).

The embedded backend, the evaluation and the data generator all read the same files Rasa trains
on, so there is one source of truth: ``nlu/rasa/data/nlu/*.yml``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).parent / "rasa" / "data" / "nlu"
GENERATED_NAME = "knowledge_generated.yml"  # written by nlu.rasa.generate from the knowledge base

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# [text](entity) | [text](entity:value) | [text]{"entity": ..., "value": ...}
_ANNOTATION = re.compile(
    r"\[(?P<text>[^\]]+?)\](?:\((?P<entity>[^:)]+?)(?::(?P<value>[^)]+))?\)|(?P<dict>\{[^}]+?\}))"
)


@dataclass(frozen=True)
class Annotation:
    """An entity annotated inline in a training example."""

    entity: str
    value: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Example:
    """One training or test utterance with its intent and annotated entities."""

    text: str
    intent: str
    entities: tuple[Annotation, ...] = ()


@dataclass
class NluData:
    """Everything in a set of NLU files."""

    examples: list[Example] = field(default_factory=list)
    synonyms: dict[str, str] = field(default_factory=dict)
    lookups: dict[str, list[str]] = field(default_factory=dict)
    regexes: dict[str, list[str]] = field(default_factory=dict)
    generated: set[str] = field(default_factory=set)  # example texts from GENERATED_NAME

    def intents(self) -> list[str]:
        """Return the intent names in first-seen order."""
        return list(dict.fromkeys(example.intent for example in self.examples))


def load_dir(directory: Path = DATA_DIR) -> NluData:
    """Load every ``*.yml`` file in ``directory`` (sorted by name)."""
    return load_files(sorted(directory.glob("*.yml")))


def load_files(paths: Iterable[Path]) -> NluData:
    """Load and merge several NLU files."""
    data = NluData()
    for path in paths:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
        start = len(data.examples)
        merge_document(data, document or {})
        if path.name == GENERATED_NAME:
            data.generated.update(example.text for example in data.examples[start:])
    return data


def merge_document(data: NluData, document: dict[str, Any]) -> None:
    """Add the items of one parsed YAML document (its ``nlu:`` list) to ``data``."""
    for item in document.get("nlu") or []:
        lines = split_examples(item.get("examples", ""))
        if "intent" in item:
            data.examples.extend(parse_example(line, str(item["intent"])) for line in lines)
        elif "synonym" in item:
            for line in lines:
                data.synonyms[line.lower()] = str(item["synonym"])
        elif "lookup" in item:
            data.lookups.setdefault(str(item["lookup"]), []).extend(lines)
        elif "regex" in item:
            data.regexes.setdefault(str(item["regex"]), []).extend(lines)


def split_examples(block: str | list[str]) -> list[str]:
    """Turn Rasa's ``- example`` block (or a plain list) into stripped lines."""
    lines = block if isinstance(block, list) else block.splitlines()
    result = []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("- "):
            stripped = stripped[2:].strip()
        if stripped:
            result.append(stripped)
    return result


def parse_example(line: str, intent: str) -> Example:
    """Strip inline entity annotations from ``line`` and record them with their plain spans."""
    plain, annotations, cursor = [], [], 0
    offset = 0
    for match in _ANNOTATION.finditer(line):
        plain.append(line[cursor : match.start()])
        offset += match.start() - cursor
        text = match.group("text")
        entity, value = _annotation_target(match)
        annotations.append(Annotation(entity, value or text, offset, offset + len(text), text))
        plain.append(text)
        offset += len(text)
        cursor = match.end()
    plain.append(line[cursor:])
    return Example("".join(plain), intent, tuple(annotations))


def _annotation_target(match: re.Match[str]) -> tuple[str, str | None]:
    if match.group("dict"):
        spec = json.loads(match.group("dict"))
        value = spec.get("value")
        return str(spec["entity"]), None if value is None else str(value)
    value = match.group("value")
    return match.group("entity").strip(), value.strip() if value else None


def annotate(example: Example) -> str:
    """Render an example back to Rasa's inline format (the inverse of :func:`parse_example`)."""
    parts, cursor = [], 0
    for ann in sorted(example.entities, key=lambda a: a.start):
        parts.append(example.text[cursor : ann.start])
        if ann.value == ann.text:
            parts.append(f"[{ann.text}]({ann.entity})")
        else:
            spec = json.dumps({"entity": ann.entity, "value": ann.value}, ensure_ascii=False)
            parts.append(f"[{ann.text}]{spec}")
        cursor = ann.end
    parts.append(example.text[cursor:])
    return "".join(parts)
