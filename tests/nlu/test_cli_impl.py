"""The functions behind `digilotse nlu parse` and `digilotse nlu eval`."""

from __future__ import annotations

import argparse
import io
import json

from nlu.cli_impl import eval_command, parse_command, register


def test_parse_reads_lines_from_stdin_and_writes_one_json_object_per_line() -> None:
    """`--json -` is a filter: one utterance in, one /model/parse object out."""
    out = io.StringIO()
    code = parse_command(
        ["-"], as_json=True, stdin=io.StringIO("Hallo\nWas ist die DZK?\n"), stdout=out
    )
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert code == 0
    assert [line["intent"]["name"] for line in lines] == ["greet", "ask_knowledge"]
    assert set(lines[1]) == {"text", "intent", "intent_ranking", "entities"}
    assert lines[1]["entities"][0]["value"] == "digitale_zukunftskommune"


def test_parse_prints_a_readable_line_per_text() -> None:
    """Without --json: intent, confidence and entities."""
    out = io.StringIO()
    parse_command(["Was passiert im dritten Baustein?"], stdout=out)
    assert out.getvalue().startswith("ask_knowledge (")
    assert "baustein=3" in out.getvalue()


def test_eval_prints_the_table_for_the_embedded_backend() -> None:
    """Without a Rasa URL only the embedded column appears."""
    out = io.StringIO()
    assert eval_command(repeat=1, show_errors=True, stdout=out) == 0
    text = out.getvalue()
    assert "intent accuracy" in text
    assert "embedded" in text
    assert "rasa" not in text.split("\n")[1]


def test_eval_reports_an_unreachable_rasa() -> None:
    """Asking for Rasa that is not running exits 2 with a hint."""
    out = io.StringIO()
    assert eval_command(rasa_url="http://127.0.0.1:9", repeat=1, stdout=out) == 2
    assert "scripts/rasa serve" in out.getvalue()


def test_register_wires_both_commands_into_argparse() -> None:
    """The bot CLI only calls register(); each command sets func."""
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["parse", "--json", "Hallo"])
    assert args.json
    assert args.text == ["Hallo"]
    assert callable(args.func)
    assert parser.parse_args(["eval", "--errors"]).errors
