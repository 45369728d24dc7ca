"""Value types exchanged between the dialogue engine and its channel adapters."""

from __future__ import annotations

from dataclasses import dataclass

MAX_CALLBACK_BYTES = 64


@dataclass(frozen=True)
class Button:
    """An inline button: a label and compact callback data (≤ 64 bytes, validated on creation)."""

    label: str
    data: str

    def __post_init__(self) -> None:
        size = len(self.data.encode("utf-8"))
        if not 1 <= size <= MAX_CALLBACK_BYTES:
            raise ValueError(f"callback data must be 1..{MAX_CALLBACK_BYTES} bytes, got {size}")


Keyboard = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True)
class Document:
    """A file to send along with a reply (report, data export, calendar file, chart)."""

    filename: str
    content: bytes
    caption: str = ""


@dataclass(frozen=True)
class Reply:
    """One message to the user: Telegram HTML text plus optional buttons and attachments.

    ``edit`` asks the adapter to replace the message whose button was pressed instead of sending
    a new one (used for step-by-step dialogues).
    """

    html: str
    buttons: Keyboard = ()
    document: Document | None = None
    photo: Document | None = None
    edit: bool = False


@dataclass(frozen=True)
class Incoming:
    """A user's message or button press, as the adapters hand it to the engine.

    ``forwarded``: the text was forwarded from elsewhere; it is never run as a command.
    ``private_chat_link`` is set in group chats: the link to the private chat with the bot,
    where personal and editor commands are answered instead. ``message_id``: for a button
    press, the message that carries the button (a broadcast's progress is shown there).
    """

    user_id: int
    chat_id: int
    text: str | None = None
    button: str | None = None
    is_admin: bool = False
    forwarded: bool = False
    private_chat_link: str | None = None
    message_id: int | None = None

    @property
    def in_group(self) -> bool:
        """Whether this came from a group chat (everyone there reads the answer)."""
        return self.private_chat_link is not None


@dataclass(frozen=True)
class Turn:
    """Everything the engine answers to one incoming event."""

    replies: tuple[Reply, ...] = ()
    toast: str | None = None

    @classmethod
    def say(cls, html: str, buttons: Keyboard = ()) -> Turn:
        """A turn with a single reply."""
        return cls(replies=(Reply(html=html, buttons=buttons),))


@dataclass(frozen=True)
class Aside:
    """Free text that a waiting dialogue does not take (the user asked a question instead).

    The engine answers the text as usual and adds ``after`` (how to go on with the dialogue).
    """

    after: tuple[Reply, ...]
