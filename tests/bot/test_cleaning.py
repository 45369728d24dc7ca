"""User input is normalised, stripped of control characters and bounded before processing."""

import pytest

from bot.dialogue.cleaning import (
    MAX_COMMAND_CHARS,
    MAX_PROCESSED_CHARS,
    clean_text,
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


def test_commands_are_kept_whole_up_to_telegrams_message_limit() -> None:
    command = "/ankuendigen T | 2030-01-01 10:00 | O | " + "x" * 1500 + "\nletzte Zeile"
    assert clean_text(command) == (command, False)
    assert len(clean_text("/a " + "x" * 5000)[0]) == MAX_COMMAND_CHARS


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
