"""The outcome of one measure: a figure with a note, or the reason it cannot be measured."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Measured:
    """A measured figure (``value``, in the measure's unit) or ``None`` with the reason.

    ``detail`` says what the figure covers (e.g. which station is lowest) or, when ``value``
    is None, why the run folder cannot give it.
    """

    value: float | None
    detail: str = ""

    def __post_init__(self) -> None:
        if self.value is not None and not math.isfinite(self.value):
            raise ValueError(f"a measured value must be finite, not {self.value}")
        if self.value is None and not self.detail:
            raise ValueError("a figure that is not measured needs its reason")


def not_measured(reason: str) -> Measured:
    """A figure the run folder cannot give, and why."""
    return Measured(None, reason)


def share(part: float, whole: float, detail: str, empty: str) -> Measured:
    """``part`` as a percentage of ``whole`` (%), or not measured (``empty``) when whole is 0."""
    return Measured(100.0 * part / whole, detail) if whole > 0 else not_measured(empty)
