"""Digilotse: Telegram and terminal adapters, dialogue engine and CLI."""
