"""User input is normalised, stripped of control characters and bounded before processing."""

import pytest

from bot.dialogue.cleaning import (
    MAX_COMMAND_CHARS,
    MAX_PROCESSED_CHARS,
    clean_text,
    command_too_long,
    split_command,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("  Was ist das OZG?  ", "Was ist das OZG?", id="trims"),
        pytest.param("OZG\x00\x07 2.0", "OZG 2.0", id="control-characters"),
        pytest.param("a\u202eb", "a b", id="bidi-override"),
        pytest.param("ｏｚｇ", "ozg", id="fullwidth-nfkc"),
        pytest.param("\t\n ", "", id="whitespace-only"),
    ],
)
def test_clean_text_normalises(raw: str, expected: str) -> None:
    assert clean_text(raw) == (expected, False)


def test_clean_text_truncates_very_long_input_and_says_so() -> None:
    text, truncated = clean_text("Förderung " * 1000)
    assert truncated
    assert len(text) <= MAX_PROCESSED_CHARS


def test_commands_are_never_cut() -> None:
    """A command keeps its last line however long it is; only free text is shortened."""
    command = "/ankuendigen T | 2030-01-01 10:00 | O | " + "x" * 1500 + "\nletzte Zeile"
    assert clean_text(command) == (command, False)
    assert clean_text("/a " + "x" * 5000) == ("/a " + "x" * 5000, False)


def test_only_commands_over_telegrams_message_limit_count_as_too_long() -> None:
    """The bound is Telegram's own 4 096 characters."""
    assert not command_too_long("/a " + "x" * (MAX_COMMAND_CHARS - 3))
    assert command_too_long("/a " + "x" * (MAX_COMMAND_CHARS - 2))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("/start", ("start", ""), id="plain"),
        pytest.param("/Hilfe@digilotse_bot", ("hilfe", ""), id="addressed"),
        pytest.param("/ankuendigen a | b", ("ankuendigen", "a | b"), id="arguments"),
        pytest.param("/ hallo", None, id="slash-space"),
        pytest.param("Was ist /start?", None, id="not-at-start"),
    ],
)
def test_split_command(text: str, expected: tuple[str, str] | None) -> None:
    assert split_command(text) == expected
