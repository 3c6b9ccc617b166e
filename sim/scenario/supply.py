"""Supply: donation houses, donor arrivals, seasonality, donation sizes, apheresis."""

from __future__ import annotations

import calendar
import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from sim.scenario.base import (
    Count,
    Factor,
    HourOfDay,
    Number,
    PlainText,
    Section,
    Share,
    SiteSelection,
    WholeHour,
    number,
)
from sim.scenario.problems import short

_MONTH_DAY = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
# Relative weights: any ratio a planner needs fits in 0..1000, and 24 of them sum finitely.
Weight = number(ge=0, le=1000)


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
    """Seven factors, Monday to Sunday (shared by supply and demand; bounds by type)."""
    if len(factors) != 7:
        raise ValueError(f"{len(factors)} factors given (7 factors, Monday to Sunday)")
    return factors


def check_month_day(value: str) -> str:
    """``MM-DD`` of a day that exists in a leap year (``02-29`` yes, ``02-31`` no)."""
    match = _MONTH_DAY.match(value)
    if not match or int(match[2]) > calendar.monthrange(2000, int(match[1]))[1]:
        raise ValueError(f"{short(value)} is not a month-day (MM-DD of a real day, e.g. 01-28)")
    return value


def check_opening(hours: tuple[int, int], field: str) -> None:
    """``[open, close)`` whole hours with open before close."""
    if hours[0] >= hours[1]:
        raise ValueError(
            f"{field} {list(hours)} are not valid ([open, close) with 0 <= open < close <= 24)"
        )


class SeasonWindow(Section):
    """A recurring window (month-day, inclusive) that scales donor arrivals."""

    name: PlainText
    start: str = Field(description="first day, MM-DD")
    end: str = Field(description="last day, MM-DD (may wrap past 12-31)")
    factor: Factor = Field(description="multiplier on donor arrivals")

    @field_validator("start", "end")
    @classmethod
    def _month_day(cls, value: str) -> str:
        return check_month_day(value)


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
    # A large fixed house has a handful of staff; 100 is a whole blood centre.
    staff: Count = Field(2, gt=0, le=100, description="registration and screening staff per house")
    # Registration and screening take minutes, whole blood ~10 min on the bed, apheresis
    # up to ~2 h (assumed): 4 h and 8 h are far beyond them.
    screening_min: Number = Field(
        8.0, gt=0, le=240, description="mean registration + screening, min"
    )
    donation_min: Number = Field(12.0, gt=0, le=480, description="mean time on the bed, min")
    slot_min: Number = Field(
        60.0, gt=0, le=1440, description="appointment slot length, min (to the hour)"
    )
    slot_capacity_share: Number = Field(
        0.8, gt=0, le=1, description="bookable share of a slot's capacity (appointment mode)"
    )


class Apheresis(Section):
    """Apheresis platelet donations at blood stations."""

    # Hubei 2022: 129 k platelet doses against 1.089 M RBC units (seeds.md), ~12 % of the
    # RBC volume; scaled to Zhejiang's ~1.5 M U gives ~450 doses/day province-wide.
    # China supplied ~3,500 platelet units a day in 2014 (facts 4.1); 10,000 is ~3x that.
    doses_per_day: Number = Field(
        450.0, ge=0, le=10_000, description="province-wide mean, therapeutic doses"
    )
    opening_hours: tuple[WholeHour, WholeHour] = Field(
        (8, 17), description="[open, close) hours of day"
    )
    # "fixed": donors come at the mean rate whatever the stock. "order_up_to": each morning
    # a station books apheresis donors of each group to bring its platelet stock (available
    # + in testing) up to ``target_days`` of the demand it serves, capped at 1.5 x the fixed
    # rate (Haijema et al.'s production rule for a platelet bank; facts 4.4 reports 10-20 %
    # outdating commonly and under 4 % with optimised rules).
    policy: Literal["fixed", "order_up_to"] = "fixed"
    # Platelets keep 5 days (facts 1.3): 30 days of demand is more than any bank holds.
    target_days: Number = Field(2.5, gt=0, le=30, description="order-up-to level, days of demand")

    @model_validator(mode="after")
    def _open_hours(self) -> Apheresis:
        check_opening(self.opening_hours, "opening_hours")
        return self


class Supply(Section):
    """Whole-blood collection at donation houses and apheresis at stations."""

    donation_houses: SiteSelection = Field(
        "all", description='site ids of donation houses, or "all"'
    )
    opening_hours: tuple[WholeHour, WholeHour] = Field(
        (8, 21), description="[open, close) hours of day"
    )
    # Calibration: ~1.5 M U a year (China 2023 ~20 U per 1,000 people, facts 4.1, x 66 M
    # people) = 4,110 U/day; mean donation 1.70 U with the mix below; 12 % deferred; average
    # season factor 0.95 -> ~34 arriving donors per average house per day (86 houses stand
    # for fixed houses and the mobile drives around them).
    # Wuhan needs ~1,000 donors a day city-wide (facts 4.1): 2,000 at one house is beyond it.
    donors_per_house_per_day: Number = Field(
        34.0, gt=0, le=2000, description="mean arrivals, donors/day"
    )
    hourly_profile: tuple[Weight, ...] = Field(default_factory=_hourly_walk_in)
    # Mon..Sun; donation houses are busier at weekends (assumed).
    weekday_factors: tuple[Factor, ...] = (0.85, 0.85, 0.9, 0.9, 1.0, 1.3, 1.2)
    seasons: tuple[SeasonWindow, ...] = Field(default_factory=_default_seasons, max_length=366)
    # Zhejiang shifted from 200/400 mL toward 300/400 mL (Hu et al., BMJ Open 2019, facts 1.1);
    # mix assumed. Keys are mL; 200 mL = 1 U.
    donation_size_mix: dict[Literal[200, 300, 400], Share] = Field(
        default_factory=lambda: {200: 0.15, 300: 0.30, 400: 0.55}
    )
    deferral_share: Number = Field(0.12, ge=0, lt=1, description="share of donors deferred")
    # Vans collect the donations (and their samples) at these hours of day (assumed); the
    # last run after closing keeps every donation inside the 6-h processing window.
    pickup_hours: tuple[HourOfDay, ...] = (11.5, 15.5, 19.5, 21.5)
    queue: DonorQueue = DonorQueue()
    apheresis: Apheresis = Apheresis()

    @field_validator("hourly_profile")
    @classmethod
    def _hours(cls, profile: tuple[float, ...]) -> tuple[float, ...]:
        if len(profile) != 24:
            raise ValueError(f"{len(profile)} weights given (24 non-negative weights, hours 0-23)")
        return profile

    @field_validator("weekday_factors")
    @classmethod
    def _weekdays(cls, factors: tuple[float, ...]) -> tuple[float, ...]:
        return check_weekday_factors(factors)

    @model_validator(mode="after")
    def _open_hours(self) -> Supply:
        check_opening(self.opening_hours, "opening_hours")
        start, end = self.opening_hours
        hours = self.pickup_hours
        if not hours or list(hours) != sorted(set(hours)):
            raise ValueError(
                f"pickup_hours {list(hours)} are not valid (increasing hours of day in [0, 24))"
            )
        if sum(self.hourly_profile[start:end]) <= 0:
            raise ValueError(
                "hourly_profile has no weight inside opening_hours (some arrivals while open)"
            )
        return self
