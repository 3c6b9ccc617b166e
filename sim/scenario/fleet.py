"""Fleet: cold-chain vans, drones and high-speed-rail couriers."""

from __future__ import annotations

from pydantic import Field, model_validator

from sim.scenario.base import Section


class Vans(Section):
    """Refrigerated multi-zone vans based at each blood station."""

    per_station: int = Field(6, ge=1, description="delivery vans per station, at least")
    # Big stations get more: one delivery van per this many hospitals served, whichever is
    # more (assumed; the provincial center also carries escalated orders province-wide).
    hospitals_per_van: float = Field(4.0, gt=0, description="hospitals served per van")
    # Collection vehicles fetch donations from donation houses and carry samples to the lab,
    # separately from the delivery vans: one per two houses, at least two (assumed).
    collection_per_house: float = Field(0.5, gt=0, description="collection vehicles per house")
    # 6-12 insulated boxes of 10-20 U, i.e. ~100-200 U per van (facts 9, UNVERIFIED).
    capacity_u: float = Field(150.0, gt=0, description="units per van")
    cost_per_km: float = Field(3.0, ge=0, description="yuan per km (assumed)")


class Drones(Section):
    """Blood drones (Antwork RA3 class, Hangzhou)."""

    per_port: int = Field(1, ge=0, description="drones at each station drone port")
    payload_kg: float = Field(5.0, gt=0)  # Antwork RA3: 5 kg (facts 5.2)
    range_km: float = Field(15.0, gt=0)  # Antwork RA3: 15 km (facts 5.2)
    cruise_kmh: float = Field(55.0, gt=0)  # observed block speeds 40-55 km/h (facts 5.2)
    turnaround_min: float = Field(5.0, ge=0)  # reload + battery swap 3-5 min (facts 5.4)
    wind_limit_ms: float = Field(13.8, gt=0)  # level-6 wind rating (facts 5.4)
    cost_per_sortie: float = Field(150.0, ge=0, description="yuan per sortie (assumed)")
    # drone_first sends a shipment by drone only if it needs at most this many sorties
    # (the 2024 Zhejiang figures, 576 sorties for >10,000 U, are ~17 U a sortie; seeds.md).
    max_sorties_per_shipment: int = Field(2, ge=1)


class Rail(Section):
    """High-speed-rail couriers between stations on the region's rail lines."""

    couriers_per_train: int = Field(
        1, ge=1, description="informational: rail legs are not yet limited by couriers"
    )
    # Boarding 10-15 min, arrival handover 7-15 min (facts 6.1, derived).
    handover_min: float = Field(12.0, ge=0, description="hand-over at each end, min")
    first_departure_h: float = Field(6.5, ge=0, lt=24)
    last_departure_h: float = Field(22.0, ge=0, lt=24)
    # Hangzhou-Wenzhou up to 38 trains/day (facts 6.2): about one every 30 min.
    headway_min: float = Field(30.0, gt=0)
    cost_per_trip: float = Field(300.0, ge=0, description="yuan per courier trip (assumed)")

    @model_validator(mode="after")
    def _window(self) -> Rail:
        if self.first_departure_h >= self.last_departure_h:
            raise ValueError("first_departure_h must be before last_departure_h")
        return self


class Fleet(Section):
    """All transport resources."""

    vans: Vans = Vans()
    drones: Drones = Drones()
    rail: Rail = Rail()
