"""Testing at the centralized NAT labs and component processing at blood stations."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator

from sim.scenario.base import Count, HourOfDay, Number, PlainText, Section, Share, number

ProductKey = Annotated[PlainText, Field(max_length=20)]  # product name, checked in checks.py
DiscardRate = number(ge=0, lt=1)


def _hours_of_day(hours: tuple[float, ...]) -> tuple[float, ...]:
    if not hours or list(hours) != sorted(set(hours)):
        raise ValueError(f"hours {list(hours)} are not valid (increasing hours of day in [0, 24))")
    return hours


class Testing(Section):
    """NAT + serology screening; units stay quarantined until their donation is released."""

    # Samples leave each station for its regional lab at these hours, by the station's sample
    # couriers (assumed schedule; the courier pool is sized from these trips, fleet.vans).
    sample_dispatch_hours: tuple[HourOfDay, ...] = (11.0, 17.0, 23.0)
    # cobas 6800: 384 tests per 8 h, cobas 8800: 960 (facts 3); 10,000 is 10x the fastest.
    tests_per_shift: Count = Field(
        384, gt=0, le=10_000, description="tests per instrument per 8-h shift"
    )
    instruments_per_lab: Count = Field(2, gt=0, le=100)  # assumed 2; 100 is a national lab
    shifts_per_day: Count = Field(3, ge=1, le=3)
    # cobas 6800 last results 7.12 h after loading (facts 3) + serology and review; release
    # 48-72 h after collection at the slowest (facts 3): 10 days is beyond any lab.
    turnaround_h: Number = Field(8.0, gt=0, le=240, description="hours from run start to release")
    # Screening failures: Shaoxing 2017-2021 1.22 % of donations (facts 3.1); east China
    # 1.2-1.5 % (derived).
    discard_rate: Number = Field(0.0122, ge=0, lt=1, description="share of donations discarded")

    @field_validator("sample_dispatch_hours")
    @classmethod
    def _dispatch(cls, hours: tuple[float, ...]) -> tuple[float, ...]:
        return _hours_of_day(hours)


class Processing(Section):
    """Splitting whole blood into components at the blood station."""

    # FFP separated within 6-8 h of collection (facts 1.2: 6 h, one exam bank 6-8 h); whole
    # blood platelets are not made (platelets come from apheresis).
    # Components are made within 6-8 h (facts 1.2); two days is beyond any rule.
    window_h: Number = Field(8.0, gt=0, le=48, description="collection to separation limit, hours")
    delay_h: Number = Field(
        1.0, ge=0, le=48, description="time from arrival to components made, hours"
    )
    # A province collects ~4,000 donations a day (facts 4.1); 100,000 at one station is 25x.
    capacity_donations_per_day: Count = Field(
        1500, gt=0, le=100_000, description="donations one station can separate per day"
    )
    # Share of donations whose plasma becomes cryoprecipitate instead of FFP; China 2014
    # supply: cryo 2.37 M U against 19.66 M U of RBC (facts 4.1) -> about 12 %.
    cryo_share: Share = 0.12
    # Non-screening component discards (lipaemia, leakage, clots): all-cause rates RBC
    # 2.24 %, FFP 4.20 %, cryo 0.91 % (Zhu et al. 2024, facts 3.1) minus screening losses.
    component_discard_rate: dict[ProductKey, DiscardRate] = Field(
        default_factory=lambda: {"RBC": 0.010, "FFP": 0.030, "CRYO": 0.005, "PLT": 0.003}
    )
