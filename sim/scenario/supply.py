"""Supply: donation houses, donor arrivals, seasonality, donation sizes, apheresis."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from sim.scenario.base import Section

_MONTH_DAY = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")


def _hourly_walk_in() -> tuple[float, ...]:
    # Relative walk-in arrivals by hour of day (0-23); only opening hours are used. A late
    # morning and an after-work peak (shape assumed; intra-day volatility, facts 4.2).
    return (
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0.6,
        0.9,
        1.1,
        1.0,
        0.8,
        0.9,
        1.1,
        1.2,
        1.2,
        1.1,
        1.2,
        1.0,
        0.6,
        0,
        0,
        0,
    )


def check_weekday_factors(factors: tuple[float, ...]) -> tuple[float, ...]:
    """Seven non-negative factors, Monday to Sunday (shared by supply and demand)."""
    if len(factors) != 7 or min(factors) < 0:
        raise ValueError(f"{len(factors)} factors given (7 non-negative, Monday to Sunday)")
    return factors


class SeasonWindow(Section):
    """A recurring window (month-day, inclusive) that scales donor arrivals."""

    name: str
    start: str = Field(description="first day, MM-DD")
    end: str = Field(description="last day, MM-DD (may wrap past 12-31)")
    factor: float = Field(ge=0, description="multiplier on donor arrivals")

    @field_validator("start", "end")
    @classmethod
    def _month_day(cls, value: str) -> str:
        if not _MONTH_DAY.match(value):
            raise ValueError(f"{value!r} is not a month-day (MM-DD, e.g. 01-28)")
        return value


def _default_seasons() -> tuple[SeasonWindow, ...]:
    return (
        # Blood centres collect ahead of the holiday with campus and group campaigns
        # (seasonal lows are bridged by campaigns, seeds.md; size assumed).
        SeasonWindow(name="pre_festival_campaign", start="01-06", end="01-21", factor=1.25),
        # Zhejiang Spring Festival 2020: whole-blood donors -67 % (Wang et al., Vox Sang
        # 2020, facts 4.1); window around the 2025 festival (Jan 29).
        SeasonWindow(name="spring_festival", start="01-22", end="02-05", factor=0.33),
        # Summer dip: -10 to -20 % in July-August (facts 4.3, derived).
        SeasonWindow(name="summer", start="07-01", end="08-31", factor=0.85),
    )


class DonorQueue(Section):
    """How donors are served at a donation house (beds and staff are SimPy resources)."""

    mode: Literal["walk_in", "appointment"] = "walk_in"
    # "direct": the same first-come-first-served queues computed with heaps (fast, used for
    # province-wide years); "simpy": one SimPy process per donor with staff and beds as
    # SimPy resources (for detailed studies of a few houses). Both give the same waits.
    engine: Literal["direct", "simpy"] = "direct"
    staff: int = Field(2, gt=0, description="registration and screening staff per house")
    screening_min: float = Field(8.0, gt=0, description="mean registration + screening, min")
    donation_min: float = Field(12.0, gt=0, description="mean time on the bed, min")
    slot_min: float = Field(60.0, gt=0, description="appointment slot length, min (to the hour)")
    slot_capacity_share: float = Field(
        0.8, gt=0, le=1, description="bookable share of a slot's capacity (appointment mode)"
    )


class Apheresis(Section):
    """Apheresis platelet donations at blood stations."""

    # Hubei 2022: 129 k platelet doses against 1.089 M RBC units (seeds.md), ~12 % of the
    # RBC volume; scaled to Zhejiang's ~1.5 M U gives ~450 doses/day province-wide.
    doses_per_day: float = Field(450.0, ge=0, description="province-wide mean, therapeutic doses")
    opening_hours: tuple[int, int] = (8, 17)
    # "fixed": donors come at the mean rate whatever the stock. "order_up_to": each morning
    # a station books apheresis donors of each group to bring its platelet stock (available
    # + in testing) up to ``target_days`` of the demand it serves, capped at 1.5 x the fixed
    # rate (Haijema et al.'s production rule for a platelet bank; facts 4.4 reports 10-20 %
    # outdating commonly and under 4 % with optimised rules).
    policy: Literal["fixed", "order_up_to"] = "fixed"
    target_days: float = Field(2.5, gt=0, description="order-up-to level, days of demand")


class Supply(Section):
    """Whole-blood collection at donation houses and apheresis at stations."""

    donation_houses: list[str] | Literal["all"] = "all"
    opening_hours: tuple[int, int] = Field((8, 21), description="[open, close) hours of day")
    # Calibration: ~1.5 M U a year (China 2023 ~20 U per 1,000 people, facts 4.1, x 66 M
    # people) = 4,110 U/day; mean donation 1.70 U with the mix below; 12 % deferred; average
    # season factor 0.95 -> ~34 arriving donors per average house per day (86 houses stand
    # for fixed houses and the mobile drives around them).
    donors_per_house_per_day: float = Field(34.0, gt=0, description="mean arrivals, donors/day")
    hourly_profile: tuple[float, ...] = Field(default_factory=_hourly_walk_in)
    # Mon..Sun; donation houses are busier at weekends (assumed).
    weekday_factors: tuple[float, ...] = (0.85, 0.85, 0.9, 0.9, 1.0, 1.3, 1.2)
    seasons: tuple[SeasonWindow, ...] = Field(default_factory=_default_seasons)
    # Zhejiang shifted from 200/400 mL toward 300/400 mL (Hu et al., BMJ Open 2019, facts 1.1);
    # mix assumed. Keys are mL; 200 mL = 1 U.
    donation_size_mix: dict[Literal[200, 300, 400], float] = Field(
        default_factory=lambda: {200: 0.15, 300: 0.30, 400: 0.55}
    )
    deferral_share: float = Field(0.12, ge=0, lt=1, description="share of donors deferred")
    # Vans collect the donations (and their samples) at these hours of day (assumed); the
    # last run after closing keeps every donation inside the 6-h processing window.
    pickup_hours: tuple[float, ...] = (11.5, 15.5, 19.5, 21.5)
    queue: DonorQueue = DonorQueue()
    apheresis: Apheresis = Apheresis()

    @field_validator("hourly_profile")
    @classmethod
    def _hours(cls, profile: tuple[float, ...]) -> tuple[float, ...]:
        if len(profile) != 24 or min(profile) < 0:
            raise ValueError(f"{len(profile)} weights given (24 non-negative weights, hours 0-23)")
        return profile

    @field_validator("weekday_factors")
    @classmethod
    def _weekdays(cls, factors: tuple[float, ...]) -> tuple[float, ...]:
        return check_weekday_factors(factors)

    @model_validator(mode="after")
    def _open_hours(self) -> Supply:
        start, end = self.opening_hours
        if not 0 <= start < end <= 24:
            raise ValueError(
                f"opening_hours {list(self.opening_hours)} are not valid "
                "([open, close) with 0 <= open < close <= 24)"
            )
        hours = self.pickup_hours
        if not hours or list(hours) != sorted(set(hours)) or not 0 <= hours[0] <= hours[-1] < 24:
            raise ValueError(
                f"pickup_hours {list(hours)} are not valid (increasing hours of day in [0, 24))"
            )
        if sum(self.hourly_profile[start:end]) <= 0:
            raise ValueError(
                "hourly_profile has no weight inside opening_hours (some arrivals while open)"
            )
        return self
