"""The one send policy: pacing before every try, notes before retries, one outcome at the end."""

from telegram.error import ChatMigrated, Forbidden, RetryAfter, TimedOut

from bot.telegram.outcomes import Step
from bot.telegram.retry import RetryPolicy
from bot.telegram.send_policy import SendHooks, send

FAST = RetryPolicy(base=0.001, cap=0.01, attempts=3)


class Script:
    """A Bot API call that raises ``errors`` in turn, then answers; it records the chats tried."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.chats: list[int] = []

    async def __call__(self, chat_id: int) -> str:
        self.chats.append(chat_id)
        if self.errors:
            raise self.errors.pop(0)
        return "ok"


class Notes:
    """The hooks a broadcast gives: what was paced, paused and noted."""

    def __init__(self) -> None:
        self.paced = 0
        self.paused: list[float] = []
        self.noted: list[tuple[str, int]] = []

    async def pace(self) -> None:
        self.paced += 1

    async def flood(self, seconds: float) -> None:
        self.paused.append(seconds)

    async def retrying(self, step: Step, chat_id: int, attempt: int) -> None:
        self.noted.append((step.action, chat_id))

    def hooks(self) -> SendHooks:
        return SendHooks(self.pace, self.flood, self.retrying)


async def test_a_migrated_chat_is_followed_once_and_noted_before_the_resend() -> None:
    """A broadcast follows a group to its new id; the outcome says where it went."""
    call, notes = Script(ChatMigrated(-200), TimedOut()), Notes()
    result = await send(call, -100, FAST, notes.hooks(), follow_migration=True)
    assert (result.status, result.value) == ("sent", "ok")
    assert (result.chat_id, result.migrated) == (-200, True)
    assert call.chats == [-100, -200, -200]
    assert notes.noted == [("resend", -100), ("retry", -200)]
    assert notes.paced == 3


async def test_flood_control_goes_to_the_hook_and_does_not_count_as_an_attempt() -> None:
    """``RetryAfter`` pauses (the hook) and tries again without using up the retry budget."""
    call, notes = Script(RetryAfter(3), TimedOut(), RetryAfter(2), TimedOut()), Notes()
    result = await send(call, 7, FAST, notes.hooks())
    assert result.status == "sent"
    assert notes.paused == [3.0, 2.0]
    assert [action for action, _ in notes.noted] == ["retry", "retry"]


async def test_a_blocked_user_ends_at_once_with_the_reason() -> None:
    """``Forbidden`` is not retried; the outcome carries the reason for the outbox."""
    call = Script(Forbidden("bot was blocked by the user"))
    result = await send(call, 7, FAST, attempt=5)
    assert (result.status, result.reason) == ("blocked", "Forbidden: bot was blocked by the user")
    assert call.chats == [7]


async def test_a_resumed_row_continues_its_attempt_count() -> None:
    """A row tried twice before the crash has one try left under a three-try policy."""
    call = Script(TimedOut(), TimedOut())
    result = await send(call, 7, FAST, attempt=2)
    assert result.status == "failed"
    assert result.reason is not None
    assert result.reason.endswith("(after 3 attempts)")
    assert len(call.chats) == 2
