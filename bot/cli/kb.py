"""``digilotse kb``: validate, evaluate, calibrate, reload and review the knowledge base."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from bot.cli import kb_content

DEFAULT_EVAL = Path("tests/data/kb_eval.yaml")
BLIND_EVAL = Path("tests/data/kb_blind.yaml")  # written without reading the content; dev/test
FRESH_EVAL = Path("tests/data/kb_fresh.yaml")  # a second blind set: chooses between changes


def add_parser(subparsers: Any) -> None:
    """Register ``kb check``, ``kb eval``, ``kb calibrate``, ``kb reload`` and ``kb review``."""
    parser = subparsers.add_parser("kb", help="Wissensbasis prüfen und auswerten")
    kb = parser.add_subparsers(dest="kb_command", required=True)
    check = kb.add_parser("check", help="Inhalte validieren (Fehler mit Datei und Zeile)")
    check.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        help="Stichtag für review_by und valid_until, JJJJ-MM-TT (Standard: heute)",
    )
    check.set_defaults(handler=run_check)
    evaluate = kb.add_parser("eval", help="Evaluationsset auswerten")
    evaluate.add_argument(
        "--file",
        type=Path,
        help="nur diese Datei (Standard: kb_eval.yaml, kb_fresh.yaml und beide Hälften)",
    )
    evaluate.add_argument("--verbose", action="store_true", help="Fehltreffer auflisten")
    evaluate.add_argument(
        "--split", choices=("dev", "test"), help="nur diese Hälfte (blindes Set kb_blind.yaml)"
    )
    evaluate.set_defaults(handler=run_eval)
    calibrate = kb.add_parser("calibrate", help="Konfidenz-Kalibrierung neu anpassen")
    calibrate.add_argument(
        "--tune",
        type=Path,
        default=BLIND_EVAL,
        help="Fragen, deren dev-Hälfte einfließt (Standard: kb_blind.yaml; nie die test-Hälfte)",
    )
    calibrate.set_defaults(handler=run_calibrate)
    kb_content.add_parsers(kb)


def run_check(args: argparse.Namespace) -> int:
    """Print every content problem as ``file:line: message``; exit 1 if there are any."""
    from knowledge.validate import check_knowledge

    problems = check_knowledge(today=args.today)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found")
        return 1
    print("knowledge base OK")
    return 0


def run_eval(args: argparse.Namespace) -> int:
    """Print top-1, top-3, MRR and out-of-scope figures for the evaluation set."""
    from bot.features.knowledge.loading import load_knowledge
    from knowledge.evaluation import evaluate, format_report
    from knowledge.followups import evaluate_followups, format_followups

    retriever = load_knowledge().retriever
    chosen = args.file or (BLIND_EVAL if args.split else None)
    runs = [(chosen, args.split)] if chosen else [
        (DEFAULT_EVAL, None), (FRESH_EVAL, None), (BLIND_EVAL, "dev"), (BLIND_EVAL, "test")
    ]  # fmt: skip
    for path, split in runs:
        print(format_report(evaluate(retriever, path, split), verbose=args.verbose))
        followups = evaluate_followups(retriever, path, split)
        print("\n".join(format_followups(followups, verbose=args.verbose)))
    return 0


def run_calibrate(args: argparse.Namespace) -> int:
    """Refit the confidence calibration on the current content and write it."""
    from knowledge.evaluation import tune_set
    from knowledge.loader import load_entries
    from knowledge.retrieval import calibrate

    tune = tune_set(args.tune, "dev") if args.tune.exists() else None
    calibration = calibrate(load_entries().entries, tune=tune)
    print(f"calibration written: {calibration}")
    return 0
