"""/id: tells any user their numeric Telegram id."""
