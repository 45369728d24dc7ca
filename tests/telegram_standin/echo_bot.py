"""A minimal PTB bot configured like Digilotse (TELEGRAM_API_URL, TELEGRAM_BOT_TOKEN).

Run as a subprocess by the stand-in's own tests to prove the cross-process set-up:
``python -m tests.telegram_standin.echo_bot`` answers ``/start`` and echoes text.
"""

from __future__ import annotations

import os

from telegram import Update
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes, MessageHandler, filters


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet."""
    assert update.message is not None
    await update.message.reply_html("<b>Hallo</b> aus dem Unterprozess")


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Echo text back, HTML-escaped by PTB's plain send."""
    assert update.message is not None
    assert update.message.text is not None
    await update.message.reply_text(f"Echo: {update.message.text}")


def main() -> None:
    """Long-poll until SIGINT/SIGTERM."""
    app = (
        ApplicationBuilder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(os.environ["TELEGRAM_API_URL"])
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.run_polling(allowed_updates=Update.ALL_TYPES, poll_interval=0, timeout=5)


if __name__ == "__main__":
    main()
