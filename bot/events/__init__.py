"""The knowledge-free core of network events: parsing, rendering, calendar files, pacing.

Pure functions and dataclasses (no telegram, httpx or sqlalchemy imports). Others use
``core`` (parse and render announcements, reminders), ``ics`` and ``pacing``.
"""
