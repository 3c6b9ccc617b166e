"""The World: every field set by its constructor, bags counted as they are added."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core.domain import MINUTES_PER_DAY, Product, UnitState
from sim.state.fleets import DroneView, VanFleet
from sim.state.world import World
from sim.transport.drones import DroneFleet
from sim.transport.vans import Vans


def test_the_fleets_factory_sets_vans_and_drones_at_construction(tiny_world) -> None:
    world = tiny_world()
    assert isinstance(world.vans, Vans) and isinstance(world.drones, DroneFleet)
    assert world.vans.world is world and world.drones.world is world


def test_the_fleets_factory_sees_a_complete_world(tiny_world) -> None:
    template = tiny_world()
    seen = {}

    def fleets(world: World) -> tuple[VanFleet, DroneView]:
        seen.update(stock=set(world.stock), now=world.now, oracle=world.oracle is not None)
        return Vans(world), DroneFleet(world)

    World(template.scenario, template.region, 7, fleets=fleets)
    hospitals = set(template.sites.of_kind("hospital").tolist())
    assert seen == {
        "stock": {*template.sites.stations.tolist(), *hospitals},
        "now": 0.0,
        "oracle": True,
    }


def test_new_bags_expire_after_the_shelf_life_and_are_counted(tiny_world) -> None:
    world = tiny_world()
    station = int(world.sites.stations[0])
    ids = world.new_bags(Product.PLT, 0, 1, np.array([0.0, 60.0]), station, UnitState.AVAILABLE)
    shelf = world.scenario.products["PLT"].shelf_life_days * MINUTES_PER_DAY
    assert world.ledger.expires_at[ids].tolist() == [shelf, 60.0 + shelf]
    assert world.ledger.donation_id[ids].tolist() == [0, 1]
    assert world.next_donation_id == 2
    assert world.bags_created[Product.PLT] == 2 and world.bags_created.sum() == 2


def test_horizon_and_site_ids(tiny_world) -> None:
    world = tiny_world(days=4)
    assert world.horizon_min == 4 * MINUTES_PER_DAY
    assert world.site_id(world.sites.position("h_b")) == "h_b"
    with pytest.raises(TypeError, match="fleets"):
        World(world.scenario, world.region, 7)  # the vehicles are not optional
