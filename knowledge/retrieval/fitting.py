"""Fit the confidence model and thresholds (``digilotse kb calibrate``).

Data: every alternate question is asked against an index that does not contain it (5 folds:
fold f holds out question f, f+5, … of every entry), giving candidates that are right or wrong;
the out-of-scope questions of ``calibration_oos.yaml`` give candidates that are all wrong. A
:class:`TuneSet` adds questions as people really ask them (the dev half of the blind evaluation
set), weighted up because they are what the bot will meet. A weighted logistic regression over
the candidate features estimates P(candidate is right); the thresholds then minimise the
expected cost of the decisions (see :class:`Costs`) on the same data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt
import yaml

from knowledge.retrieval.calibration import CALIBRATION_PATH, DEFAULT, Calibration
from knowledge.retrieval.corpus import CorpusSettings
from knowledge.retrieval.index import FloatArray
from knowledge.retrieval.lexicon import SYNONYMS_PATH
from knowledge.retrieval.retriever import MAX_SUGGESTIONS, Retriever
from knowledge.retrieval.thresholds import Costs, Sample, choose_thresholds
from knowledge.schema import Entry

OOS_PATH = Path(__file__).resolve().parent / "calibration_oos.yaml"
FOLDS = 5
ROWS_PER_QUESTION = 5  # candidates per question used for fitting (best fused scores)
OOS_SHARE = 0.3  # assumed share of out-of-scope questions in real traffic
L2 = 1.0  # ridge penalty on the standardised coefficients
TUNE_WEIGHT = 2.0  # a real question counts this much more than a content-derived one


@dataclass(frozen=True)
class TuneSet:
    """Real questions to fit on: (question, ids of the entries that answer it), out-of-scope."""

    in_scope: tuple[tuple[str, frozenset[str]], ...] = ()
    out_of_scope: tuple[str, ...] = ()

    def fingerprint(self) -> str:
        """Short hash, stored with the calibration so a changed tune set shows as stale."""
        text = repr((sorted((q, sorted(ids)) for q, ids in self.in_scope), self.out_of_scope))
        return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Rows:
    """Training rows: candidate features, whether the candidate is right, question weight."""

    features: FloatArray
    right: FloatArray
    weight: FloatArray


def fit_calibration(
    entries: Sequence[Entry],
    synonyms_path: Path = SYNONYMS_PATH,
    oos_path: Path = OOS_PATH,
    settings: CorpusSettings | None = None,
    costs: Costs | None = None,
    tune: TuneSet | None = None,
) -> Calibration:
    """Fit the confidence model and decision thresholds on the current content."""
    settings, tune = settings or CorpusSettings(), tune or TuneSet()
    in_scope = _held_out_candidates(entries, synonyms_path, settings)
    full = Retriever.build(entries, synonyms_path, DEFAULT, settings)
    ids = {entry.id: i for i, entry in enumerate(entries)}
    real = [
        _candidates(full, q, frozenset(ids[i] for i in accepted if i in ids), real=True)
        for q, accepted in tune.in_scope
    ]
    in_scope.extend(real)
    oos_questions = [*load_oos_questions(oos_path), *tune.out_of_scope]
    oos = [_candidates(full, question, frozenset()) for question in oos_questions]
    rows = _rows(in_scope, oos)
    mean, scale, coef, intercept = fit_logistic(rows.features, rows.right, rows.weight)
    model = replace(DEFAULT, mean=mean, scale=scale, coef=coef, intercept=intercept)
    chosen = choose_thresholds(
        _samples(model, in_scope, oos), costs or Costs(), model.offer_threshold
    )
    fitted_on = {
        "entries": len(entries),
        "questions": len(in_scope),
        "out_of_scope": len(oos_questions),
        "content": content_hash(entries),
        "synonyms": hashlib.sha256(synonyms_path.read_bytes()).hexdigest()[:16],
        "tuned_on": len(tune.in_scope) + len(tune.out_of_scope),
        "tune": tune.fingerprint(),
        "expected_cost": round(chosen.cost, 4),
    }
    return replace(
        model,
        answer_threshold=chosen.answer,
        answer_margin=chosen.margin,
        suggest_threshold=chosen.suggest,
        sure_threshold=chosen.sure,
        fitted_on=fitted_on,
    )


def calibrate(
    entries: Sequence[Entry],
    path: Path = CALIBRATION_PATH,
    synonyms_path: Path = SYNONYMS_PATH,
    tune: TuneSet | None = None,
) -> Calibration:
    """Fit on ``entries`` and store the result (what ``digilotse kb calibrate`` runs)."""
    calibration = fit_calibration(entries, synonyms_path, tune=tune)
    write_calibration(calibration, path)
    return calibration


def write_calibration(calibration: Calibration, path: Path = CALIBRATION_PATH) -> Path:
    """Store ``calibration`` as JSON (what :func:`load_calibration` reads)."""
    path.write_text(calibration.to_json(), encoding="utf-8")
    return path


def content_hash(entries: Sequence[Entry]) -> str:
    """Short fingerprint of the searchable content, to tell whether a calibration is stale."""
    digest = hashlib.sha256()
    for entry in sorted(entries, key=lambda e: e.id):
        digest.update(
            repr(
                (entry.id, entry.title, entry.questions, entry.tags, entry.answer, entry.detail)
            ).encode()
        )
    return digest.hexdigest()[:16]


def load_oos_questions(path: Path = OOS_PATH) -> list[str]:
    """The out-of-scope calibration questions."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [str(q) for q in data.get("questions") or ()]


