"""Run every bench, or one with its own options: ``python -m bench [name [--option ...]]``."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Sequence
from pathlib import Path


def available() -> list[str]:
    """Names of the bench modules (every module of this package except ``__main__``)."""
    here = str(Path(__file__).resolve().parent)
    return sorted(m.name for m in pkgutil.iter_modules([here]) if not m.name.startswith("_"))


def run(name: str, options: Sequence[str]) -> None:
    """Run one bench; it reads its options from ``sys.argv`` like a script."""
    module = importlib.import_module(f"bench.{name}")
    print(f"== bench {name} ==", flush=True)
    sys.argv = [f"bench {name}", *options]
    module.main()


def main(argv: Sequence[str]) -> int:
    """All benches with their defaults, or the named one with its options; 2 on a bad name."""
    if not argv:
        for name in available():
            run(name, [])
        return 0
    name, *options = argv
    if name not in available():
        print(f"unknown bench: {name} (available: {', '.join(available())})")
        return 2
    run(name, options)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
