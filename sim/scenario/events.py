"""Scheduled events: disruptions and surges, each with a start and an end."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, model_validator

from sim.scenario.base import Section


class _Window(Section):
    name: str = ""
    start: datetime
    end: datetime

    @model_validator(mode="after")
    def _ordered(self) -> _Window:
        if self.end <= self.start:
            raise ValueError("end is not after start (an end later than the start)")
        return self


class MassCasualty(_Window):
    type: Literal["mass_casualty"]
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    casualties: int = Field(gt=0)


class RoadClosure(_Window):
    type: Literal["road_closure"]
    polygon: list[tuple[float, float]] = Field(min_length=3, description="[lon, lat] vertices")


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


Event = Annotated[
    MassCasualty | RoadClosure | DroneGrounding | SiteOutage | DonorChange,
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
    }
)
