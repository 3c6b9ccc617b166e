"""User-facing errors of a policy comparison."""

from __future__ import annotations


class CompareError(ValueError):
    """A comparison cannot start with the given arguments; the message says which and why."""


class PolicySpecError(CompareError):
    """A policy given to a comparison is malformed or names an unknown role or policy."""
