"""The channel-agnostic dialogue engine: messages and button presses in, replies out.

No Telegram import lives here; the Telegram and terminal adapters translate to and from the
types below. The engine itself is ``bot.dialogue.engine.Engine``.
"""

from bot.dialogue.types import Button, Document, Incoming, Reply, Turn

__all__ = ["Button", "Document", "Incoming", "Reply", "Turn"]
