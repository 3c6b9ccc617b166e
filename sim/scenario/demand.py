"""Hospital demand: transfusions by product and hospital tier, weekday pattern, urgency."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from sim.scenario.base import Count, Factor, Number, Section, Share, number
from sim.scenario.quality import Autologous
from sim.scenario.supply import SeasonWindow, check_weekday_factors

TierName = Literal["tertiary", "secondary", "county"]
# A trauma centre uses ~3.6 RBC per 100 beds a day (facts 4.2): 100, one unit per bed and
# day, is far above any hospital.
PerHundredBeds = number(ge=0, le=100)
# Routine orders are due within a day by default; a week is the longest sensible wait.
DueMinutes = number(gt=0, le=10_080)


class TierDemand(Section):
    """Mean transfusion demand per 100 inpatient beds per day, by product (U or doses)."""

    RBC: PerHundredBeds
    PLT: PerHundredBeds
    FFP: PerHundredBeds
    CRYO: PerHundredBeds


def _default_tiers() -> dict[str, TierDemand]:
    # RBC: a regional trauma centre uses ~73 U/day (Shenzhen Nanshan, facts 4.2) on ~2,000
    # beds = 3.6 per 100 beds; smaller tiers use less (assumed). Rates calibrated on the
    # embedded region's 233,890 beds so that province-wide RBC use (~3,950 U/day) matches
    # the ~1.5 M U collected a year less discards. PLT ~11.5 % of RBC (Hubei 2022,
    # seeds.md), FFP and CRYO shares from China 2014 supply (facts 4.1), plasma use assumed
    # below supply.
    return {
        "tertiary": TierDemand(RBC=2.17, PLT=0.26, FFP=1.6, CRYO=0.24),
        "secondary": TierDemand(RBC=1.30, PLT=0.10, FFP=1.0, CRYO=0.15),
        "county": TierDemand(RBC=0.98, PLT=0.05, FFP=0.75, CRYO=0.10),
    }


def _demand_seasons() -> tuple[SeasonWindow, ...]:
    # Planned surgery falls over the Spring Festival holiday (assumed; no public figure);
    # facts 4.3 only says demand is "flat or a small rise before the holiday". Anchored to
    # the festival (days after lunar new year's day): from its eve-week to the end of the
    # public holiday.
    return (
        SeasonWindow(
            name="spring_festival", anchor="spring_festival", start=-2, end=6, factor=0.75
        ),
    )


class Demand(Section):
    """Stochastic daily demand per hospital and product."""

    per_100_beds: dict[TierName, TierDemand] = Field(default_factory=_default_tiers)
    # Regions run together (e.g. yangtze_delta): a member region's hospitals use the rates
    # above x its factor, so each keeps its own calibration (Shanghai: 0.619 of Zhejiang's,
    # scenarios/shanghai_baseline.yaml). Keys are the region's member names.
    region_factor: dict[str, Factor] = Field(
        default_factory=dict,
        max_length=16,
        description="multiplier on per_100_beds by member region (regions run together)",
    )
    # Mon..Sun: heavier mid-week, quieter at weekends (NHSBT pattern, facts 4.2).
    weekday_factors: tuple[Factor, ...] = (1.05, 1.1, 1.1, 1.05, 1.0, 0.85, 0.85)
    seasons: tuple[SeasonWindow, ...] = Field(default_factory=_demand_seasons, max_length=366)
    # Overdispersion of daily demand: coefficient of variation of a gamma-Poisson mix. Peak
    # days are +69 % (facts 4.2), a CV near 0.3; at a CV of 5 most days are empty.
    daily_cv: Number = Field(0.25, ge=0, le=5, description="extra day-to-day variability (CV)")
    # Shares of demand by urgency (assumed; 43 % of Rwanda drone orders were emergencies,
    # facts 5.1, but most hospital demand is planned).
    emergency_share: Share = 0.05
    urgent_share: Share = 0.15
    required_by_min: dict[Literal["emergency", "urgent", "routine"], DueMinutes] = Field(
        default_factory=lambda: {"emergency": 60.0, "urgent": 240.0, "routine": 1440.0}
    )
    # Demand blocks per day: demand is drawn per hospital and day and released in blocks.
    blocks_per_day: Count = Field(4, ge=1, le=24)
    # Surgical autologous transfusion: lowers allogeneic red-cell demand (sim/scenario/quality.py)
    autologous: Autologous = Field(default_factory=Autologous)

    @field_validator("weekday_factors")
    @classmethod
    def _weekdays(cls, factors: tuple[float, ...]) -> tuple[float, ...]:
        return check_weekday_factors(factors)

    @field_validator("required_by_min")
    @classmethod
    def _every_priority(cls, due: dict[str, float]) -> dict[str, float]:
        missing = [p for p in ("emergency", "urgent", "routine") if p not in due]
        if missing:
            raise ValueError(
                f"no time for {', '.join(missing)} (a time for each of emergency, urgent, routine)"
            )
        return due

    @model_validator(mode="after")
    def _shares(self) -> Demand:
        if self.emergency_share + self.urgent_share > 1:
            raise ValueError("emergency_share + urgent_share is above 1 (at most 1)")
        return self
