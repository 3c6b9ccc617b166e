"""Inventory policies: days of cover targets and safety levels."""

from __future__ import annotations

from pydantic import Field, model_validator

from sim.scenario.base import Number, Section, number

# Stations aim at 7-10 days of red cells and weeks of plasma (facts 4.5); a year of cover
# is more than any blood bank holds (plasma keeps one year, facts 1.3).
ClockHour = number(ge=0, le=24)  # opening or closing time, hours
Days = number(ge=0, le=365)


class CoverDays(Section):
    """Days of cover by product (mean daily use multiples)."""

    RBC: Days
    PLT: Days
    FFP: Days
    CRYO: Days


class StockPolicy(Section):
    """Order-up-to target and safety level, in days of mean demand."""

    target_days: CoverDays
    safety_days: CoverDays
    review_hour: Number = Field(
        7.0,
        ge=0,
        lt=24,
        description="daily review, hour of day (hospitals; stations are "
        "supplied by collection and rebalancing)",
    )
    # Hospital blood banks receive routine deliveries in these hours (assumed); read by the
    # vrp routing policy (hospitals only).
    receiving_hours: tuple[ClockHour, ClockHour] = (8.0, 20.0)

    @model_validator(mode="after")
    def _safety_below_target(self) -> StockPolicy:
        if not 0 <= self.receiving_hours[0] < self.receiving_hours[1] <= 24:
            raise ValueError(
                f"receiving_hours {list(self.receiving_hours)} are not valid "
                "([open, close) hours with 0 <= open < close <= 24)"
            )
        for product in ("RBC", "PLT", "FFP", "CRYO"):
            if getattr(self.safety_days, product) > getattr(self.target_days, product):
                raise ValueError(
                    f"safety_days.{product} is above target_days.{product} (at most the target)"
                )
        return self


def _hospital() -> StockPolicy:
    # Hospital blood banks: a few days of RBC, platelets short because of the 5-day life
    # (assumed; the 3-day "warning line" is from Yichang and the Philippines DOH, facts 4.5).
    return StockPolicy(
        target_days=CoverDays(RBC=3, PLT=1.5, FFP=5, CRYO=5),
        safety_days=CoverDays(RBC=1, PLT=0.5, FFP=2, CRYO=2),
    )


def _station() -> StockPolicy:
    # Blood stations: target 7 days, alert below 3 (China 7-10 day target UNVERIFIED,
    # facts 4.5).
    return StockPolicy(
        target_days=CoverDays(RBC=7, PLT=3, FFP=30, CRYO=30),
        safety_days=CoverDays(RBC=3, PLT=1, FFP=7, CRYO=7),
        review_hour=6.0,
    )


class Inventory(Section):
    """Stock policies for hospitals and blood stations."""

    hospital: StockPolicy = Field(default_factory=_hospital)
    station: StockPolicy = Field(default_factory=_station)
