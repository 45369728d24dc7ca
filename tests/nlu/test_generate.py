"""Generating ask_knowledge examples from the knowledge base's alternate questions."""

from __future__ import annotations

from pathlib import Path

from nlu.rasa.generate import EXCLUDED_ENTRIES, PER_ENTRY, kb_questions, main, render, spread
from nlu.rasa_data import load_files

KB = """\
- id: ozg-grundlagen
  questions:
    - "Was ist das OZG?"
    - "Was regelt   das\\nOnlinezugangsgesetz?"
    - "Was ist das OZG?"
- id: bot-datenschutz
  questions:
    - "Welche Daten speichert der Bot?"
- id: with-brackets
  questions:
    - "Was heißt [EfA](topic)?"
    - "Hallo"
"""

HAND_WRITTEN = """\
version: "3.1"
nlu:
- intent: greet
  examples: |
    - hallo
"""


def _write(tmp_path: Path) -> tuple[Path, Path]:
    kb, data = tmp_path / "kb", tmp_path / "data"
    kb.mkdir()
    data.mkdir()
    (kb / "ozg.yaml").write_text(KB, encoding="utf-8")
    (data / "basics.yml").write_text(HAND_WRITTEN, encoding="utf-8")
    return kb, data


def test_questions_become_ask_knowledge_examples_once_each(tmp_path: Path) -> None:
    """Whitespace is collapsed, duplicates and hand-written examples dropped, brackets removed."""
    kb, data = _write(tmp_path)
    output = tmp_path / "generated.yml"
    output.write_text(render(kb, data), encoding="utf-8")
    examples = load_files([output]).examples
    assert [(e.intent, e.text) for e in examples] == [
        ("ask_knowledge", "Was ist das OZG?"),
        ("ask_knowledge", "Was regelt das Onlinezugangsgesetz?"),
        ("ask_knowledge", "Was heißt EfA(topic)?"),
    ]


def test_questions_of_entries_owned_by_other_intents_are_left_out(tmp_path: Path) -> None:
    """The privacy entry's questions train the privacy intent, not ask_knowledge."""
    kb, data = _write(tmp_path)
    assert "bot-datenschutz" in EXCLUDED_ENTRIES
    assert "Welche Daten speichert der Bot?" not in render(kb, data)


def test_rendering_is_deterministic(tmp_path: Path) -> None:
    """Same input, same bytes (so the up-to-date check is meaningful)."""
    kb, data = _write(tmp_path)
    assert render(kb, data) == render(kb, data)


def test_check_mode_passes_on_the_committed_file() -> None:
    """`python -m nlu.rasa.generate --check` exits 0 when nothing changed."""
    assert main(["--check"]) == 0


def test_each_entry_gives_at_most_a_few_questions_spread_over_its_list(tmp_path: Path) -> None:
    """Seventeen questions of one entry yield PER_ENTRY of them, first and last included."""
    questions = [f"Frage {i}?" for i in range(17)]
    (tmp_path / "many.yaml").write_text(
        "- id: many\n  questions:\n" + "".join(f'    - "{q}"\n' for q in questions),
        encoding="utf-8",
    )
    taken = list(kb_questions(tmp_path))
    assert len(taken) == PER_ENTRY
    assert taken[0] == questions[0]
    assert taken[-1] == questions[-1]
    assert taken == sorted(taken, key=questions.index)
    assert spread(["a", "b"], 6) == ["a", "b"]
    assert spread(["a", "b", "c"], 1) == ["a"]
