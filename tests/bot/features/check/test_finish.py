"""The check's render processes: warming a new process, collecting garbage after a report."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from bot.features.check import finish
from bot.features.check.finish import _warm_worker
from bot.features.check.result import CheckOutcome
from tests.bot.check_sample import uneven_outcome
from tests.orphans import kill_bot, outliving


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


@pytest.fixture
def collecting() -> Iterator[None]:
    yield
    gc.enable()  # whatever the test left


@pytest.mark.usefixtures("collecting")
def test_report_process_collects_garbage_after_the_report_not_during_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The collector is paused while the report renders and resumed (with a collection) once
    the report is done."""
    during: list[bool] = []

    def report(outcome: CheckOutcome) -> tuple[str, bytes | None]:
        during.append(gc.isenabled())
        return "<html></html>", None

    monkeypatch.setattr(finish, "report_files", report)
    monkeypatch.setattr(finish, "COLLECT_AFTER_S", 0.0)
    assert finish.report_files_in_process(uneven_outcome()) == ("<html></html>", None)
    for thread in threading.enumerate():
        if isinstance(thread, threading.Timer):
            thread.join()
    assert during == [False]
    assert gc.isenabled()


KILLED_BOT = """
import multiprocessing, time
from bot.features.check.finish import warm_render_pool
warm_render_pool()
while len(multiprocessing.active_children()) < 2:
    time.sleep(0.05)
print(*(child.pid for child in multiprocessing.active_children()), flush=True)
time.sleep(600)
"""


def test_render_processes_end_when_the_bot_is_killed() -> None:
    """After ``kill -9`` of the bot nothing shuts its render pool down: the processes must end
    by themselves, or every crash leaves two idle interpreters behind."""
    workers = kill_bot(KILLED_BOT)
    assert len(workers) == 2

    # a process still warming up notices when it is done
    assert not outliving(workers, 60), "render processes outlived the bot"
