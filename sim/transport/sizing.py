"""Vehicle pools sized from the vehicle-hours of work a station's routine day needs.

Each station has three pools of vans (plus its emergency vehicles, a fixed count):

- ``collection``: a round trip to every donation house at every pickup hour;
- ``courier``: a round trip to the station's testing lab at every sample dispatch hour;
- ``delivery``: a round trip to every hospital it serves after the morning review, and
  ``extra_trips_per_hospital`` more a day for urgent and emergency orders.

Trip times are the road model's at the hour the trip leaves (peak hours included). A pool
gets enough vehicles that the day's work fills at most ``max_utilisation`` of their staffed
hours (``shift_h`` x ``shifts_per_day`` per vehicle).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.core.domain import MINUTES_PER_DAY
from sim.state.world import World


@dataclass(frozen=True)
class StationWork:
    """Vehicle-hours of routine work a station's pools do on a typical day (hours)."""

    collection_h: float
    courier_h: float
    delivery_h: float


def vehicles_for(work_h: float, staffed_h: float, max_utilisation: float, floor: int = 1) -> int:
    """Vehicles needed so that ``work_h`` fills at most ``max_utilisation`` of their time.

    Parameters
    ----------
    work_h : float
        Vehicle-hours of work a day (hours).
    staffed_h : float
        Hours a day one vehicle is staffed (driver shift x shifts a day), hours.
    max_utilisation : float
        Highest share of the staffed hours spent on the road (0-1].
    floor : int
        The pool's smallest size (vehicles).
    """
    if staffed_h <= 0 or not 0 < max_utilisation <= 1:
        raise ValueError(
            f"staffed_h {staffed_h} and max_utilisation {max_utilisation} are not valid "
            "(staffed_h > 0, 0 < max_utilisation <= 1)"
        )
    return max(floor, math.ceil(round(work_h / (staffed_h * max_utilisation), 9)))


def round_trip_min(world: World, base: int, site: int, leave_min: float) -> float:
    """Minutes for a van leaving ``base`` at ``leave_min`` (minute of day) to reach ``site``
    and drive straight back."""
    road = world.road
    out = road.minutes(base, site, leave_min)
    return out + road.minutes(site, base, (leave_min + out) % MINUTES_PER_DAY)


def round_trips_h(world: World, base: int, sites: np.ndarray, hours: tuple[float, ...]) -> float:
    """Hours on the road for a round trip from ``base`` to every site at every hour of day
    (0-24) the trips leave."""
    minutes = sum(round_trip_min(world, base, int(s), h * 60.0) for h in hours for s in sites)
    return minutes / 60.0


def pickups_h(world: World, base: int, houses: np.ndarray, hours: tuple[float, ...]) -> float:
    """Hours on the road for pickups that reach every house at every hour of day (0-24): the
    van leaves the off-peak drive before the hour (:func:`sim.processes.blood_station.pickups`)."""
    minutes = 0.0
    for house in map(int, houses):
        drive = world.road.minutes(base, house, 0.0)
        for hour in hours:
            minutes += round_trip_min(world, base, house, (hour * 60.0 - drive) % MINUTES_PER_DAY)
    return minutes / 60.0


def station_work(world: World, station: int, houses: np.ndarray) -> StationWork:
    """Daily vehicle-hours of the station's pickups, sample runs and deliveries.

    ``houses`` are the positions of the donation houses in use (any station's).
    """
    sites, scenario = world.sites, world.scenario
    own = houses[sites.station_of[houses] == station]
    hospitals = sites.of_kind("hospital")
    hospitals = hospitals[sites.station_of[hospitals] == station]
    lab = np.array([int(sites.lab_of[station])]) if sites.lab_of[station] >= 0 else own[:0]
    review = (scenario.inventory.hospital.review_hour,)
    extra = 1.0 + scenario.fleet.vans.extra_trips_per_hospital
    return StationWork(
        collection_h=pickups_h(world, station, own, scenario.supply.pickup_hours),
        courier_h=round_trips_h(world, station, lab, scenario.testing.sample_dispatch_hours),
        delivery_h=extra * round_trips_h(world, station, hospitals, review),
    )


def pool_sizes(world: World, station: int, houses: np.ndarray) -> dict[str, int]:
    """Vehicles per pool (``collection``, ``courier``, ``delivery``, ``emergency``)."""
    vans = world.scenario.fleet.vans
    staffed = vans.shift_h * vans.shifts_per_day
    work = station_work(world, station, houses)
    return {
        "collection": vehicles_for(work.collection_h, staffed, vans.max_utilisation),
        "courier": vehicles_for(work.courier_h, staffed, vans.max_utilisation),
        "delivery": vehicles_for(work.delivery_h, staffed, vans.max_utilisation, vans.per_station),
        "emergency": vans.emergency_per_station,
    }