@dataclass(frozen=True)
class Labelled:
    """Features of a question's candidates, which of them are right, the question's weight."""

    rows: list[FloatArray]
    right: frozenset[int]
    weight: float = 1.0
    real: bool = False  # asked as people ask (the tune set), not derived from the content


def _candidates(
    retriever: Retriever, question: str, expect: frozenset[int], real: bool = False
) -> Labelled:
    ranked = sorted(retriever.candidates(question), key=lambda c: -c.fused)[:ROWS_PER_QUESTION]
    right = frozenset(i for i, c in enumerate(ranked) if c.index in expect)
    weight = TUNE_WEIGHT if real else 1.0
    return Labelled([c.features for c in ranked], right, weight, real)


def _held_out_candidates(
    entries: Sequence[Entry], synonyms_path: Path, settings: CorpusSettings
) -> list[Labelled]:
    labelled: list[Labelled] = []
    for fold in range(FOLDS):
        held = [[q for i, q in enumerate(e.questions) if i % FOLDS == fold] for e in entries]
        reduced = [
            e.model_copy(
                update={
                    "questions": tuple(q for i, q in enumerate(e.questions) if i % FOLDS != fold)
                }
            )
            for e in entries
        ]
        retriever = Retriever.build(reduced, synonyms_path, DEFAULT, settings)
        for index, questions in enumerate(held):
            labelled.extend(_candidates(retriever, q, frozenset({index})) for q in questions)
    return labelled


def _oos_weight(in_scope: list[Labelled], oos: list[Labelled]) -> float:
    """Weight of one out-of-scope question, so they make up OOS_SHARE of the total weight."""
    total = sum(item.weight for item in in_scope)
    return OOS_SHARE / (1 - OOS_SHARE) * total / max(len(oos), 1)


def _rows(in_scope: list[Labelled], oos: list[Labelled]) -> Rows:
    oos_weight = _oos_weight(in_scope, oos)
    features: list[FloatArray] = []
    right: list[float] = []
    weight: list[float] = []
    for group, is_oos in ((in_scope, False), (oos, True)):
        for item in group:
            features.extend(item.rows)
            right.extend(float(i in item.right) for i in range(len(item.rows)))
            weight.extend([oos_weight if is_oos else item.weight] * len(item.rows))
    return Rows(np.vstack(features).astype(np.float64), np.asarray(right), np.asarray(weight))


def _samples(model: Calibration, in_scope: list[Labelled], oos: list[Labelled]) -> list[Sample]:
    oos_weight = _oos_weight(in_scope, oos)
    samples = []
    for group, is_oos in ((in_scope, False), (oos, True)):
        for item in group:
            weight = oos_weight if is_oos else item.weight
            if not item.rows:
                samples.append(Sample((), None, is_oos, weight, item.real))
                continue
            conf = model.confidence(np.vstack(item.rows))
            order = np.argsort(-conf, kind="stable")[: max(MAX_SUGGESTIONS, 2)]
            ranked = tuple(float(conf[i]) for i in order)
            right = next((k for k, i in enumerate(order) if i in item.right), None)
            samples.append(Sample(ranked, right, is_oos, weight, item.real))
    return samples


def fit_logistic(
    x: FloatArray, y: FloatArray, w: FloatArray, l2: float = L2, monotone: bool = True
) -> tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...], float]:
    """Weighted L2-regularised logistic regression on standardised features.

    With ``monotone``, every coefficient is kept >= 0 (each feature is evidence *for* an entry,
    so more of it must never lower the confidence): features whose coefficient comes out
    negative are dropped one at a time and the rest refitted (active set). Returns
    (mean, scale, coefficients, intercept).
    """
    mean = np.average(x, axis=0, weights=w)
    scale = np.sqrt(np.average((x - mean) ** 2, axis=0, weights=w))
    scale[scale < 1e-6] = 1.0
    z = (x - mean) / scale
    active = list(range(x.shape[1]))
    while True:
        beta = _newton(np.hstack([np.ones((len(x), 1)), z[:, active]]), y, w, l2)
        worst = int(np.argmin(beta[1:]))
        if not monotone or beta[1:][worst] >= 0 or len(active) == 1:
            break
        del active[worst]
    coef = np.zeros(x.shape[1])
    coef[active] = beta[1:]
    return (
        tuple(round(float(v), 6) for v in mean),
        tuple(round(float(v), 6) for v in scale),
        tuple(round(float(v), 6) for v in coef),
        round(float(beta[0]), 6),
    )


def _newton(
    z: npt.NDArray[np.float64], y: FloatArray, w: FloatArray, l2: float, iterations: int = 50
) -> npt.NDArray[np.float64]:
    """Newton steps for the weighted logistic loss (column 0 of ``z``: the unpenalised bias)."""
    beta = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ beta, -30, 30)))
        gradient = z.T @ (w * (p - y)) + penalty * beta
        hessian = (z * (w * p * (1 - p))[:, None]).T @ z + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return beta
