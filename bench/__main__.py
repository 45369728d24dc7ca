"""Run every bench in this package, or only those named: ``python -m bench [name ...]``."""

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


def main(argv: Sequence[str]) -> int:
    """Run the named benches (all when none are named); 2 on an unknown name."""
    names = list(argv) or available()
    unknown = sorted(set(names) - set(available()))
    if unknown:
        print(f"unknown bench: {', '.join(unknown)} (available: {', '.join(available())})")
        return 2
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        print(f"== bench {name} ==", flush=True)
        module.main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
