"""Calendar arithmetic: simulation minutes <-> dates, weekdays, seasonal windows."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np

from sim.core.domain import MINUTES_PER_DAY


class Calendar:
    """Maps day numbers of a run to dates.

    Parameters
    ----------
    start : date
        Day 0 of the run (time 0 is its midnight).
    days : int
        Horizon, days.
    """

    def __init__(self, start: date, days: int) -> None:
        self.start = start
        self.days = days
        self.dates = [start + timedelta(days=d) for d in range(days + 1)]
        self.weekdays = np.array([d.weekday() for d in self.dates])  # Monday = 0

    def minutes(self, moment: datetime) -> float:
        """Minutes since the run's start for a wall-clock ``moment``."""
        origin = datetime.combine(self.start, datetime.min.time())
        return (moment - origin).total_seconds() / 60.0

    def day_of(self, minute: float) -> int:
        """Day number containing ``minute``."""
        return int(minute // MINUTES_PER_DAY)

    def weekday_factor(self, factors: tuple[float, ...]) -> np.ndarray:
        """Per-day factor from a Monday..Sunday tuple."""
        return np.asarray(factors, dtype=float)[self.weekdays]

    def window_mask(self, start_md: str, end_md: str) -> np.ndarray:
        """Per-day boolean: inside the recurring MM-DD window (inclusive, may wrap)."""
        keys = np.array([d.strftime("%m-%d") for d in self.dates])
        if start_md <= end_md:
            return (keys >= start_md) & (keys <= end_md)
        return (keys >= start_md) | (keys <= end_md)
