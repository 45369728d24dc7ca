"""Benchmarks that print figures (speed, memory); run with ``python -m bench [name ...]``.

Each module here with a ``main() -> None`` function is one bench; tests never assert timings.
"""
