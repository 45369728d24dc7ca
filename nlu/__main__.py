"""``python -m nlu parse|eval`` — the same commands as ``digilotse nlu``."""

from __future__ import annotations

import argparse
import logging

from nlu.cli_impl import register


def main(argv: list[str] | None = None) -> int:
    """Run one NLU command."""
    parser = argparse.ArgumentParser(prog="python -m nlu", description="Digilotse NLU tools")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
