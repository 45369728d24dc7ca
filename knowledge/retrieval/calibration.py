"""The fitted confidence model and decision thresholds, stored as data (``calibration.json``)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from knowledge.retrieval.features import FEATURES
from knowledge.retrieval.index import FloatArray

CALIBRATION_PATH = Path(__file__).resolve().parent / "calibration.json"


@dataclass(frozen=True)
class Calibration:
    """Logistic model P(candidate is the right entry | features) plus the decision thresholds.

    ``answer_threshold``/``answer_margin``: answer directly when the best candidate's confidence
    reaches the threshold and leads the runner-up by the margin. ``suggest_threshold``: below it,
    abstain. ``offer_threshold``: the least confidence for an entry to be offered as a suggestion
    or an alternative under an answer. ``sure_threshold``: below it, an answer says that it is
    not quite sure.
    """

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    answer_threshold: float
    answer_margin: float
    suggest_threshold: float
    offer_threshold: float
    sure_threshold: float = 0.7
    fitted_on: dict[str, Any] = field(default_factory=dict)

    def confidence(self, features: FloatArray) -> FloatArray:
        """Confidence in 0..1 for each row of ``features`` (columns as in FEATURES)."""
        weights, offset = self._linear
        logits = np.asarray(features, dtype=np.float64) @ weights + offset
        result: FloatArray = (1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))).astype(np.float32)
        return result

    @cached_property
    def _linear(self) -> tuple[npt.NDArray[np.float64], float]:
        """The standardisation folded into the coefficients: logit = x @ w + b."""
        coef = np.asarray(self.coef) / np.asarray(self.scale)
        return coef, self.intercept - float(np.asarray(self.mean) @ coef)

    def to_json(self) -> str:
        """Serialised form, stable for diffs."""
        return json.dumps(asdict(self), indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Calibration:
        """Parse :meth:`to_json` output; raises ValueError when it does not fit the features."""
        data = json.loads(text)
        for key in ("features", "mean", "scale", "coef"):
            data[key] = tuple(data[key])
        calibration = cls(**data)
        if calibration.features != FEATURES:
            raise ValueError(f"calibration was fitted for features {calibration.features}")
        return calibration


# Hand-set fallback used only when no calibration file exists yet (e.g. before the first
# ``digilotse kb calibrate``): answer on good coverage and a clear lead.
DEFAULT = Calibration(
    features=FEATURES,
    mean=(0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.0, 0.5, 0.0, 0.0),
    scale=(0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25),
    coef=(1.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 1.0, 0.0, 0.0, 0.0),
    intercept=-0.5,
    answer_threshold=0.7,
    answer_margin=0.1,
    suggest_threshold=0.3,
    # Alternatives are cheap (a button under the answer) and often hold the right entry when
    # the answer is wrong: offered from 0.05 (dev half: right entry in the reply 94.4 -> 95.4 %).
    offer_threshold=0.05,
    sure_threshold=0.8,
    fitted_on={"source": "default"},
)


def load_calibration(path: Path = CALIBRATION_PATH) -> Calibration:
    """The stored calibration, or :data:`DEFAULT` when the file is missing or outdated."""
    try:
        return Calibration.from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError, KeyError):
        return DEFAULT
