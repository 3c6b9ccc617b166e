"""Dispatch: sources ranked by road time, shipments by van, drones only where they fly."""

from __future__ import annotations

import numpy as np

from sim.core.domain import Priority, Product, UnitState
from sim.policies.dispatch import DroneFirst, GroundOnly


def test_the_own_station_ranks_first_and_rankings_are_cached(tiny_world) -> None:
    world = tiny_world()
    policy = GroundOnly()
    hospital = world.sites.position("h_b")
    assert policy.rank_sources(world, hospital) == [world.sites.position("bs_a")]
    assert hospital in policy._ranking
    policy.forget()
    assert policy._ranking == {}


def test_without_drone_ports_drone_first_goes_by_van(tiny_world) -> None:
    world = tiny_world()
    station, hospital = world.sites.position("bs_a"), world.sites.position("h_a")
    ids = world.new_bags(Product.RBC, 0, 1, np.zeros(2), station, UnitState.RESERVED)
    trip = world.env.process(
        DroneFirst().deliver(world, ids, station, hospital, Priority.EMERGENCY, 3)
    )
    world.env.run()
    arrival, mode = trip.value
    legs = world.logs.legs.frame()
    assert mode == "van" and set(legs["mode"]) == {"van"}
    assert arrival == legs.arrive_at[0] and legs.order_id[0] == 3
