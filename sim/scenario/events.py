"""Scheduled events: disruptions and surges, each with a start and an end."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, NaiveDatetime, model_validator
from shapely.geometry import Polygon

from sim.scenario.base import (
    Count,
    Factor,
    Number,
    PlainText,
    Section,
    Share,
    SiteSelection,
    check_event_time,
    number,
)
from sim.scenario.rare import Antigen

# Local clock time without a time zone, within the years scenarios may cover.
LocalTime = Annotated[NaiveDatetime, AfterValidator(check_event_time)]
Lon = number(ge=-180, le=180)
Lat = number(ge=-90, le=90)
# Mass-casualty planning: 3 RBC per admission at blood centres, 6 at trauma centres
# (facts 8); 100 per admission on average is beyond any massive transfusion.
PerAdmission = number(ge=0, le=100)


class _Window(Section):
    name: PlainText = ""
    start: LocalTime = Field(description="local time (no time zone), e.g. 2025-07-04T06:00")
    end: LocalTime = Field(description="local time (no time zone), after start")

    @model_validator(mode="after")
    def _ordered(self) -> _Window:
        if self.end <= self.start:
            raise ValueError("end is not after start (an end later than the start)")
        return self


def _per_admission() -> dict[str, float]:
    # Blood-centre planning per admission: 3 RBC, 1 plasma, 1/4 platelet dose (Ramsey,
    # Vox Sang, recent trends; facts 8).
    return {"RBC": 3.0, "FFP": 1.0, "PLT": 0.25}


RECEIVING_TIERS = ("tertiary", "secondary")  # hospitals that receive mass casualties


class MassCasualty(_Window):
    """Casualties admitted to the nearest capable hospitals; blood used mostly early."""

    type: Literal["mass_casualty"]
    lat: Lat
    lon: Lon
    # Mass-casualty events have tens to hundreds of admissions (facts 8); 100,000 is a
    # catastrophe beyond the Wenchuan earthquake's hospital load.
    casualties: Count = Field(gt=0, le=100_000, description="admissions to hospital")
    per_admission: dict[Literal["RBC", "FFP", "PLT", "CRYO"], PerAdmission] = Field(
        default_factory=_per_admission, description="units per admission by product"
    )
    # Tel Aviv: type O was 50 % of units; half the units within the first 2 h (facts 8);
    # most units are used within 24 h (facts 8): a month is beyond any event.
    o_share: Share = Field(0.5, description="share of RBC given as group O")
    half_used_h: Number = Field(2.0, gt=0, le=720, description="hours until half the blood is used")
    hospitals: Count = Field(3, ge=1, le=1000, description="nearest tertiary/secondary hospitals")

    @model_validator(mode="after")
    def _at_most_a_month(self) -> MassCasualty:
        # Blood is planned hour by hour over the incident; after day 1 use is half of
        # day 1's and falling (facts 8), so a month is the longest sensible incident.
        if self.end - self.start > timedelta(days=30):
            raise ValueError(
                f"the incident lasts {(self.end - self.start).days} days "
                "(at most 30 days from start to end)"
            )
        return self


class RoadClosure(_Window):
    type: Literal["road_closure"]
    polygon: list[tuple[Lon, Lat]] = Field(
        min_length=3, max_length=1000, description="[lon, lat] vertices, degrees"
    )
    # Road legs whose straight line crosses the polygon take this many times longer
    # (detours, convoys); a large number makes them practically impassable (1,000 already is).
    detour_factor: Number = Field(2.5, ge=1, le=1000)

    @model_validator(mode="after")
    def _simple_polygon(self) -> RoadClosure:
        if not Polygon(self.polygon).is_valid:
            raise ValueError(
                "polygon is not a valid area (a simple polygon: at least three distinct "
                "vertices, edges that do not cross)"
            )
        return self


class DroneGrounding(_Window):
    type: Literal["drone_grounding"]
    # A super typhoon sustains 60+ m/s; 100 m/s is beyond any recorded wind near the ground.
    wind_ms: Number = Field(ge=0, le=100, description="wind speed, m/s")


class SiteOutage(_Window):
    type: Literal["lab_outage", "station_outage"]
    site_id: PlainText


class DonorChange(_Window):
    type: Literal["donor_campaign", "collection_collapse"]
    factor: Factor = Field(description="multiplier on donor arrivals")
    sites: SiteSelection = "all"


class RareRequest(_Window):
    """A patient needing antigen-negative red cells between ``start`` and ``end``."""

    type: Literal["rare_request"]
    hospital_id: PlainText
    abo: Literal["O", "A", "B", "AB"]
    rhd: Literal["+", "-"]
    antigens_negative: list[Antigen] = Field(min_length=1, max_length=7)
    # One patient needs a few units (seeds.md: 2-4); 1,000 is a whole hospital's month.
    units: Count = Field(gt=0, le=1000)


class HlaPlateletRequest(_Window):
    """A patient needing HLA-matched platelets (donor recall from the gene bank)."""

    type: Literal["hla_platelet_request"]
    hospital_id: PlainText
    abo: Literal["O", "A", "B", "AB"]
    rhd: Literal["+", "-"]
    doses: Count = Field(gt=0, le=100)  # one patient: a dose or two a day


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
