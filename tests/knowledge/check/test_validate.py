"""The questionnaire file is complete and the validator finds broken ones."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from knowledge.check.model import QUESTIONNAIRE_FILE, load_questionnaire
from knowledge.check.validate import check_questionnaire


def test_shipped_questionnaire_is_valid_with_30_questions_in_8_dimensions() -> None:
    assert check_questionnaire() == []
    questionnaire = load_questionnaire()
    assert len(questionnaire.questions) == 30
    assert len(questionnaire.dimensions) == 8
    assert all(len(q.options) == 5 for q in questionnaire.questions)


def _broken(tmp_path: Path, change: object) -> list[str]:
    data = yaml.safe_load(QUESTIONNAIRE_FILE.read_text(encoding="utf-8"))
    change(data)  # type: ignore[operator]
    path = tmp_path / "q.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return [problem.message for problem in check_questionnaire(path)]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(
            lambda d: d["questions"][0]["options"].pop(), "5 scored options", id="four-options"
        ),
        pytest.param(
            lambda d: d["dimensions"][0]["recommendations"].pop("ausbauen"),
            "no texts for bands",
            id="band-missing",
        ),
        pytest.param(
            lambda d: d["questions"][0].update(dimension="nirgends"),
            "unknown dimension",
            id="dangling-dimension",
        ),
        pytest.param(
            lambda d: d["dimensions"][0].update(baustein=9),
            "unknown Baustein",
            id="dangling-baustein",
        ),
        pytest.param(
            lambda d: d["questions"][1].update(id="S1"), "duplicate question", id="duplicate-id"
        ),
        pytest.param(lambda d: d["bands"][0].update(levels=[0]), "cover each level", id="band-gap"),
        pytest.param(
            lambda d: d["questions"][0].update(text="<b>Strategie?</b> ja"),
            "no markup",
            id="markup",
        ),
        pytest.param(
            lambda d: d["questions"][0].update(help="x" * 201),
            "at most 200 characters",
            id="help-longer-than-a-toast",
        ),
    ],
)
def test_broken_questionnaire_is_reported(tmp_path: Path, change: object, message: str) -> None:
    problems = _broken(tmp_path, change)
    assert any(message in problem for problem in problems), problems
