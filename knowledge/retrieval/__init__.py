"""Retrieval over the knowledge base: German-aware BM25 with calibrated answer/suggest/abstain.

Pure and in-memory: :meth:`Retriever.build` indexes entries once; ``search`` and ``decide`` do no
I/O. :func:`fit_calibration` refits the confidence model (``digilotse kb calibrate``).
"""

from knowledge.retrieval.calibration import CALIBRATION_PATH, Calibration, load_calibration
from knowledge.retrieval.corpus import CorpusSettings
from knowledge.retrieval.fitting import calibrate, fit_calibration, write_calibration
from knowledge.retrieval.lexicon import SYNONYMS_PATH, Lexicon, LexiconError, load_lexicon
from knowledge.retrieval.retriever import Decision, Outcome, Retriever, Scored

__all__ = [
    "CALIBRATION_PATH",
    "SYNONYMS_PATH",
    "Calibration",
    "CorpusSettings",
    "Decision",
    "Lexicon",
    "LexiconError",
    "Outcome",
    "Retriever",
    "Scored",
    "calibrate",
    "fit_calibration",
    "load_calibration",
    "load_lexicon",
    "write_calibration",
]
