"""Intent recognition: embedded backend and Rasa client.

What other packages may use:

- :mod:`nlu.types` — ``ParseResult`` (Rasa ``/model/parse`` shape: ``to_dict``/``from_rasa``/
  ``unavailable``), ``IntentScore``, ``Entity``, the ``NluBackend`` protocol, ``INTENTS``,
  ``ENTITY_TYPES`` and ``FALLBACK_INTENT`` (``"nlu_fallback"``: low or ambiguous confidence, or
  the backend was unavailable — fall back to retrieval).
- :mod:`nlu.embedded` — ``EmbeddedNlu.load()`` trains in-process on ``nlu/rasa/data/nlu/*.yml``
  (cached under ``~/.cache/digilotse/nlu``); ``parse_sync``/``parse``.
- :mod:`nlu.rasa_client` — ``RasaNlu`` (HTTP client with timeout and circuit breaker).
- :mod:`nlu.select` — ``build_nlu("embedded" | "rasa", ...)``, the one factory for the composition
  root; "rasa" gives Rasa first and the embedded backend per message when Rasa cannot answer.
- :mod:`nlu.evaluation` and :mod:`nlu.cli_impl` — evaluation on ``tests/data/nlu_test.yml`` and the
  functions behind ``digilotse nlu parse`` / ``digilotse nlu eval``.

Entity types: ``programme`` (ids such as ``digitale_zukunftskommune``), ``baustein`` ("1"–"5") and
``topic`` (``ozg``, ``ozg2``, ``service_bw``, ``bundid``, …). This package imports nothing from
``bot``, ``knowledge`` or ``storage``.
"""
