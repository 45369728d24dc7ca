"""The functions behind ``digilotse nlu parse`` and ``digilotse nlu eval``.

The bot's CLI only has to call :func:`register` on its sub-command parsers (or call
:func:`parse_command` / :func:`eval_command` itself). ``python -m nlu`` offers the same commands.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

import httpx

from nlu import evaluation
from nlu.embedded import EmbeddedNlu
from nlu.rasa_client import CircuitBreaker, RasaNlu
from nlu.rasa_data import Example
from nlu.select import BackendName, aclose, build_nlu
from nlu.types import ParseResult


def parse_command(
    texts: Sequence[str],
    *,
    as_json: bool = False,
    backend: BackendName = "embedded",
    rasa_url: str | None = None,
    rasa_token: str | None = None,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
) -> int:
    """Parse the given texts; ``["-"]`` reads one utterance per line from ``stdin``.

    With ``as_json`` each result is one line in Rasa's ``/model/parse`` shape.
    """
    lines = (line.rstrip("\n") for line in stdin) if list(texts) == ["-"] else iter(texts)
    nlu = build_nlu(backend, rasa_url, rasa_token)

    async def run() -> None:
        try:
            for text in lines:
                result = await nlu.parse(text)
                stdout.write((_json_line(result) if as_json else _human(result)) + "\n")
                stdout.flush()
        finally:
            await aclose(nlu)

    asyncio.run(run())
    return 0


def eval_command(
    *,
    test_file: Path = evaluation.TEST_FILE,
    rasa_url: str | None = None,
    rasa_token: str | None = None,
    show_errors: bool = False,
    repeat: int = 3,
    stdout: TextIO = sys.stdout,
) -> int:
    """Evaluate the embedded backend (and Rasa when ``rasa_url`` is given); print the table.

    Returns 2 when Rasa was asked for but does not answer.
    """
    if rasa_url and not _rasa_answers(rasa_url):
        stdout.write(f"Rasa at {rasa_url} does not answer; start it with scripts/rasa serve\n")
        return 2
    examples = evaluation.load_test_examples(test_file)
    reports = [asyncio.run(_evaluate_embedded(examples, repeat))]
    if rasa_url:
        reports.append(asyncio.run(_evaluate_rasa(examples, rasa_url, rasa_token, repeat)))
    stdout.write(f"NLU evaluation on {test_file} ({len(examples)} examples)\n")
    stdout.write(evaluation.format_table(reports) + "\n")
    if show_errors:
        stdout.write("\n".join(evaluation.format_errors(r) for r in reports) + "\n")
    return 0


async def _evaluate_embedded(examples: Sequence[Example], repeat: int) -> evaluation.Report:
    nlu = EmbeddedNlu.load()
    predictions = await evaluation.predict(nlu, examples, repeat)
    return evaluation.score("embedded", predictions, evaluation.embedded_footprint())


async def _evaluate_rasa(
    examples: Sequence[Example], url: str, token: str | None, repeat: int
) -> evaluation.Report:
    breaker = CircuitBreaker(failure_threshold=1_000_000, cooldown=0)
    rasa = RasaNlu(url, token, timeout=30.0, breaker=breaker)
    try:
        predictions = await evaluation.predict(rasa, examples, repeat)
    finally:
        await rasa.aclose()
    port = httpx.URL(url).port or 5005
    return evaluation.score("rasa", predictions, evaluation.rasa_footprint(port))


def _rasa_answers(url: str) -> bool:
    try:
        return httpx.get(url.rstrip("/") + "/", timeout=2.0).status_code == 200
    except httpx.HTTPError:
        return False


def _json_line(result: ParseResult) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False)


def _human(result: ParseResult) -> str:
    ranking = ", ".join(f"{s.name} {s.confidence:.2f}" for s in result.intent_ranking[:3])
    entities = " ".join(f"{e.entity}={e.value}" for e in result.entities) or "-"
    return (
        f"{result.intent.name} ({result.intent.confidence:.2f})  entities: {entities}"
        f"  ranking: {ranking or '-'}"
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``parse`` and ``eval`` to an argparse sub-command group; each sets ``func``."""
    parse = subparsers.add_parser("parse", help="interpret utterances")
    parse.add_argument("text", nargs="+", help="utterance(s); '-' reads one per line from stdin")
    parse.add_argument("--json", action="store_true", help="one /model/parse JSON per line")
    parse.add_argument("--backend", choices=["embedded", "rasa"], default="embedded")
    _rasa_options(parse)
    parse.set_defaults(func=_run_parse)
    ev = subparsers.add_parser("eval", help="evaluate on the held-back test file")
    ev.add_argument("--test-file", type=Path, default=evaluation.TEST_FILE)
    ev.add_argument("--errors", action="store_true", help="list misclassified examples")
    ev.add_argument("--repeat", type=int, default=3, help="parses per example for latency")
    _rasa_options(ev)
    ev.set_defaults(func=_run_eval)


def _rasa_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rasa-url", default=os.environ.get("RASA_URL"), help="default: $RASA_URL")
    parser.add_argument(
        "--rasa-token", default=os.environ.get("RASA_TOKEN"), help="default: $RASA_TOKEN"
    )


def _run_parse(args: argparse.Namespace) -> int:
    return parse_command(
        args.text,
        as_json=args.json,
        backend=args.backend,
        rasa_url=args.rasa_url,
        rasa_token=args.rasa_token,
    )


def _run_eval(args: argparse.Namespace) -> int:
    return eval_command(
        test_file=args.test_file,
        rasa_url=args.rasa_url,
        rasa_token=args.rasa_token,
        show_errors=args.errors,
        repeat=args.repeat,
    )
