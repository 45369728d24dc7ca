"""A temporary copy of ``knowledge/kb`` that tests edit while the bot runs (the repo stays)."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

from knowledge.loader import KB_DIR

NEW_FILE = "redaktion.yaml"
NEW_QUESTION = "Wann ist Redaktionsschluss für den Lotsen-Rundbrief?"
NEW_ANSWER = "Redaktionsschluss für den Lotsen-Rundbrief ist jeweils der 15. des Vormonats."
NEW_SOURCE = "Digilotse: Rundbrief-Hinweis (/hilfe)"
BROKEN_LINE = 3  # the line the YAML parser stops at in BROKEN_YAML
BROKEN_YAML = "- id: kaputt\n  title: [nicht geschlossen\n"

EDITED_FILE, EDITED_QUESTION = "ozg.yaml", "Was ist das Onlinezugangsgesetz?"
OLD_TEXT = "verpflichtet Bund und Länder"
NEW_TEXT = "verpflichtet (neu redigiert) Bund und Länder"


def copy_kb(target: Path) -> Path:
    """Copy the real content files to ``target / "kb"`` and return that directory."""
    kb_dir = target / "kb"
    shutil.copytree(KB_DIR, kb_dir)
    return kb_dir


def add_entry(kb_dir: Path, review_in_days: int = 10) -> None:
    """Add a valid entry answering :data:`NEW_QUESTION`, due for review in ``review_in_days``."""
    review_by = date.today() + timedelta(days=review_in_days)
    (kb_dir / NEW_FILE).write_text(
        f"""- id: redaktionsschluss-rundbrief
  title: Redaktionsschluss des Lotsen-Rundbriefs
  category: bot
  questions:
    - {NEW_QUESTION}
    - Bis wann kann ich Beiträge für den Rundbrief einreichen?
    - Rundbrief Redaktionsschluss
  answer: |
    <b>{NEW_ANSWER}</b>
  sources:
    - title: "{NEW_SOURCE}"
      own_text: /hilfe
  stand: {date.today() - timedelta(days=30)}
  review_by: {review_by}
  confidence: hoch
""",
        encoding="utf-8",
    )


def edit_entry(kb_dir: Path) -> None:
    """Change the answer of the entry :data:`EDITED_QUESTION` finds (old → new text)."""
    path = kb_dir / EDITED_FILE
    text = path.read_text(encoding="utf-8")
    assert OLD_TEXT in text
    path.write_text(text.replace(OLD_TEXT, NEW_TEXT, 1), encoding="utf-8")


def break_yaml(kb_dir: Path) -> None:
    """Write a file the YAML parser refuses at :data:`BROKEN_LINE`."""
    (kb_dir / NEW_FILE).write_text(BROKEN_YAML, encoding="utf-8")
