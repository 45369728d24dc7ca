"""Checks that keep content current and its sources openable (part of ``digilotse kb check``).

An entry must say when an editor looks at it again (``review_by``, at most a year ahead and not
after ``valid_until``); a source must be a page a reader can open, not a site's start page,
unless the entry says plainly that no specific page exists or the source is the bot's own text;
a repository root is no source either, its file is.
"""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

from pydantic import HttpUrl

from knowledge.check.model import Questionnaire
from knowledge.loader import EntrySite, Location, Problem

REVIEW_HORIZON = timedelta(days=364)  # "at most 12 months ahead": 2026-12-03 allows 2027-12-02
OWN_TEXT_CATEGORY = "bot"
CHECK_ENTRY_ID = "digitalisierungs-check"
REPOSITORY_HOSTS = frozenset({"github.com", "gitlab.com", "gitlab.opencode.de"})
_COUNT = re.compile(r"(\d+) (Fragen|Dimensionen)")


def _say(site: EntrySite, field: str, message: str, index: int | None = None) -> Problem:
    items = site.item_lines.get(field, ())
    line = site.field_lines.get(field, site.location.line)
    if index is not None and index < len(items):
        line = items[index]
    return Problem(Location(site.location.path, line), f"[{site.entry.id}] {message}")


def check_review_by(site: EntrySite, today: date) -> list[Problem]:
    """``review_by`` must be set, not passed, at most a year ahead and not after ``valid_until``."""
    entry = site.entry
    if entry.review_by is None:
        return [_say(site, "stand", "review_by is missing (when must an editor look again?)")]
    problems = []
    if entry.review_by < today:
        message = f"review_by {entry.review_by} has passed (today is {today})"
        problems.append(_say(site, "review_by", message))
    latest = today + REVIEW_HORIZON
    if entry.review_by > latest:
        message = f"review_by {entry.review_by} is more than 12 months ahead (latest {latest})"
        problems.append(_say(site, "review_by", message))
    if entry.valid_until is not None and entry.review_by > entry.valid_until:
        message = f"review_by {entry.review_by} is after valid_until {entry.valid_until}"
        problems.append(_say(site, "review_by", message))
    return problems


def check_source_pages(site: EntrySite) -> list[Problem]:
    """Start-page URLs need ``no_specific_page``; ``own_text`` is only for the bot's own entries."""
    problems = []
    for index, source in enumerate(site.entry.sources):
        message = None
        if source.url is None:
            if site.entry.category != OWN_TEXT_CATEGORY:
                message = f"source {source.title!r} uses own_text outside the bot's own entries"
        elif _is_start_page(source.url) and not source.no_specific_page:
            message = (
                f"source URL {source.url} is a start page; link the specific page "
                "or mark no_specific_page: true"
            )
        elif not _is_start_page(source.url) and source.no_specific_page:
            message = f"source URL {source.url} is a specific page but says no_specific_page"
        elif _is_repository_root(source.url):
            message = f"source URL {source.url} is a repository root; link the file"
        if message:
            problems.append(_say(site, "sources", message, index))
    return problems


def _is_start_page(url: HttpUrl) -> bool:
    """A URL with no path and no query (``?p=119`` names a page on many sites)."""
    return url.path in (None, "", "/") and not url.query


def _is_repository_root(url: HttpUrl) -> bool:
    """``https://github.com/owner/repo``: a whole repository, not the text that says the fact."""
    segments = [part for part in (url.path or "").split("/") if part]
    return url.host in REPOSITORY_HOSTS and len(segments) <= 2 and not url.query


def check_check_entry(site: EntrySite, questionnaire: Questionnaire) -> list[Problem]:
    """The entry on the bot's check names the questionnaire's dimensions and counts exactly."""
    if site.entry.id != CHECK_ENTRY_ID:
        return []
    names = [html.escape(d.name, quote=False) for d in questionnaire.dimensions]
    counts = {"Fragen": len(questionnaire.questions), "Dimensionen": len(names)}
    problems = []
    listed = _dimension_bullets(site.entry.detail or "")
    if listed != names:
        message = f"detail lists dimensions {listed}, the questionnaire has {names}"
        problems.append(_say(site, "detail", message))
    for field in ("answer", "detail"):
        for number, noun in _COUNT.findall(getattr(site.entry, field) or ""):
            if int(number) != counts[noun]:
                message = f"{field} says {number} {noun}, the questionnaire has {counts[noun]}"
                problems.append(_say(site, field, message))
    return problems


def _dimension_bullets(detail: str) -> list[str]:
    """The "•" lines right after the line that introduces the dimensions."""
    lines = detail.splitlines()
    start = next((i for i, line in enumerate(lines) if "Dimensionen" in line), len(lines))
    bullets = []
    for line in lines[start + 1 :]:
        if not line.strip().startswith("•"):
            break
        bullets.append(line.strip().removeprefix("•").strip())
    return bullets
