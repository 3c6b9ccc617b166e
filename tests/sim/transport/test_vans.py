"""Van pools: a trip records its loaded and empty legs; emergencies take the next free van."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core.domain import Priority, Product, UnitState
from sim.transport.vans import Vans

ONE_VAN = """\
fleet:
  vans: {per_station: 1, emergency_per_station: 0}  # one van, no emergency vehicle
"""


def _bags(world, n: int, site: int) -> np.ndarray:
    at = np.zeros(n)
    return world.new_bags(Product.RBC, 0, 1, at, site, UnitState.AVAILABLE)


def test_a_trip_carries_the_bags_and_drives_back(tiny_world) -> None:
    world = tiny_world()
    station, hospital = world.sites.position("bs_a"), world.sites.position("h_b")
    ids = _bags(world, 3, station)
    minutes = world.road.minutes(station, hospital, 0.0)
    trip = world.env.process(world.vans.trip(station, station, hospital, ids, "delivery"))
    world.env.run()
    assert trip.value == pytest.approx(minutes)
    assert world.ledger.state[ids].tolist() == [UnitState.IN_TRANSIT] * 3
    assert world.ledger.site[ids].tolist() == [hospital] * 3
    legs = world.logs.legs.frame()
    assert legs.purpose.tolist() == ["delivery", "return"]
    assert legs.bags.tolist() == [3, 0] and legs.units.tolist() == [3.0, 0.0]
    assert legs.to_site.tolist() == ["h_b", "bs_a"]
    assert legs.cost_yuan[0] == pytest.approx(legs.km[0] * world.scenario.fleet.vans.cost_per_km)
    assert world.vans.pools[(station, "delivery")].count == 0  # the van is free again


def test_a_van_sent_from_another_site_first_drives_there_empty(tiny_world) -> None:
    world = tiny_world()
    station, house, hospital = (world.sites.position(s) for s in ("bs_a", "dh_a", "h_a"))
    world.env.process(
        world.vans.trip(station, house, hospital, _bags(world, 1, house), "x", fleet="collection")
    )
    world.env.run()
    legs = world.logs.legs.frame()
    assert list(zip(legs.purpose, legs.from_site, legs.to_site, strict=True)) == [
        ("positioning", "bs_a", "dh_a"),
        ("x", "dh_a", "h_a"),
        ("return", "h_a", "bs_a"),
    ]
    assert legs.depart_at[1] == pytest.approx(legs.arrive_at[0])


def test_an_emergency_overtakes_queued_routine_trips(tiny_world) -> None:
    world = tiny_world(extra=ONE_VAN)
    vans: Vans = world.vans
    station, h_a, h_b = (world.sites.position(s) for s in ("bs_a", "h_a", "h_b"))
    assert vans.pools[(station, "delivery")].capacity == 1
    busy = world.env.process(vans.trip(station, station, h_b, _bags(world, 1, station), "first"))
    routine = world.env.process(
        vans.trip(station, station, h_a, _bags(world, 1, station), "routine")
    )
    urgent = world.env.process(
        vans.trip(
            station, station, h_a, _bags(world, 1, station), "urgent", priority=Priority.EMERGENCY
        )
    )
    world.env.run()
    assert busy.value < urgent.value < routine.value
