"""Scheduled events: disruptions and surges, each with a start and an end."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, model_validator

from sim.scenario.base import Section
from sim.scenario.rare import Antigen


class _Window(Section):
    name: str = ""
    start: datetime
    end: datetime

    @model_validator(mode="after")
    def _ordered(self) -> _Window:
        if self.end <= self.start:
            raise ValueError("end is not after start (an end later than the start)")
        return self


def _per_admission() -> dict[str, float]:
    # Blood-centre planning per admission: 3 RBC, 1 plasma, 1/4 platelet dose (Ramsey,
    # Vox Sang, recent trends; facts 8).
    return {"RBC": 3.0, "FFP": 1.0, "PLT": 0.25}


class MassCasualty(_Window):
    """Casualties admitted to the nearest capable hospitals; blood used mostly early."""

    type: Literal["mass_casualty"]
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    casualties: int = Field(gt=0, description="admissions to hospital")
    per_admission: dict[Literal["RBC", "FFP", "PLT", "CRYO"], float] = Field(
        default_factory=_per_admission, description="units per admission by product"
    )
    # Tel Aviv: type O was 50 % of units; half the units within the first 2 h (facts 8).
    o_share: float = Field(0.5, ge=0, le=1, description="share of RBC given as group O")
    half_used_h: float = Field(2.0, gt=0, description="hours until half the blood is used")
    hospitals: int = Field(3, ge=1, description="nearest tertiary/secondary hospitals")


class RoadClosure(_Window):
    type: Literal["road_closure"]
    polygon: list[tuple[float, float]] = Field(min_length=3, description="[lon, lat] vertices")
    # Road legs whose straight line crosses the polygon take this many times longer
    # (detours, convoys); a large number makes them practically impassable.
    detour_factor: float = Field(2.5, ge=1)


class DroneGrounding(_Window):
    type: Literal["drone_grounding"]
    wind_ms: float = Field(ge=0, description="wind speed, m/s")


class SiteOutage(_Window):
    type: Literal["lab_outage", "station_outage"]
    site_id: str


class DonorChange(_Window):
    type: Literal["donor_campaign", "collection_collapse"]
    factor: float = Field(ge=0, description="multiplier on donor arrivals")
    sites: list[str] | Literal["all"] = "all"


class RareRequest(_Window):
    """A patient needing antigen-negative red cells between ``start`` and ``end``."""

    type: Literal["rare_request"]
    hospital_id: str
    abo: Literal["O", "A", "B", "AB"]
    rhd: Literal["+", "-"]
    antigens_negative: list[Antigen] = Field(min_length=1)
    units: int = Field(gt=0)


class HlaPlateletRequest(_Window):
    """A patient needing HLA-matched platelets (donor recall from the gene bank)."""

    type: Literal["hla_platelet_request"]
    hospital_id: str
    abo: Literal["O", "A", "B", "AB"]
    rhd: Literal["+", "-"]
    doses: int = Field(gt=0)


Event = Annotated[
    MassCasualty
    | RoadClosure
    | DroneGrounding
    | SiteOutage
    | DonorChange
    | RareRequest
    | HlaPlateletRequest,
    Field(discriminator="type"),
]

EVENT_TYPES = frozenset(
    {
        "mass_casualty",
        "road_closure",
        "drone_grounding",
        "lab_outage",
        "station_outage",
        "donor_campaign",
        "collection_collapse",
        "rare_request",
        "hla_platelet_request",
    }
)
