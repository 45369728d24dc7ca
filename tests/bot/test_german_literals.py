"""German text a user sees lives in ``bot/texts/*.yaml``, not in the core, features or stores."""

import ast
import re
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parents[2] / "bot"
SCANNED = ("dialogue", "features", "stores")
GERMAN_LETTERS = re.compile(r"[äöüÄÖÜß]")
GERMAN_WORDS = re.compile(
    r"\b(und|oder|der|die|das|den|dem|nicht|keine?|Sie|Ihre?|Ihnen|bitte|mit|für|von|zum|zur"
    r"|bis|ist|sind|wird|noch|auf|Frage|Fragen|Termin|Antwort|Uhr|Tage?n?|Stunden?|Minuten)\b"
)
# Modules whose German literals are not text for the user, each with the reason.
ALLOWED = {
    "dialogue/input_shape.py": "question words that recognise a question in the input",
    "features/funding/feature.py": "cue words that recognise a funding question in the input",
    "features/funding/calls.py": "topic vocabulary: the labels double as words matched in input",
    "features/check/finish.py": "umlaut transliteration table for file names",
}


def _docstrings(tree: ast.AST) -> set[int]:
    """Ids of the constants that are docstrings (module, class, function or attribute)."""
    return {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }


def _looks_german(text: str) -> bool:
    """Umlauts or ß, or a phrase with a common German word (single identifiers are not text)."""
    return bool(GERMAN_LETTERS.search(text)) or (" " in text and bool(GERMAN_WORDS.search(text)))


def german_literals(path: Path) -> list[str]:
    """The string constants of ``path`` that look like German text, as ``line: text``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    return [
        f"{node.lineno}: {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        if id(node) not in skip and _looks_german(node.value)
    ]


def _modules() -> list[str]:
    return sorted(
        str(path.relative_to(BOT)) for folder in SCANNED for path in (BOT / folder).rglob("*.py")
    )


@pytest.mark.parametrize("module", [m for m in _modules() if m not in ALLOWED])
def test_module_has_no_german_user_facing_literal(module: str) -> None:
    """Every German string a user could see comes from the texts files."""
    assert german_literals(BOT / module) == []


@pytest.mark.parametrize(
    ("text", "german"),
    [
        pytest.param("Weiß nicht", True, id="umlaut"),
        pytest.param("keine Antwort", True, id="german-phrase"),
        pytest.param("check_unknown_label", False, id="text-key"),
        pytest.param("ist", False, id="template-field"),
        pytest.param("radar chart failed: %s", False, id="english-log"),
    ],
)
def test_the_scan_tells_german_text_from_code_strings(text: str, german: bool) -> None:
    """The heuristic flags German phrases and leaves keys, field names and logs alone."""
    assert _looks_german(text) is german


def test_every_allowed_module_exists() -> None:
    """The allow-list names no module that was moved or removed."""
    assert [m for m in ALLOWED if not (BOT / m).is_file()] == []
