"""The Telegram adapter: python-telegram-bot in, dialogue engine, python-telegram-bot out."""
