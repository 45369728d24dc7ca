"""The check's render processes: warming a new process before its first result."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from bot.features.check.finish import _warm_worker


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


@pytest.mark.usefixtures("unfrozen")
def test_warmed_render_process_keeps_its_loaded_objects_out_of_collections() -> None:
    """After the sample render, modules and caches are frozen, so a report's collections
    only scan what that report made."""
    _warm_worker()
    assert gc.get_freeze_count() > 0
