"""Writing accepted questions into YAML files: clean diffs, or the file is left alone."""

from __future__ import annotations

from pathlib import Path

from knowledge.learned_export import Accepted, export_learned

LAYOUT = """# Kommentar bleibt.
- id: eintrag
  title: Titel
  questions:
    - Erste Frage? # auch dieser
    - "Zweite Frage?"
  answer: |
    Text.
"""


def test_the_new_question_is_appended_and_everything_else_stays(tmp_path: Path) -> None:
    """Comments, quoting and the block scalar survive; only the new line is added."""
    path = tmp_path / "a.yaml"
    path.write_text(LAYOUT, encoding="utf-8")

    result = export_learned(tmp_path, [Accepted(7, "Dritte Frage: wie?", "eintrag")])

    added = "    - 'Dritte Frage: wie?'\n"  # quoted: ": " would start a mapping
    expected = LAYOUT.replace('    - "Zweite Frage?"\n', '    - "Zweite Frage?"\n' + added)
    assert path.read_text(encoding="utf-8") == expected
    assert result.exported == (7,)
    assert result.files == (path,)


def test_a_file_whose_layout_would_change_is_left_alone_and_reported(tmp_path: Path) -> None:
    """A layout ruamel would normalise (here: a list indented unlike the content files) is not
    rewritten, so the diff never carries unrelated changes."""
    path = tmp_path / "b.yaml"
    odd = LAYOUT.replace("- id:", "-   id:").replace("\n  ", "\n    ")
    path.write_text(odd, encoding="utf-8")

    result = export_learned(tmp_path, [Accepted(1, "Neu?", "eintrag")])

    assert path.read_text(encoding="utf-8") == odd
    assert result.refused == (path,)
    assert result.exported == ()
