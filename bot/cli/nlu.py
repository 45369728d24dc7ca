"""``digilotse nlu``: interpret utterances and evaluate the backends (``NLU_BACKEND`` decides)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def add_parser(subparsers: Any) -> None:
    """Register ``nlu parse`` and ``nlu eval``."""
    parser = subparsers.add_parser("nlu", help="Absichtserkennung testen und auswerten")
    nlu = parser.add_subparsers(dest="nlu_command", required=True)
    parse = nlu.add_parser("parse", help="Äußerungen interpretieren (/model/parse-Format)")
    parse.add_argument("text", nargs="+", help='Text, oder "-" für eine Äußerung je Zeile')
    parse.add_argument("--json", action="store_true", help="ein JSON-Objekt je Äußerung")
    parse.set_defaults(handler=run_parse)
    evaluate = nlu.add_parser("eval", help="Testdatei mit jedem verfügbaren Backend auswerten")
    evaluate.add_argument("--test-file", type=Path, default=None)
    evaluate.add_argument("--errors", action="store_true", help="Fehlklassifikationen listen")
    evaluate.add_argument("--repeat", type=int, default=3, help="Wiederholungen je Beispiel")
    evaluate.set_defaults(handler=run_eval)


def run_parse(args: argparse.Namespace) -> int:
    """Parse with the configured backend."""
    from bot.settings import load_settings
    from nlu.cli_impl import parse_command

    settings = load_settings()
    return parse_command(
        args.text,
        as_json=args.json,
        backend=settings.nlu_backend,
        rasa_url=settings.rasa_url,
        rasa_token=_token(settings),
    )


def run_eval(args: argparse.Namespace) -> int:
    """Side-by-side table of every backend that is reachable."""
    from bot.settings import load_settings
    from nlu import evaluation
    from nlu.cli_impl import eval_command

    settings = load_settings()
    return eval_command(
        test_file=args.test_file or evaluation.TEST_FILE,
        rasa_url=settings.rasa_url if settings.nlu_backend == "rasa" else None,
        rasa_token=_token(settings),
        show_errors=args.errors,
        repeat=args.repeat,
    )


def _token(settings: Any) -> str | None:
    token = settings.rasa_token
    return token.get_secret_value() if token is not None else None
