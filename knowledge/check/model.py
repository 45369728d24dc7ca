"""The questionnaire schema: what an editor writes in ``knowledge/check/questionnaire.yaml``."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

QUESTIONNAIRE_FILE = Path(__file__).resolve().parent / "questionnaire.yaml"
OPTION_COUNT = 5
LEVELS = range(5)
ID_PATTERN = r"^[A-Za-z0-9]{1,16}$"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Level(_Frozen):
    """A maturity level 0–4 with its name (``Etabliert``)."""

    level: int = Field(ge=0, le=4)
    name: str = Field(min_length=3, max_length=40)
    description: str = Field(min_length=5)


class Band(_Frozen):
    """A recommendation band covering some levels (``grundlagen``: 0 and 1)."""

    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=3)
    levels: tuple[int, ...] = Field(min_length=1)


class Recommendation(_Frozen):
    """What to do in a dimension within one band: a lead sentence and concrete next steps."""

    text: str = Field(min_length=10)
    steps: tuple[str, ...] = Field(min_length=1, max_length=4)
    months: int = Field(default=6, ge=1, le=36)  # "bis wann", counted from the check's date
    effort: Literal["gering", "mittel", "hoch"] = "mittel"


class Dimension(_Frozen):
    """One of the eight fields; ``fundament`` dimensions fall under the Fundament-Regel."""

    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=3, max_length=40)
    fundament: bool = False
    baustein: int
    weight: float = Field(default=1.0, gt=0)
    owner: str = Field(default="Verwaltungsspitze", min_length=3, max_length=80)
    funding: str | None = Field(default=None, max_length=200)  # None: "keine bekannt"
    recommendations: dict[str, Recommendation]


class Question(_Frozen):
    """A scored question: five behaviourally anchored options scoring 0–4."""

    id: str = Field(pattern=ID_PATTERN)
    dimension: str
    text: str = Field(min_length=10, max_length=300)
    help: str = Field(min_length=10, max_length=200)  # shown as a toast: Telegram allows 200
    options: tuple[str, ...]


class ContextQuestion(_Frozen):
    """An unscored single-choice question about the municipality or the respondent."""

    id: str = Field(pattern=ID_PATTERN)
    text: str = Field(min_length=10, max_length=300)
    options: tuple[str, ...] = Field(min_length=2, max_length=8)


class Lebensbereich(_Frozen):
    """A field of local life the municipality can prioritise (input for Baustein 3)."""

    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=3, max_length=40)


class Questionnaire(_Frozen):
    """The whole, versioned questionnaire."""

    version: str = Field(min_length=1, max_length=16)
    default_target: int = Field(ge=0, le=4)
    levels: tuple[Level, ...]
    bands: tuple[Band, ...]
    bausteine: dict[int, str]
    lebensbereiche: tuple[Lebensbereich, ...] = Field(min_length=2)
    max_lebensbereiche: int = Field(ge=1)
    context: tuple[ContextQuestion, ...]
    dimensions: tuple[Dimension, ...] = Field(min_length=1)
    questions: tuple[Question, ...] = Field(min_length=1)

    def dimension(self, dimension_id: str) -> Dimension:
        """The dimension with this id (``KeyError`` if unknown)."""
        for dimension in self.dimensions:
            if dimension.id == dimension_id:
                return dimension
        raise KeyError(dimension_id)

    def level_name(self, level: int) -> str:
        """The name of a level 0–4."""
        return next(item.name for item in self.levels if item.level == level)

    def band_for(self, level: int) -> Band:
        """The recommendation band that covers ``level``."""
        return next(band for band in self.bands if level in band.levels)

    def questions_of(self, dimension_id: str) -> tuple[Question, ...]:
        """The questions of one dimension, in questionnaire order."""
        return tuple(q for q in self.questions if q.dimension == dimension_id)


def parse_questionnaire(text: str) -> Questionnaire:
    """Parse and validate the YAML text of a questionnaire (``pydantic.ValidationError``)."""
    return Questionnaire.model_validate(yaml.safe_load(text))


@cache
def load_questionnaire(path: Path = QUESTIONNAIRE_FILE) -> Questionnaire:
    """Read the questionnaire file once."""
    return parse_questionnaire(path.read_text(encoding="utf-8"))
