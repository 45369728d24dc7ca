"""Render an entry as the Telegram-HTML message users see (shared by the bot and ``kb check``)."""

from __future__ import annotations

from datetime import date
from functools import cache

import jinja2

from knowledge.schema import Entry

CAUTION = {
    "mittel": "Angaben teils unsicher – bitte vor Verwendung prüfen",
    "niedrig": "Angaben unsicher – bitte unbedingt prüfen",
}


@cache
def _template() -> jinja2.Template:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("knowledge", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        auto_reload=False,  # templates are content shipped with the code: no stat() per answer
    )
    return environment.get_template("answer.html.j2")


def review_due(entry: Entry, today: date | None) -> bool:
    """Whether ``entry.review_by`` has passed on ``today`` (never without a date)."""
    return today is not None and entry.review_by is not None and entry.review_by < today


def render_answer(entry: Entry, *, detail: bool = False, today: date | None = None) -> str:
    """Return the answer (or, with ``detail``, the longer text) with title, sources and Stand.

    With ``today`` past the entry's ``review_by``, a last line asks the reader to check the source.
    """
    body = entry.detail if detail and entry.detail else entry.answer
    return (
        _template()
        .render(
            entry=entry,
            body=body.strip(),
            caution=CAUTION.get(entry.confidence, ""),
            review_due=review_due(entry, today),
        )
        .strip()
    )
