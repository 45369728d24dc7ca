"""Developer commands: ``python -m storage upgrade URL`` and ``python -m storage revision MSG``."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from storage.migrate import new_revision, upgrade


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m storage upgrade URL`` / ``… revision MESSAGE [--url URL]``."""
    parser = argparse.ArgumentParser(prog="python -m storage", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    up = commands.add_parser("upgrade", help="bring a database to the newest schema")
    up.add_argument("url")
    rev = commands.add_parser("revision", help="autogenerate a migration from model changes")
    rev.add_argument("message")
    rev.add_argument("--url", help="compare against this database instead of scratch SQLite")
    args = parser.parse_args(argv)
    if args.command == "upgrade":
        upgrade(args.url)
    else:
        print(new_revision(args.message, args.url))


if __name__ == "__main__":
    main()
