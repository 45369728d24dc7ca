"""The bot's fixed texts are complete, formal and valid Telegram HTML."""

import re
from pathlib import Path

import pytest

from bot.dialogue.texts import TEXTS_DIR, load_texts
from knowledge.markup import validate_html

TEXTS = load_texts()
SOURCES = Path(__file__).resolve().parents[3] / "bot"


@pytest.mark.parametrize("key", sorted(TEXTS.keys()))
def test_every_text_is_valid_telegram_html(key: str) -> None:
    assert validate_html(TEXTS[key]) == []


@pytest.mark.parametrize("key", sorted(TEXTS.keys()))
def test_texts_address_the_user_formally(key: str) -> None:
    informal = re.findall(r"\b(du|dich|dir|dein\w*)\b", TEXTS[key], flags=re.IGNORECASE)
    assert informal == []


def test_every_key_used_in_the_code_is_defined() -> None:
    used = set()
    for path in SOURCES.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'_texts(?:\.format\()?\[?\(?"([a-z_]+)"', source))
        used |= set(re.findall(r'texts\["([a-z_]+)"\]', source))
    assert used - TEXTS.keys() == set()


def test_every_toast_fits_in_a_callback_answer() -> None:
    """Telegram refuses an answerCallbackQuery text over 200 characters ("MESSAGE_TOO_LONG")."""
    toasts = {"events_unknown", "events_not_published", "events_toast_yes", "events_toast_no"}
    for path in SOURCES.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        toasts |= set(re.findall(r'toast=self\._texts(?:\.format\()?\[?\(?"([a-z_]+)"', source))
    assert len(toasts) > 10
    assert {key: len(TEXTS[key]) for key in toasts if len(TEXTS[key]) > 200} == {}


def test_a_key_defined_in_two_files_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("greet: Hallo\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("greet: Guten Tag\n", encoding="utf-8")
    with pytest.raises(ValueError, match="defined twice"):
        load_texts.__wrapped__(tmp_path)


def test_texts_live_in_the_package() -> None:
    assert (TEXTS_DIR / "core.yaml").is_file()
