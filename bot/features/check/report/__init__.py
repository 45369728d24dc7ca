"""The check's council report: HTML (Jinja2), A4 PDF (WeasyPrint) and the radar chart."""
