"""Content checks for the knowledge base: everything ``digilotse kb check`` reports.

Each check is a small function over the loaded entries (:class:`~knowledge.loader.EntrySite`)
that returns :class:`~knowledge.loader.Problem` objects pointing at a file and line.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Collection, Hashable, Sequence
from datetime import date
from pathlib import Path

from knowledge.check.model import Questionnaire, load_questionnaire
from knowledge.check.validate import check_questionnaire
from knowledge.loader import (
    KB_DIR,
    EntrySite,
    LoadResult,
    Location,
    Problem,
    load_entries,
)
from knowledge.markup import TELEGRAM_LIMIT, find_html_errors, visible_length
from knowledge.memo import VersionMemo
from knowledge.near_duplicates import Pair, near_duplicate_pairs
from knowledge.render import render_answer
from knowledge.validate_currency import check_check_entry, check_review_by, check_source_pages

ANSWER_BUDGET = 700
DETAIL_BUDGET = 2500
NEAR_DUPLICATE_RATIO = 90

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
# the checks of one entry that depend on nothing else (not on today): kept between reloads
_ENTRY_PROBLEMS: VersionMemo[Hashable, tuple[Problem, ...]] = VersionMemo()
_NORMALISED: VersionMemo[str, str] = VersionMemo()  # question → normalise(question)
_PAIRS: VersionMemo[tuple[tuple[str, ...], int], list[Pair]] = VersionMemo()  # by all questions


def check_knowledge(kb_dir: Path = KB_DIR, today: date | None = None) -> list[Problem]:
    """Load ``kb_dir`` and return every content problem, sorted by file and line."""
    return check_loaded(load_entries(kb_dir), today)


def check_loaded(
    result: LoadResult, today: date | None = None, questionnaire: Questionnaire | None = None
) -> list[Problem]:
    """Every content problem of already loaded entries, sorted by file and line.

    ``questionnaire``: check the entries against this one (the running bot's, which a content
    reload keeps) instead of reading and checking the questionnaire file again.
    """
    problems = result.problems + check_sites(result.sites, today or date.today(), result.failed_ids)
    if questionnaire is None:
        questionnaire_problems = check_questionnaire()  # the Digitalisierungs-Check
        problems += questionnaire_problems
        if not questionnaire_problems:
            questionnaire = load_questionnaire()
    if questionnaire is not None:
        problems += [p for site in result.sites for p in check_check_entry(site, questionnaire)]
    return sorted(problems, key=lambda p: (str(p.location.path), p.location.line))


def check_sites(
    sites: Sequence[EntrySite], today: date, failed_ids: Collection[str] = ()
) -> list[Problem]:
    """Run every check on entries that passed the schema (``failed_ids``: those that did not)."""
    problems = check_duplicate_ids(sites) + check_duplicate_titles(sites)
    problems += check_near_duplicate_questions(sites)
    problems += check_related(sites, failed_ids)
    _ENTRY_PROBLEMS.next_run()
    for site in sites:
        problems += _ENTRY_PROBLEMS.get(_site_key(site), functools.partial(check_texts, site))
        problems += check_dates(site, today) + check_review_by(site, today)
        problems += check_source_urls(site) + check_source_pages(site)
    return problems


def check_texts(site: EntrySite) -> tuple[Problem, ...]:
    """Markup, length and rendering of one entry: they depend on it and its lines alone (and
    take most of the checks' time, so a reload reuses them for unchanged entries)."""
    return (*check_markup(site), *check_lengths(site), *check_rendered(site))


def _site_key(site: EntrySite) -> Hashable:
    """Everything :func:`check_texts` reads: the entry (compared field by field) and its lines."""
    lines = (tuple(site.field_lines.items()), tuple(site.item_lines.items()))
    return site.entry, site.location, lines, site.literal_fields


def normalise(text: str) -> str:
    """Lower-case, umlauts folded (ä → ae, ß → ss), accents and punctuation removed."""
    folded = unicodedata.normalize("NFKD", text.lower().translate(_FOLD))
    letters = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", letters).split())


def _where(site: EntrySite, field: str, index: int | None = None) -> Location:
    """The line of ``field`` (or of its item ``index``), falling back to the entry's start."""
    items = site.item_lines.get(field, ())
    if index is not None and index < len(items):
        return Location(site.location.path, items[index])
    return Location(site.location.path, site.field_lines.get(field, site.location.line))


def _say(site: EntrySite, message: str) -> str:
    return f"[{site.entry.id}] {message}"


def check_duplicate_ids(sites: Sequence[EntrySite]) -> list[Problem]:
    """An id used by more than one entry, reported at each of them."""
    groups: defaultdict[str, list[EntrySite]] = defaultdict(list)
    for site in sites:
        groups[site.entry.id].append(site)
    return [
        Problem(
            _where(site, "id"), _say(site, f"duplicate id, also used at {_others(site, group)}")
        )
        for group in groups.values()
        if len(group) > 1
        for site in group
    ]


def check_duplicate_titles(sites: Sequence[EntrySite]) -> list[Problem]:
    """Entries whose titles are identical after normalising, reported at each of them."""
    groups: defaultdict[str, list[EntrySite]] = defaultdict(list)
    for site in sites:
        groups[normalise(site.entry.title)].append(site)
    return [
        Problem(
            _where(site, "title"),
            _say(site, f"title {site.entry.title!r} is also used at {_others(site, group)}"),
        )
        for group in groups.values()
        if len(group) > 1
        for site in group
    ]


def _others(site: EntrySite, group: list[EntrySite]) -> str:
    return ", ".join(f"{other.location} ({other.entry.id})" for other in group if other is not site)


def check_near_duplicate_questions(
    sites: Sequence[EntrySite], threshold: int = NEAR_DUPLICATE_RATIO
) -> list[Problem]:
    """Questions of different entries with ``fuzz.ratio`` ≥ ``threshold`` on normalised text.

    Pairs that differ in their numbers ("Runde 2" / "Runde 3") are distinct questions and pass.
    Within one entry only exact repeats (after normalising) are reported.
    """
    refs = [(site, i) for site in sites for i in range(len(site.entry.questions))]
    _NORMALISED.next_run()
    texts = tuple(_normalised(site.entry.questions[i]) for site, i in refs)
    _PAIRS.next_run()
    pairs = _PAIRS.get(
        (texts, threshold), functools.partial(near_duplicate_pairs, texts, threshold)
    )
    problems: list[Problem] = []
    for a, b, ratio in pairs:
        if refs[a][0] is refs[b][0] and texts[a] != texts[b]:
            continue
        score = round(ratio)
        problems += [
            _question_pair(refs[a], refs[b], score),
            _question_pair(refs[b], refs[a], score),
        ]
    return problems


def _near_duplicate_pairs(texts: tuple[str, ...], threshold: int) -> list[Pair]:
    """The pairs, scored only when some question changed since the last check."""
    _PAIRS.next_run()
    return _PAIRS.get((texts, threshold), functools.partial(near_duplicate_pairs, texts, threshold))


def _normalised(question: str) -> str:
    return _NORMALISED.get(question, functools.partial(normalise, question))


def _question_pair(ref: tuple[EntrySite, int], other: tuple[EntrySite, int], score: int) -> Problem:
    (site, index), (other_site, other_index) = ref, other
    question, other_question = site.entry.questions[index], other_site.entry.questions[other_index]
    where = _where(other_site, "questions", other_index)
    kind = "repeats" if site is other_site else f"is a near-duplicate (ratio {score}) of"
    message = f"question {question!r} {kind} {other_question!r} at {where}"
    if site is not other_site:
        message += f" ({other_site.entry.id})"
    return Problem(_where(site, "questions", index), _say(site, message))


def check_related(sites: Sequence[EntrySite], failed_ids: Collection[str] = ()) -> list[Problem]:
    """``related`` ids that do not exist, point to the entry itself or repeat."""
    known = {site.entry.id for site in sites} | set(failed_ids)
    problems = []
    for site in sites:
        seen: set[str] = set()
        for index, target in enumerate(site.entry.related):
            message = None
            if target == site.entry.id:
                message = "related lists the entry itself"
            elif target not in known:
                message = f"related id {target!r} does not exist"
            elif target in seen:
                message = f"related lists {target!r} twice"
            seen.add(target)
            if message:
                problems.append(Problem(_where(site, "related", index), _say(site, message)))
    return problems


def check_markup(site: EntrySite) -> list[Problem]:
    """``answer`` and ``detail`` must be valid Telegram HTML; ``|`` blocks get the exact line."""
    problems = []
    for field in ("answer", "detail"):
        text = getattr(site.entry, field)
        for error in find_html_errors(text or ""):
            where = _where(site, field)
            if field in site.literal_fields:
                where = Location(where.path, where.line + 1 + text.count("\n", 0, error.offset))
            message = f"{field} is not valid Telegram HTML: {error.message}"
            problems.append(Problem(where, _say(site, message)))
    return problems


def check_lengths(site: EntrySite) -> list[Problem]:
    """The length budget: answer at most 700, detail at most 2500 visible characters."""
    problems = []
    for field, budget in (("answer", ANSWER_BUDGET), ("detail", DETAIL_BUDGET)):
        length = visible_length((getattr(site.entry, field) or "").strip())
        if length > budget:
            message = f"{field} is {length} visible characters, budget is {budget}"
            problems.append(Problem(_where(site, field), _say(site, message)))
    return problems


def check_rendered(site: EntrySite) -> list[Problem]:
    """The message as the bot sends it (``render_answer``) must fit Telegram and be valid HTML.

    Invalid HTML is only reported here when the field itself is valid (else it is a template or
    title problem); the field's own errors come from :func:`check_markup`.
    """
    problems = []
    for field in ("answer", "detail") if site.entry.detail else ("answer",):
        # date.max: measured with the "bitte an der Quelle prüfen" line, the longest form
        html = render_answer(site.entry, detail=field == "detail", today=date.max)
        length = visible_length(html)
        if length > TELEGRAM_LIMIT:
            message = f"{field} as rendered is {length} visible characters, limit {TELEGRAM_LIMIT}"
            problems.append(Problem(_where(site, field), _say(site, message)))
        if not find_html_errors(getattr(site.entry, field)):
            problems += [
                Problem(site.location, _say(site, f"rendered {field}: {error.message}"))
                for error in find_html_errors(html)
            ]
    return problems


def check_dates(site: EntrySite, today: date) -> list[Problem]:
    """``valid_until`` must not have passed, ``stand`` must not lie in the future."""
    entry, problems = site.entry, []
    if entry.valid_until is not None and entry.valid_until < today:
        message = f"valid_until {entry.valid_until} has passed (today is {today})"
        problems.append(Problem(_where(site, "valid_until"), _say(site, message)))
    if entry.valid_until is not None and entry.valid_until < entry.stand:
        message = f"valid_until {entry.valid_until} is before stand {entry.stand}"
        problems.append(Problem(_where(site, "valid_until"), _say(site, message)))
    if entry.stand > today:
        message = f"stand {entry.stand} is in the future (today is {today})"
        problems.append(Problem(_where(site, "stand"), _say(site, message)))
    return problems


def check_source_urls(site: EntrySite) -> list[Problem]:
    """Every source URL must use https."""
    return [
        Problem(_where(site, "sources", index), _say(site, f"source URL {source.url} is not https"))
        for index, source in enumerate(site.entry.sources)
        if source.url is not None and source.url.scheme != "https"
    ]
