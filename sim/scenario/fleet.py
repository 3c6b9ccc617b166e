"""Fleet: cold-chain vans, drones and high-speed-rail couriers."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from sim.scenario.base import Count, HourOfDay, Number, PlainText, Section, count, number


class Vans(Section):
    """Refrigerated multi-zone vans based at each blood station, in pools sized from work.

    Each station's collection, courier (samples to the lab) and delivery pools get enough
    vehicles that a day's round trips fill at most ``max_utilisation`` of their staffed hours
    (``sim/transport/sizing.py``); emergency vehicles are a fixed count per station.
    """

    # Delivery vans per station at the least, whatever the work (six: the small stations'
    # fleets before sizing from work; assumed); 500 vans is a whole provincial fleet.
    per_station: Count = Field(6, ge=1, le=500, description="delivery vans per station, at least")
    # China's standard working day is 8 h (Labour Law art. 36; Shanghai government Q&A,
    # http://www.shanghai.gov.cn/shanghai/node23919/node24097/node24126/node24127/
    # userobject22ai27800.html); 24 h is one driver all day.
    shift_h: Number = Field(8.0, gt=0, le=24, description="driver shift, hours")
    # Two shifts cover the houses' 08:00-21:00 opening and the last pickup at 21:30 (assumed
    # from the supply section); three is round the clock.
    shifts_per_day: Count = Field(2, ge=1, le=3, description="driver shifts a day per vehicle")
    # Pickups come in waves (every house at the same hour) and peak-hour roads are slower, so
    # a pool is sized to be on the road at most 60 % of its staffed hours (assumed; EMS
    # planners see response times suffer above ~0.3 unit-hour utilisation,
    # https://online.flippingbook.com/view/396338117/15; routine trips are scheduled, so twice
    # that). At 1.0 a pool has no slack: Lishui's 2 vehicles had 1.65 (issue 11).
    max_utilisation: Number = Field(
        0.6, gt=0, le=1, description="highest share of staffed hours a pool spends driving"
    )
    # Urgent and emergency trips on top of the one routine delivery a hospital gets a day:
    # ~57 a day for 292 hospitals in the 60-day baseline (seed 3, Jan 2025; measured); ten
    # a day per hospital is a mass-casualty week.
    extra_trips_per_hospital: Number = Field(
        0.2, ge=0, le=10, description="urgent trips per hospital a day, for sizing"
    )
    # England's National Blood Service ran 60 blue-light cars for emergency deliveries for
    # 15 blood centres, apart from its delivery vans (https://www.fleetnews.co.uk/news/2005/11/
    # 8/special-feature-national-blood-service/20639/); one per station here, 0 turns the
    # dedicated vehicle off (emergencies then only jump the delivery queue).
    emergency_per_station: Count = Field(
        1, ge=0, le=50, description="dedicated emergency vehicles per station"
    )
    # 6-12 insulated boxes of 10-20 U, i.e. ~100-200 U per van (facts 9, UNVERIFIED); a
    # refrigerated truck holds a few thousand.
    capacity_u: Number = Field(150.0, gt=0, le=5000, description="units per van")
    # Van running costs are a few yuan per km (assumed); 1,000 is a chartered aircraft.
    cost_per_km: Number = Field(3.0, ge=0, le=1000, description="yuan per km (assumed)")


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
Weekday = Literal["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
DroneProduct = Literal["RBC", "PLT", "FFP", "CRYO", "FRBC"]


class RoutineRoute(Section):
    """A drone route flown on a timetable for a hospital's routine replenishment.

    On each scheduled day the station books the drone's load at the hospital's morning review
    (the replenishment policy's need for ``products``, up to ``sorties`` full payloads) and the
    drone leaves at ``departure_h``; the morning van carries the rest.
    """

    from_site: PlainText = Field(alias="from", description="station or centre site id")
    to_site: PlainText = Field(alias="to", description="hospital site id (served by from)")
    name: PlainText = Field("", description="the real route this one stands for")
    # Published route lengths are 3-35 km (facts 5.2); 500 km is beyond any blood drone.
    km: number(gt=0, le=500) = Field(description="route length as published, km")
    # Published flights take 5-38 min (facts 5.2); default: km at the fleet's cruise speed.
    flight_min: number(gt=0, le=600) | None = Field(None, description="flight minutes")
    # Range of the drone on this route (default: the fleet's range_km).
    range_km: number(gt=0, le=500) | None = Field(None, description="drone range, km")
    departure_h: HourOfDay = Field(9.0, description="take-off hour on scheduled days")
    days: tuple[Weekday, ...] = Field(WEEKDAYS, min_length=1, description="days flown")
    # One to a few sorties per departure; 20 is a whole hub's day (facts 5.1).
    sorties: count(ge=1, le=20) = Field(1, description="sorties per departure, at most")
    # Drone blood boxes hold 2-8 or 2-10 C (facts 1.4): red cells by default.
    products: tuple[DroneProduct, ...] = Field(("RBC",), min_length=1)

    @field_validator("days", "products")
    @classmethod
    def _once(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(values)) < len(values):
            raise ValueError(f"{list(values)} lists a value twice (each once)")
        return values


class Drones(Section):
    """Blood drones (Antwork RA3 class, Hangzhou)."""

    # Zipline hubs have 20-30 drones (facts 5.1); 100 per port leaves headroom.
    per_port: Count = Field(1, ge=0, le=100, description="drones at each station drone port")
    # Antwork RA3: 5 kg, blood drones up to 10 kg (facts 5.2); 100 kg is a cargo drone.
    payload_kg: Number = Field(5.0, gt=0, le=100)
    # Antwork RA3: 15 km; Zipline 160 km return (facts 5.1, 5.2); 500 km is beyond both.
    range_km: Number = Field(15.0, gt=0, le=500)
    # Observed block speeds 40-55 km/h, Zipline up to 125 km/h (facts 5.1, 5.2); below
    # 1 km/h a drone is not a transport mode.
    cruise_kmh: Number = Field(55.0, ge=1, le=300)
    # Reload + battery swap 3-5 min, recharging 40 min (facts 5.4); a day is beyond both.
    turnaround_min: Number = Field(5.0, ge=0, le=1440)
    # Level-6 rating 13.8 m/s (facts 5.4); 60 m/s is a super typhoon.
    wind_limit_ms: Number = Field(13.8, gt=0, le=60)
    cost_per_sortie: Number = Field(
        150.0, ge=0, le=100_000, description="yuan per sortie (assumed)"
    )
    # drone_first sends a shipment by drone only if it needs at most this many sorties
    # (the 2024 Zhejiang figures, 576 sorties for >10,000 U, are ~17 U a sortie; seeds.md).
    max_sorties_per_shipment: Count = Field(2, ge=1, le=100)
    # Routine routes flown on a timetable whatever the dispatch policy (none by default; the
    # Zhejiang baseline declares the routes of facts 5.2). 200 routes: Antwork's 193 (facts 5.2).
    routine_routes: tuple[RoutineRoute, ...] = Field((), max_length=200)
    # Where dispatch (drone_first, multimodal) may fly a delivery: "all_ports" lets every
    # drone port of the region fly to every other within range (a what-if: multimodal then
    # flies ~30,000 sorties a year in Zhejiang against 576 in reality, seeds.md);
    # "operated" only the routine routes (both ways, at their published km and minutes) and
    # legs between two sites of ``operated_ports`` (the network a province really runs).
    network: Literal["operated", "all_ports"] = Field(
        "all_ports", description="drone legs dispatch may use"
    )
    # Site ids with a drone port whose legs between each other are operated; 200 is above
    # the 193 regular routes Antwork ran in 23 cities (facts 5.2).
    operated_ports: tuple[PlainText, ...] = Field((), max_length=200)

    @field_validator("operated_ports")
    @classmethod
    def _ports_once(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(values)) < len(values):
            raise ValueError(f"{list(values)} lists a site twice (each once)")
        return values

    @model_validator(mode="after")
    def _routes(self) -> Drones:
        pairs = [(r.from_site, r.to_site) for r in self.routine_routes]
        if pairs and self.per_port == 0:
            raise ValueError("routine_routes need drones: per_port at least 1 (or no routes)")
        for i, route in enumerate(self.routine_routes):
            reach = route.range_km or self.range_km
            if route.km > reach:
                raise ValueError(
                    f"routine_routes.{i}: {route.km} km is beyond the drone range of {reach} km "
                    "(a range_km on the route at least its km)"
                )
            if pairs.index(pairs[i]) != i:
                raise ValueError(f"routine_routes.{i}: route {pairs[i]} is listed twice")
        return self


class Rail(Section):
    """High-speed-rail couriers between stations on the region's rail lines."""

    couriers_per_train: Count = Field(
        1, ge=1, le=100, description="informational: rail legs are not yet limited by couriers"
    )
    # Boarding 10-15 min, arrival handover 7-15 min (facts 6.1, derived); 4 h is beyond.
    handover_min: Number = Field(12.0, ge=0, le=240, description="hand-over at each end, min")
    first_departure_h: Number = Field(6.5, ge=0, lt=24)
    last_departure_h: Number = Field(22.0, ge=0, lt=24)
    # Hangzhou-Wenzhou up to 38 trains/day (facts 6.2): about one every 30 min; from one a
    # minute to one a day.
    headway_min: Number = Field(30.0, ge=1, le=1440)
    cost_per_trip: Number = Field(
        300.0, ge=0, le=100_000, description="yuan per courier trip (assumed)"
    )

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
