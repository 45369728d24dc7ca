"""The report as an A4 PDF, rendered by WeasyPrint from the same HTML as the HTML report.

WeasyPrint needs Pango (system library); it is imported here only, when a PDF is made.
"""

from __future__ import annotations

import logging


def report_pdf(html: str) -> bytes:
    """Render the report HTML (with its ``@page`` A4 rules) to PDF bytes."""
    from weasyprint import HTML

    logging.getLogger("fontTools").setLevel(logging.WARNING)  # subsetting chatter at INFO
    # WeasyPrint warns about screen-only CSS (and the optional HarfBuzz subsetter) per render.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    pdf = HTML(string=html).write_pdf()
    assert pdf is not None  # write_pdf() without a target returns the bytes
    return bytes(pdf)
