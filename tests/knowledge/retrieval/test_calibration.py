"""Calibration: the stored model matches a refit, the fitting maths, thresholds, storage."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from knowledge.evaluation import load_question_set, tune_set
from knowledge.loader import load_entries
from knowledge.retrieval import (
    CALIBRATION_PATH,
    Calibration,
    Retriever,
    calibrate,
    load_calibration,
)
from knowledge.retrieval.calibration import DEFAULT
from knowledge.retrieval.fitting import fit_calibration, fit_logistic, load_oos_questions
from knowledge.retrieval.thresholds import (
    MAX_OUT_OF_SCOPE,
    MAX_WRONG,
    Costs,
    Sample,
    choose_thresholds,
)

DEV_PATH = Path(__file__).resolve().parents[2] / "data" / "kb_dev.yaml"
BLIND_PATH = Path(__file__).resolve().parents[2] / "data" / "kb_blind.yaml"
AGREEMENT = 0.97  # share of identical outcomes required between stored and refitted model


def test_stored_calibration_gives_the_same_decisions_as_a_refit_on_current_content() -> None:
    """Fails when the content changed without ``digilotse kb calibrate`` being run."""
    entries = load_entries().entries
    stored = load_calibration()
    assert stored is not DEFAULT, f"{CALIBRATION_PATH} is missing: run `digilotse kb calibrate`"
    refit = fit_calibration(entries, tune=tune_set(BLIND_PATH, "dev"))
    assert refit.fitted_on["tune"] == stored.fitted_on.get("tune"), "tune set changed: recalibrate"
    questions = load_question_set(DEV_PATH)
    texts = [item.question for item in questions.in_scope] + list(questions.out_of_scope)
    old, new = (
        Retriever.build(entries, calibration=stored),
        Retriever.build(entries, calibration=refit),
    )
    same = sum(old.decide(q).outcome == new.decide(q).outcome for q in texts)
    assert same / len(texts) >= AGREEMENT, "calibration is stale: run `digilotse kb calibrate`"
    assert abs(stored.answer_threshold - refit.answer_threshold) <= 0.1
    assert abs(stored.suggest_threshold - refit.suggest_threshold) <= 0.1


def test_out_of_scope_calibration_questions_are_plentiful() -> None:
    questions = load_oos_questions()
    assert len(questions) >= 80
    assert len(set(questions)) == len(questions)


def test_logistic_fit_recovers_known_coefficients() -> None:
    rng = np.random.default_rng(7)
    x = rng.normal(size=(4000, 2)).astype(np.float32)
    p = 1 / (1 + np.exp(-(0.5 + 2.0 * x[:, 0] - 1.0 * x[:, 1])))
    y = (rng.random(4000) < p).astype(np.float32)
    mean, scale, coef, intercept = fit_logistic(
        x, y, np.ones(4000, dtype=np.float32), l2=0.0, monotone=False
    )
    raw = np.asarray(coef) / np.asarray(scale)
    assert raw == pytest.approx([2.0, -1.0], abs=0.2)
    assert intercept - float(np.asarray(mean) @ raw) == pytest.approx(0.5, abs=0.2)


def test_monotone_fit_never_lets_more_evidence_lower_the_confidence() -> None:
    rng = np.random.default_rng(8)
    x = rng.normal(size=(4000, 2)).astype(np.float32)
    p = 1 / (1 + np.exp(-(2.0 * x[:, 0] - 1.0 * x[:, 1])))
    y = (rng.random(4000) < p).astype(np.float32)
    _, _, coef, _ = fit_logistic(x, y, np.ones(4000, dtype=np.float32))
    assert coef[0] > 0
    assert coef[1] == 0


def test_thresholds_answer_confident_questions_and_abstain_out_of_scope() -> None:
    samples = (
        [Sample((0.95, 0.1), 0, False, 1.0)] * 20  # confident and right
        + [Sample((0.5, 0.45), 1, False, 1.0)] * 10  # close call, right one second
        + [Sample((0.2, 0.1), None, True, 1.0)] * 20  # out of scope, weak
    )
    chosen = choose_thresholds(samples, Costs(), offer=0.15)
    assert 0.5 < chosen.answer <= 0.95
    assert 0.2 < chosen.suggest <= 0.5
    assert chosen.cost == pytest.approx(10 * Costs().suggest_hit / 50)


def test_calibrate_stores_what_it_fitted(tmp_path: Path) -> None:
    entries = load_entries().entries[:12]
    path = tmp_path / "calibration.json"
    fitted = calibrate(entries, path)
    assert load_calibration(path) == fitted
    assert fitted.fitted_on["entries"] == 12
    assert 0 < fitted.suggest_threshold <= fitted.answer_threshold < 1


def test_calibration_round_trips_through_json() -> None:
    assert Calibration.from_json(DEFAULT.to_json()) == DEFAULT


def test_missing_or_outdated_calibration_file_falls_back_to_default(tmp_path: Path) -> None:
    assert load_calibration(tmp_path / "missing.json") is DEFAULT
    outdated = tmp_path / "old.json"
    outdated.write_text(DEFAULT.to_json().replace('"coverage"', '"something-else"'))
    assert load_calibration(outdated) is DEFAULT


def test_confidence_is_a_probability() -> None:
    features = np.random.default_rng(1).normal(scale=10, size=(50, len(DEFAULT.features)))
    confidence = load_calibration().confidence(features.astype(np.float32))
    assert np.all((confidence >= 0) & (confidence <= 1))


def test_thresholds_keep_wrong_answers_to_real_questions_within_the_cap() -> None:
    """Answering a 0.6 candidate would be cheap on cost, but 10 % of real questions go wrong."""
    samples = (
        [Sample((0.95, 0.1), 0, False, 1.0, real=True)] * 60
        + [Sample((0.6, 0.1), 0, False, 1.0, real=True)] * 30
        + [Sample((0.6, 0.5), 1, False, 1.0, real=True)] * 10  # wrong first, right shown
    )
    chosen = choose_thresholds(samples, Costs(), offer=0.15)
    answered_wrong = [
        s
        for s in samples[90:]
        if s.confidences[0] >= chosen.answer
        and s.confidences[0] - s.confidences[1] >= chosen.margin
    ]
    assert len(answered_wrong) / len(samples) <= MAX_WRONG
    assert chosen.answer <= 0.6  # the clear 0.6 questions are still answered


def test_thresholds_keep_answered_out_of_scope_questions_within_the_cap() -> None:
    """Answering at 0.6 pays off on cost (many right answers), but 10 % of out-of-scope go too."""
    samples = (
        [Sample((0.6, 0.1), 0, False, 1.0, real=True)] * 90
        + [Sample((0.6, 0.1), None, True, 1.0)] * 2  # out of scope, as confident as the right
        + [Sample((0.1, 0.05), None, True, 1.0)] * 18
    )
    chosen = choose_thresholds(samples, Costs(), offer=0.15)
    answered = [s for s in samples[90:] if s.confidences[0] >= chosen.answer]
    assert len(answered) / 20 <= MAX_OUT_OF_SCOPE
    assert chosen.answer > 0.6


def test_the_sure_threshold_marks_where_answers_are_almost_always_right() -> None:
    samples = [Sample((0.9, 0.0), 0, False, 1.0)] * 50 + [Sample((0.6, 0.0), 1, False, 1.0)] * 20
    chosen = choose_thresholds(samples, Costs(), offer=0.15)
    assert 0.6 < chosen.sure <= 0.9
