"""A broadcast end to end: ``digilotse run`` as a subprocess, the stand-in enforcing 30 msg/s."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.broadcast_scenario import ADMIN, FIRST, run
from tests.telegram_standin import StandinServer

pytestmark = pytest.mark.e2e
CONCURRENCY = 8  # BroadcastConfig default: at most this many rows in flight


@pytest.fixture
def fast_standin() -> Iterator[StandinServer]:
    """A stand-in allowing 120 msg/s, so 2 000 messages take ~20 s instead of 80 s."""
    with StandinServer(rate_limit=120.0) as server:
        yield server


@pytest.fixture
def telegram_like_standin() -> Iterator[StandinServer]:
    """Telegram's ~30 msg/s."""
    with StandinServer(rate_limit=30.0) as server:
        yield server


def test_kill_9_mid_broadcast_then_restart_reaches_every_live_subscriber(
    fast_standin: StandinServer, tmp_path: Path
) -> None:
    outcome = run(fast_standin, tmp_path, subscribers=2000, blocked=60, pace=100, kill_after=800)
    live = set(range(FIRST + 60, FIRST + 2000))
    assert set(outcome.delivered) == live
    duplicates = sum(outcome.delivered.values()) - len(live)
    assert duplicates <= CONCURRENCY  # only rows in flight at the kill may arrive twice
    assert outcome.active_users == 2000 - 60 + 1  # the blocked ones are inactive (+ the admin)
    assert "Zugestellt: 1 940" in outcome.report
    assert "Blockiert (abgemeldet): 60" in outcome.report
    assert "Fehlgeschlagen: 0" in outcome.report


def test_default_pace_stays_under_telegrams_limit_without_a_single_429(
    telegram_like_standin: StandinServer, tmp_path: Path
) -> None:
    outcome = run(telegram_like_standin, tmp_path, subscribers=250, blocked=5, pace=25)
    assert outcome.too_many_requests == 0
    assert set(outcome.delivered.values()) == {1}
    assert len(outcome.delivered) == 245


def _outages(standin: StandinServer) -> None:
    """10 s of 5xx, then 3 s of garbage, then a 4 s storm of 429 (retry_after 1)."""
    standin.inject_fault("server_error", 10, after=1)
    standin.inject_fault("garbage", 3, after=11)
    standin.inject_fault("rate_storm", 4, after=14, retry_after=1)


def test_fault_run_reaches_every_live_subscriber_once_and_reports_truthfully(
    fast_standin: StandinServer, tmp_path: Path
) -> None:
    """2 000 subscribers through 5xx, garbage and a 429 storm: nobody lost, nobody twice."""
    env = {
        "BROADCAST_RETRY_BASE": "0.2",
        "BROADCAST_RETRY_CAP": "2",
        "BROADCAST_RETRY_ATTEMPTS": "15",
    }
    outcome = run(
        fast_standin, tmp_path, subscribers=2000, blocked=60, pace=100, faults=_outages, env=env
    )
    live = set(range(FIRST + 60, FIRST + 2000))
    assert set(outcome.delivered) == live
    assert set(outcome.delivered.values()) == {1}
    assert "Zugestellt: 1 940" in outcome.report
    assert "Blockiert (abgemeldet): 60" in outcome.report
    assert "Fehlgeschlagen: 0" in outcome.report
    assert outcome.seconds < 60


def _resend_as_admin(standin: StandinServer) -> None:
    """Under the report: a forged press by a subscriber is refused, the admin's sends again."""
    report = standin.messages_to(ADMIN)[-1]
    assert "Telegram nicht erreichbar: 5" in (report.text or "")
    [resend] = report.callback_data
    mark = standin.mark()
    standin.inject_callback(FIRST + 7, resend, check_button=False)
    standin.wait_for(
        lambda c: c.method == "answerCallbackQuery" and "vorbehalten" in str(c.params.get("text")),
        since=mark,
    )
    assert standin.messages_to(ADMIN)[-1].message_id == report.message_id  # nothing else
    standin.inject_callback(ADMIN, resend)
    standin.wait_for_message(ADMIN, contains="erneut gesendet: 5", since=mark)
    standin.wait_for_message(ADMIN, contains="Versand abgeschlossen", since=mark, edits=False)


def test_rows_failed_in_an_outage_are_sent_again_when_the_admin_presses_resend(
    fast_standin: StandinServer, tmp_path: Path
) -> None:
    """Five rows fail on a 502 (no retries); the admin's button delivers them, once each."""
    env = {"BROADCAST_RETRY_ATTEMPTS": "1"}
    outcome = run(
        fast_standin,
        tmp_path,
        subscribers=40,
        blocked=0,
        pace=100,
        faults=lambda s: s.fail_next("sendMessage", 502, "Bad Gateway", times=5),
        env=env,
        then=_resend_as_admin,
    )
    assert outcome.delivered == Counter(range(FIRST, FIRST + 40))
    assert "Zugestellt: 40" in outcome.report
    assert "Fehlgeschlagen: 0" in outcome.report  # the newest report, after the resend
