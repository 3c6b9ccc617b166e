"""Exceptions raised by the optimizer: a small hierarchy under :class:`ValueError`."""

from __future__ import annotations

__all__ = ["InfeasiblePlan", "InvalidProblem", "UnsupportedProblem"]


class InvalidProblem(ValueError):
    """A problem's data is inconsistent (bad shape, negative time, unknown reference, ...)."""


class UnsupportedProblem(ValueError):
    """The chosen engine cannot model a side constraint this problem uses."""


class InfeasiblePlan(ValueError):
    """A plan breaks at least one hard constraint of its problem.

    Parameters
    ----------
    violations
        Human-readable descriptions of every broken constraint.
    """

    def __init__(self, violations: list[str]) -> None:
        self.violations = list(violations)
        head = "; ".join(self.violations[:5])
        more = f" (+{len(self.violations) - 5} more)" if len(self.violations) > 5 else ""
        super().__init__(f"infeasible plan: {head}{more}")
