"""The Digitalisierungs-Check as data and pure functions.

Others use: ``load_questionnaire`` and the ``Questionnaire`` model (``model``), ``score`` and its
result types (``scoring``), and ``check_questionnaire`` (``validate``) for ``digilotse kb check``.
No I/O besides reading the questionnaire file; no bot or storage imports.
"""
