"""An on-disk cache of the trained embedded model, keyed by the training data and the code.

Training takes about a second; loading the cached weights a few milliseconds. The key hashes the
NLU files' bytes, the training settings and the source of the modules that shape the features,
so any change to data or featurisation retrains.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

import numpy as np

from nlu.classifier import LinearClassifier
from nlu.features import Vocabulary

logger = logging.getLogger(__name__)

_CODE_FILES = ("text.py", "entities.py", "features.py", "classifier.py", "embedded.py")


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/digilotse/nlu`` (``~/.cache/digilotse/nlu`` when unset)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "digilotse" / "nlu"


def cache_key(data_files: Iterable[Path], settings: object) -> str:
    """Hash the data files, the settings' repr and this package's featurisation code."""
    digest = hashlib.sha256(repr(settings).encode())
    code_dir = Path(__file__).parent
    for path in [*sorted(data_files), *(code_dir / name for name in _CODE_FILES)]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:24]


def load(directory: Path, key: str) -> tuple[Vocabulary, LinearClassifier] | None:
    """Return the cached model for ``key``, or None when absent or unreadable."""
    arrays_path, meta_path = _paths(directory, key)
    if not (arrays_path.exists() and meta_path.exists()):
        return None
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        with np.load(arrays_path) as arrays:
            idf, weights, bias = arrays["idf"], arrays["weights"], arrays["bias"]
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        logger.info("NLU model cache entry %s unreadable; retraining", key)
        return None
    features, labels = meta.get("features", []), meta.get("labels", [])
    if weights.shape != (len(features), len(labels)) or idf.shape != (len(features),):
        logger.info("NLU model cache entry %s inconsistent; retraining", key)
        return None
    vocabulary = Vocabulary({f: i for i, f in enumerate(features)}, idf)
    return vocabulary, LinearClassifier(tuple(labels), weights, bias)


def store(directory: Path, key: str, vocabulary: Vocabulary, classifier: LinearClassifier) -> None:
    """Write the model for ``key`` atomically; a read-only cache only costs a log line."""
    arrays_path, meta_path = _paths(directory, key)
    features = sorted(vocabulary.index, key=vocabulary.index.__getitem__)
    meta = {"labels": list(classifier.labels), "features": features}
    try:
        directory.mkdir(parents=True, exist_ok=True)
        _atomic_write(arrays_path, lambda f: _save_arrays(f, vocabulary, classifier))
        _atomic_write(meta_path, lambda f: f.write(json.dumps(meta).encode()))
    except OSError as exc:
        logger.warning("cannot write the NLU model cache in %s: %s", directory, exc)


def _paths(directory: Path, key: str) -> tuple[Path, Path]:
    return directory / f"embedded-{key}.npz", directory / f"embedded-{key}.json"


def _save_arrays(handle: BinaryIO, vocabulary: Vocabulary, classifier: LinearClassifier) -> None:
    np.savez(handle, idf=vocabulary.idf, weights=classifier.weights, bias=classifier.bias)


def _atomic_write(path: Path, write: Callable[[BinaryIO], object]) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
