"""Calendar: minutes since the start <-> dates, weekday factors, recurring windows."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.core.calendar import Calendar
from sim.core.domain import MINUTES_PER_DAY

MONDAY = date(2025, 3, 3)


def test_minutes_count_from_the_first_midnight() -> None:
    calendar = Calendar(MONDAY, 3)
    assert calendar.minutes(datetime(2025, 3, 3)) == 0.0
    assert calendar.minutes(datetime(2025, 3, 4, 6, 30)) == MINUTES_PER_DAY + 390.0


@settings(max_examples=50, deadline=None)
@given(st.floats(min_value=0.0, max_value=400 * MINUTES_PER_DAY, allow_nan=False))
def test_day_of_is_the_day_containing_the_minute(minute: float) -> None:
    day = Calendar(MONDAY, 400).day_of(minute)
    assert day * MINUTES_PER_DAY <= minute < (day + 1) * MINUTES_PER_DAY


def test_weekday_factor_follows_monday_to_sunday() -> None:
    factors = (1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0)
    per_day = Calendar(MONDAY, 8).weekday_factor(factors)  # days 0..8: Mon..Tue
    assert per_day.tolist() == [1, 2, 3, 4, 5, 6, 7, 1, 2]


def test_window_mask_wraps_over_the_new_year() -> None:
    calendar = Calendar(date(2024, 12, 30), 4)  # Dec 30 .. Jan 3
    assert calendar.window_mask("12-31", "01-02").tolist() == [False, True, True, True, False]
    assert np.array_equal(
        Calendar(MONDAY, 2).window_mask("03-04", "03-04"), np.array([False, True, False])
    )
