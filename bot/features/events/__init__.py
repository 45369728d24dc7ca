"""Network events: announcements (``/ankuendigen``), RSVP, calendar files, reminders' texts.

Others use: ``build_events_feature`` (``feature``), ``EventRenderer`` (``render``), ``announcement``
(parse and render announcements) and ``ics``. Sending is the Telegram adapter's (``bot.telegram``).
"""
