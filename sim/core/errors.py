"""User-facing errors of a run (scenario errors live in ``sim.scenario``)."""

from __future__ import annotations


class RunError(ValueError):
    """A run cannot start with the given arguments; the message says which and why."""
