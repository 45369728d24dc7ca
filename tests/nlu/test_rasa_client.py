"""The Rasa client against a real HTTP stand-in: degrade per message, break the circuit."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator

import pytest

from nlu.embedded import EmbeddedNlu
from nlu.rasa_client import CircuitBreaker, CircuitState, RasaNlu
from nlu.select import FallbackNlu, build_nlu, is_unavailable
from nlu.types import ParseResult
from tests.nlu.rasa_standin import RasaStandIn, running_standin


class FakeClock:
    """A clock the test moves by hand (time is the far edge here)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _state(client: RasaNlu) -> CircuitState:
    return client.breaker.state


@pytest.fixture
def standin() -> Iterator[RasaStandIn]:
    with running_standin(token="secret") as state:
        yield state


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def rasa(standin: RasaStandIn, clock: FakeClock) -> AsyncIterator[RasaNlu]:
    client = RasaNlu(
        standin.url, "secret", timeout=0.3, breaker=CircuitBreaker(3, cooldown=30, clock=clock)
    )
    yield client
    await client.aclose()


async def test_answer_is_parsed_and_token_sent_as_query_parameter(
    rasa: RasaNlu, standin: RasaStandIn
) -> None:
    """A healthy server's answer comes back as a ParseResult with Rasa's extractor."""
    result = await rasa.parse("DZK?")
    assert result.intent.name == "ask_knowledge"
    assert result.entities[0].extractor == "RegexEntityExtractor"
    assert standin.requests == [{"path": "/model/parse", "query": {"token": ["secret"]}}]


@pytest.mark.parametrize(
    "mode",
    [
        pytest.param("slow", id="timeout"),
        pytest.param("error", id="http-500"),
        pytest.param("garbage", id="not-json"),
        pytest.param("not_a_dict", id="json-list"),
    ],
)
async def test_bad_answers_degrade_to_unavailable(
    rasa: RasaNlu, standin: RasaStandIn, mode: str
) -> None:
    """Timeouts, errors and malformed bodies give "no intent, confidence 0"."""
    standin.mode = mode  # type: ignore[assignment]
    result = await rasa.parse("Hallo")
    assert result == ParseResult.unavailable("Hallo")
    assert is_unavailable(result)


async def test_wrong_token_degrades_to_unavailable(standin: RasaStandIn) -> None:
    """A 401 is a failure like any other non-200 answer."""
    client = RasaNlu(standin.url, "wrong", timeout=1.0)
    try:
        assert is_unavailable(await client.parse("Hallo"))
    finally:
        await client.aclose()


async def test_unreachable_server_degrades_to_unavailable() -> None:
    """Connection refused is handled without raising."""
    with running_standin() as gone:
        url = gone.url
    client = RasaNlu(url, "secret", timeout=0.5)
    try:
        assert is_unavailable(await client.parse("Hallo"))
    finally:
        await client.aclose()


async def test_open_circuit_sends_no_requests_until_cool_down(
    rasa: RasaNlu, standin: RasaStandIn, clock: FakeClock
) -> None:
    """After three failures nothing reaches the server; after the cool-down one probe does."""
    standin.mode = "error"
    for _ in range(3):
        await rasa.parse("Hallo")
    assert _state(rasa) is CircuitState.OPEN
    standin.requests.clear()
    standin.mode = "ok"
    for _ in range(5):
        assert is_unavailable(await rasa.parse("Hallo"))
    assert standin.requests == []
    clock.now += 31
    assert _state(rasa) is CircuitState.HALF_OPEN
    assert not is_unavailable(await rasa.parse("Hallo"))
    assert _state(rasa) is CircuitState.CLOSED
    assert len(standin.requests) == 1


async def test_failed_probe_reopens_for_another_cool_down(
    rasa: RasaNlu, standin: RasaStandIn, clock: FakeClock
) -> None:
    """A half-open probe that fails opens the circuit again at once."""
    standin.mode = "error"
    for _ in range(3):
        await rasa.parse("Hallo")
    clock.now += 31
    await rasa.parse("Hallo")
    assert _state(rasa) is CircuitState.OPEN
    standin.requests.clear()
    await rasa.parse("Hallo")
    assert standin.requests == []


