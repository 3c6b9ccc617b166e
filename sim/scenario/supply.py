"""Supply: donation houses, donor arrivals, seasonality, donation sizes, apheresis."""

from __future__ import annotations

import calendar
import re
from typing import Annotated, Literal

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


# A festival-anchored window lies within three months of the festival (the whole winter
# and spring around it); a longer one is a fixed month-day window.
MAX_OFFSET = 90
FestivalOffset = Annotated[int, Field(ge=-MAX_OFFSET, le=MAX_OFFSET)]


class SeasonWindow(Section):
    """A recurring window (inclusive) that scales donor arrivals (or, in demand, use).

    ``anchor: date`` (default): ``start`` and ``end`` are month-days, ``"01-22"``.
    ``anchor: spring_festival``: they are days after the Spring Festival (lunar new year's
    day; negative before it), so the window follows the festival in every year.
    """

    name: PlainText
    anchor: Literal["date", "spring_festival"] = "date"
    start: str | FestivalOffset = Field(description="first day: MM-DD, or festival offset, days")
    end: str | FestivalOffset = Field(
        description="last day: MM-DD (may wrap past 12-31), or festival offset, days"
    )
    factor: Factor = Field(description="multiplier on donor arrivals")

    @field_validator("start", "end", mode="before")
    @classmethod
    def _text_or_days(cls, value: object) -> object:
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise ValueError(f"{short(str(value))} is not a month-day or a whole number of days")
        if isinstance(value, int) and abs(value) > MAX_OFFSET:
            raise ValueError(f"{value} is not a day offset (-{MAX_OFFSET} to {MAX_OFFSET} days)")
        return value

    @field_validator("start", "end")
    @classmethod
    def _month_day(cls, value: str | int) -> str | int:
        return check_month_day(value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _bounds(self) -> SeasonWindow:
        kinds = {type(self.start), type(self.end)}
        if self.anchor == "date" and kinds != {str}:
            raise ValueError(
                f"start {self.start!r} / end {self.end!r} are not month-days (MM-DD with "
                "anchor: date; day offsets need anchor: spring_festival)"
            )
        if self.anchor == "spring_festival" and kinds != {int}:
            raise ValueError(
                f"start {self.start!r} / end {self.end!r} are not day offsets (whole days "
                "with anchor: spring_festival)"
            )
        if self.anchor == "spring_festival" and self.start > self.end:
            raise ValueError(f"start {self.start} is after end {self.end} (start <= end)")
        return self


def _default_seasons() -> tuple[SeasonWindow, ...]:
    # Offsets are days after the Spring Festival (2025: Jan 29).
    festival = "spring_festival"
    return (
        # Blood centres collect ahead of the holiday with campus and group campaigns
        # (seasonal lows are bridged by campaigns, seeds.md; size assumed: +25 % for the
        # two weeks before the festival week, which stocks ~4 days of use).
        SeasonWindow(
            name="pre_festival_campaign", anchor=festival, start=-23, end=-8, factor=1.25
        ),  # fmt: skip
        # Normal festival dip: collection -20 to -35 % in the festival fortnight (facts 4.3;
        # Nanning 300 donors/day in winter vs 400-500 needed, -25 to -40 %): -30 %. The
        # 2020 epidemic collapse (-67 %, facts 4.1) is a drill, not the default.
        SeasonWindow(name="spring_festival", anchor=festival, start=-7, end=7, factor=0.70),
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
    # A whole-blood visit takes about an hour: registration, a health history and a mini
    # physical with a finger-stick haemoglobin check, ~10 min on the needle, 15 min rest
    # (San Diego Blood Bank, https://www.sandiegobloodbank.org/how-long-does-it-take-donate);
    # 45 min from registration to snacks, 5-10 min draw (Indiana Blood Center,
    # http://inbcsaves.org/give-blood/process-of-donating/). Zhejiang checks in by face scan
    # (paperless, seeds.md): 5 min; the health check with China's pre-donation quick tests
    # (haemoglobin, ALT, HBsAg, ABO) 12 min (assumed within the hour above).
    registration_min: Number = Field(
        5.0, ge=0, le=120, description="mean check-in and questionnaire, min (staff)"
    )
    screening_min: Number = Field(
        12.0, gt=0, le=240, description="mean health check with quick tests, min (staff)"
    )
    donation_min: Number = Field(
        15.0, gt=0, le=480, description="mean time on the bed incl. preparation, min"
    )
    rest_min: Number = Field(15.0, ge=0, le=120, description="rest after donating, min (no queue)")
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
    policy: Literal["fixed", "order_up_to"] = "order_up_to"
    # Platelets keep 5 days (facts 1.3): 30 days of demand is more than any bank holds.
    target_days: Number = Field(2.5, gt=0, le=30, description="order-up-to level, days of demand")

    @model_validator(mode="after")
    def _open_hours(self) -> Apheresis:
        check_opening(self.opening_hours, "opening_hours")
        return self


class CollectionControl(Section):
    """Daily collection control per blood station ("dynamic allocation", supply side).

    Each evening a station compares its red-cell cover (available + in testing, in days of
    the demand it serves) with its inventory ``target_days`` and ``safety_days`` (section
    ``inventory.station``) and sets a factor on donor arrivals ``lag_days`` later: the
    full ``campaign_factor`` at or below safety, easing linearly to 1 at the target, and
    ``target / cover`` above it (never below ``throttle_floor``).
    """

    enabled: bool = True
    # Campaigns bridge seasonal lows (Hubei: campus and emergency campaigns, seeds.md):
    # Jingzhou's campus campaigns collected +104.68 % year on year, and donations at 5
    # centres rose +68 % (685 -> 1,151 a day) in the week after Wenchuan (facts 8). A
    # routine campaign is a fraction of that: +50 % (assumed within those figures).
    campaign_factor: Number = Field(
        1.5, ge=1, le=3, description="most arrivals at or below safety stock, x normal"
    )
    # Throttling postpones group drives and mobile sessions; walk-ins still come (assumed).
    throttle_floor: Number = Field(
        0.6, gt=0, le=1, description="fewest arrivals when cover is high, x normal"
    )
    # Donors called by text message or a campus drive come some days later (assumed 2 days;
    # Wenchuan donations peaked within the week, facts 8). A month is beyond any response.
    lag_days: Count = Field(2, ge=1, le=30, description="response lag, days")
    review_hour: HourOfDay = Field(18.0, description="hour of day of the daily review")


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
        34.0, gt=0, le=2000, description='mean arrivals, donors/day (donor_base "fixed")'
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
    # "demand": each station's donor base is sized from the red cells its hospitals use
    # (losses between donation and transfusion included, see sim.donors.station_donors);
    # "fixed": every house gets donors_per_house_per_day weighted by its beds (the old rule).
    donor_base: Literal["demand", "fixed"] = "demand"
    control: CollectionControl = CollectionControl()

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
