"""Render an entry as the Telegram-HTML message users see (shared by the bot and ``kb check``)."""

from __future__ import annotations

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


def render_answer(entry: Entry, *, detail: bool = False) -> str:
    """Return the answer (or, with ``detail``, the longer text) with title, sources and Stand."""
    body = entry.detail if detail and entry.detail else entry.answer
    return (
        _template()
        .render(entry=entry, body=body.strip(), caution=CAUTION.get(entry.confidence, ""))
        .strip()
    )
