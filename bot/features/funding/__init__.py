"""Förderradar: open funding calls with deadlines, ``/foerderaufruf``, the radar subscription.

Others use: ``build_funding_feature`` (``feature``), ``calls`` (parse calls, topics, deadlines),
``render`` and ``sheet`` (spreadsheet import).
"""
