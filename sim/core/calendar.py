"""Calendar arithmetic: simulation minutes <-> dates, weekdays, seasonal windows.

Seasonal windows are either fixed month-days (``"01-22"`` to ``"02-05"``) or day offsets
from the Spring Festival (lunar new year's day, ``-7`` to ``7``), whose Gregorian date
moves by up to a month from year to year; the lunar calendar comes from ``borax``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache

import numpy as np
from borax.calendars.lunardate import LunarDate

from sim.core.domain import MINUTES_PER_DAY
from sim.core.errors import RunError

# Years whose lunar new year ``borax`` knows (its tables cover 1900-2100).
LUNAR_YEARS = range(1900, 2101)
WindowBound = str | int  # "MM-DD", or days after the Spring Festival (negative: before)


@cache
def spring_festival(year: int) -> date:
    """Gregorian date of the Spring Festival (first day of the first lunar month) of ``year``.

    Raises ``RunError`` for a year outside 1900-2100, where the lunar calendar is not known.
    """
    if year not in LUNAR_YEARS:
        raise RunError(
            f"Spring Festival of {year} is unknown (seasons anchored to spring_festival need "
            f"a run inside {LUNAR_YEARS[0]}-{LUNAR_YEARS[-1]})"
        )
    return LunarDate(year, 1, 1).to_solar_date()


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
        self.ordinals = np.array([d.toordinal() for d in self.dates])

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

    def window_mask(self, start: WindowBound, end: WindowBound) -> np.ndarray:
        """Per-day boolean: inside the recurring window (inclusive).

        Month-day strings give a fixed window (it may wrap past 12-31); integers are days
        after the Spring Festival of each year the run touches (both bounds inclusive).
        """
        if isinstance(start, int) and isinstance(end, int):
            return self._festival_mask(start, end)
        keys = np.array([d.strftime("%m-%d") for d in self.dates])
        if start <= end:
            return (keys >= start) & (keys <= end)
        return (keys >= start) | (keys <= end)

    def festival_days(self) -> list[date]:
        """Spring Festival dates of every year the run touches (and the year after its end,
        whose festival windows may open before the new year)."""
        years = range(self.dates[0].year, self.dates[-1].year + 2)
        return [spring_festival(y) for y in years if y in LUNAR_YEARS or y <= self.dates[-1].year]

    def _festival_mask(self, first: int, last: int) -> np.ndarray:
        mask = np.zeros(len(self.dates), dtype=bool)
        for festival in self.festival_days():
            day0 = festival.toordinal()
            mask |= (self.ordinals >= day0 + first) & (self.ordinals <= day0 + last)
        return mask
