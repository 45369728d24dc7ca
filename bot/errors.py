"""Errors the command line reports as one line for the operator (importable without pydantic)."""

from __future__ import annotations


class SettingsError(Exception):
    """Settings are missing or malformed; the message is one line for the operator."""
