"""The Digitalisierungs-Check (Baustein 2): dialogue, scoring, result message and report.

Others use: ``build_check_feature`` (``flow``), the store port ``CheckStore`` (``flow``),
``recheck`` for the re-check question and ``export`` for the CSV export. The report (HTML, PDF,
chart) lives in ``report``.
"""
