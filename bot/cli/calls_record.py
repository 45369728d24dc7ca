"""``calls add`` and ``calls import``: validate with the rules of ``/foerderaufruf``, then record.

Every problem is printed as ``FILE:LINE: message`` (the bot's German hint as plain text) and
nothing is recorded while any row is invalid.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date
from pathlib import Path

from bot.dialogue.texts import load_texts, to_plain
from bot.features.events.announcement import ParseProblem
from bot.features.funding.calls import CallDraft, CallInput, validate_call
from bot.features.funding.render import FundingRenderer, fits_as_messages
from bot.features.funding.sheet import SheetProblem, SheetRow, decode, read_sheet
from bot.stores.funding import DatabaseFundingStore
from knowledge.markup import escape


async def add_call(
    store: DatabaseFundingStore, args: argparse.Namespace, chat: int, today: date
) -> int:
    """Record one call from the options; exit 1 if it is invalid or already recorded."""
    given = CallInput(
        args.title.strip(), args.deadline.strip(), args.url.strip(), args.description.strip(),
        args.topic.strip() or None, args.funder.strip(), args.eligible.strip(),
        args.amount.strip(), args.stand.strip(),
    )  # fmt: skip
    checked = _check(given, today)
    if isinstance(checked, str):
        print(f"digilotse: {checked}", file=sys.stderr)
        return 1
    done = await store.record([checked], chat, today, announce=args.announce)
    if done.added == 0:
        print("digilotse: a call with this title and deadline exists already", file=sys.stderr)
        return 1
    print(f"added 1 call, queued {done.queued} messages")
    return 0


async def import_calls(
    store: DatabaseFundingStore, path: Path, chat: int, today: date, *, announce: bool
) -> int:
    """Record every row of a CSV export, or none (exit 1) if any row is invalid."""
    try:
        text = decode(await asyncio.to_thread(path.read_bytes))
    except OSError as exc:
        print(f"digilotse: {path}: {exc.strerror}", file=sys.stderr)
        return 1
    rows: list[SheetRow] | list[SheetProblem] = (
        [text] if isinstance(text, SheetProblem) else read_sheet(text)
    )
    valid: list[tuple[CallDraft, str]] = []
    problems: list[str] = []
    for row in rows:
        if not isinstance(row, SheetRow):
            problems.append(f"{path}:{row.line}: {_sheet_problem(row)}")
            continue
        checked = _check(row.call, today)
        if isinstance(checked, str):
            problems.append(f"{path}:{row.line}: {checked}")
        else:
            valid.append(checked)
    if problems:
        print("\n".join([*problems, f"{path}: nothing imported"]), file=sys.stderr)
        return 1
    done = await store.record(valid, chat, today, announce=announce)
    print(f"imported {done.added} calls, skipped {done.skipped} already present, ", end="")
    print(f"queued {done.queued} messages")
    return 0


def _check(given: CallInput, today: date) -> tuple[CallDraft, str] | str:
    """A valid call with its announcement's HTML, or the hint (plain text) why not."""
    render = FundingRenderer(load_texts())
    draft = validate_call(given, today)
    if isinstance(draft, ParseProblem):
        return to_plain(render.problem(draft))
    if not fits_as_messages(render, draft, today):
        return to_plain(render.texts["radar_invalid_html"])
    return draft, render.announcement(draft, today)


def _sheet_problem(problem: SheetProblem) -> str:
    texts = load_texts()
    return to_plain(texts.format(problem.key, columns=escape(problem.columns)))