async def _until_received(standin: RasaStandIn, count: int) -> None:
    """Wait until the stand-in has received ``count`` requests."""
    async with asyncio.timeout(10):
        while len(standin.requests) < count:  # noqa: ASYNC110 - the stand-in runs in a thread
            await asyncio.sleep(0.01)


async def test_cancelled_probe_does_not_shut_the_circuit_for_good(
    rasa: RasaNlu, standin: RasaStandIn, clock: FakeClock
) -> None:
    """A half-open probe cancelled mid-request counts as a failure; the next cool-down probes."""
    standin.mode = "error"
    for _ in range(3):
        await rasa.parse("Hallo")
    clock.now += 31
    standin.mode, standin.delay = "slow", 1.0
    sent = len(standin.requests)
    probe = asyncio.create_task(rasa.parse("Hallo"))
    await _until_received(standin, sent + 1)  # the probe is in flight
    probe.cancel()
    with pytest.raises(asyncio.CancelledError):
        await probe
    assert _state(rasa) is CircuitState.OPEN
    standin.mode = "ok"
    clock.now += 31
    assert not is_unavailable(await rasa.parse("Hallo"))
    assert _state(rasa) is CircuitState.CLOSED


async def test_success_resets_the_failure_count(rasa: RasaNlu, standin: RasaStandIn) -> None:
    """Only consecutive failures open the circuit."""
    for mode in ("error", "error", "ok", "error", "error"):
        standin.mode = mode
        await rasa.parse("Hallo")
    assert _state(rasa) is CircuitState.CLOSED


def test_half_open_lets_exactly_one_probe_through(clock: FakeClock) -> None:
    """Concurrent messages during the probe are not sent."""
    breaker = CircuitBreaker(1, cooldown=10, clock=clock)
    breaker.record_failure()
    assert not breaker.allow()
    clock.now += 10
    assert breaker.allow()
    assert not breaker.allow()


async def test_fallback_nlu_uses_embedded_only_when_rasa_cannot_answer(
    rasa: RasaNlu, standin: RasaStandIn, embedded: EmbeddedNlu
) -> None:
    """Per message: Rasa's answer when there is one, the embedded answer otherwise."""
    nlu = FallbackNlu(rasa, embedded)
    assert (await nlu.parse("Was ist die DZK?")).entities[0].extractor == "RegexEntityExtractor"
    standin.mode = "error"
    result = await nlu.parse("Was ist die DZK?")
    assert result.intent.name == "ask_knowledge"
    assert result.entities[0].extractor == "embedded"


async def test_build_nlu_never_contacts_rasa(standin: RasaStandIn, embedded: EmbeddedNlu) -> None:
    """Start-up does not wait for Rasa; the first message is the first request."""
    nlu = build_nlu("rasa", standin.url, "secret", embedded=embedded)
    assert standin.requests == []
    assert isinstance(nlu, FallbackNlu)
    await nlu.aclose()
    assert build_nlu("embedded", embedded=embedded) is embedded


@pytest.mark.parametrize(
    ("backend", "url"),
    [pytest.param("rasa", None, id="rasa-without-url"), pytest.param("spacy", "x", id="unknown")],
)
def test_build_nlu_rejects_bad_configuration(
    backend: str, url: str | None, embedded: EmbeddedNlu
) -> None:
    """Misconfiguration fails fast with a message naming the problem."""
    with pytest.raises(ValueError, match=r"backend|URL"):
        build_nlu(backend, url, embedded=embedded)  # type: ignore[arg-type]


async def test_token_never_reaches_the_httpx_request_log(
    rasa: RasaNlu, caplog: pytest.LogCaptureFixture
) -> None:
    """httpx logs request URLs at INFO; the Rasa token in the query is redacted."""
    with caplog.at_level(logging.INFO, logger="httpx"):
        await rasa.parse("Hallo")
    messages = [record.getMessage() for record in caplog.records if record.name == "httpx"]
    assert messages
    assert all("secret" not in m and "token=***" in m for m in messages)
