"""The ``digilotse`` command line: one sub-command group per module, imported lazily."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence

from bot.errors import SettingsError

# command -> module in bot.cli that defines ``add_parser(subparsers)``
COMMANDS = {
    "ask": "ask",
    "chat": "chat",
    "kb": "kb",
    "run": "run",
    "db": "db",
    "events": "events",
    "export": "export",
    "nlu": "nlu",
    "calls": "calls",
}

Handler = Callable[[argparse.Namespace], int]


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser: each module registers its own sub-commands; with ``only`` (a
    command name), just that module is imported (``digilotse ask`` starts without the bot)."""
    parser = argparse.ArgumentParser(
        prog="digilotse", description="Digilotse – Assistent für die Kommunalen Digitallotsen"
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    for module_name in [COMMANDS[only]] if only in COMMANDS else COMMANDS.values():
        module = importlib.import_module(f"bot.cli.{module_name}")
        module.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code."""
    # Opt in to python-telegram-bot's future timedelta ``retry_after`` (we handle both forms).
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    arguments = sys.argv[1:] if argv is None else list(argv)
    command = arguments[0] if arguments else None
    args = build_parser(command).parse_args(arguments)
    handler: Handler = args.handler
    try:
        return handler(args)
    except SettingsError as exc:
        print(f"digilotse: configuration error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
