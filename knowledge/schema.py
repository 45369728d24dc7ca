"""The knowledge-base entry schema: what an editor writes in ``knowledge/kb/*.yaml``."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, model_validator

Category = Literal[
    "foerderung",
    "ozg",
    "bausteine",
    "digitallotsen",
    "land-bw",
    "netzwerk",
    "bot",
    "dienste",  # EfA/Fokusleistungen, service-bw, BundID/DeutschlandID, Register, EUDI wallet
    "sicherheit",  # information security, NIS2, CSBW, BSI
    "ki",  # AI in administration, EU AI Act
    "datenschutz",  # data protection for municipal digital projects
    "it-betrieb",  # Komm.ONE, 4IT, E-Rechnung, digital sovereignty, openDesk
]
Confidence = Literal["hoch", "mittel", "niedrig"]

# Entry ids travel inside Telegram callback data (≤ 64 bytes), so they are short ASCII slugs.
ENTRY_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{1,39}$"


class Source(BaseModel):
    """Where a fact comes from: a title and either a URL or the bot's own text.

    ``own_text`` names where a user finds the bot's own text (``/datenschutz``) when there is no
    external page; ``no_specific_page`` says plainly that a site has no page for the fact, only
    its start page (``kb check`` reports start-page URLs without it).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=3, max_length=200)
    url: HttpUrl | None = None
    own_text: str | None = Field(default=None, min_length=2, max_length=80)
    no_specific_page: bool = False

    @model_validator(mode="after")
    def _url_or_own_text(self) -> Source:
        if (self.url is None) == (self.own_text is None):
            raise ValueError("a source needs either url or own_text (the bot's own text), not both")
        if self.no_specific_page and self.url is None:
            raise ValueError("no_specific_page applies to a url")
        return self


class Entry(BaseModel):
    """One curated answer with its alternate questions, sources and date of information."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=ENTRY_ID_PATTERN)
    title: str = Field(min_length=3, max_length=80)
    category: Category
    questions: tuple[str, ...] = Field(min_length=3)
    answer: str = Field(min_length=20)
    detail: str | None = None
    sources: tuple[Source, ...] = Field(min_length=1)
    stand: dt.date
    valid_until: dt.date | None = None
    # When an editor must look at the entry again (at most 12 months ahead).
    review_by: dt.date | None = None
    confidence: Confidence = "hoch"
    related: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
