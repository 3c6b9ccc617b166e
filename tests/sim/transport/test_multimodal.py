"""Following a route: van legs in turn; a van meets the shipment where no van is based."""

from __future__ import annotations

import numpy as np
import pytest

from optimizer.network import Route, RouteLeg
from sim.core.domain import Priority, Product, UnitState
from sim.transport.multimodal import follow_route


def test_van_legs_are_driven_in_turn_and_a_van_meets_the_second(tiny_world) -> None:
    world = tiny_world()
    station, house, hospital = (world.sites.position(s) for s in ("bs_a", "dh_a", "h_a"))
    ids = world.new_bags(Product.RBC, 0, 1, np.zeros(2), station, UnitState.AVAILABLE)
    route = Route.of(
        [
            RouteLeg("van", station, house, 0.0, 0.0, 1.0),
            RouteLeg("van", house, hospital, 0.0, 0.0, 1.0),
        ],
        0.0,
    )
    done = world.env.process(follow_route(world, route, ids, Priority.EMERGENCY, order=9))
    world.env.run()
    legs = world.logs.legs.frame()
    # The meeting van leaves its station at once, so it waits at the house.
    meet = legs[legs.purpose == "positioning"]
    assert list(zip(meet.from_site, meet.to_site, meet.depart_at, strict=True)) == [
        ("bs_a", "dh_a", 0.0)
    ]
    loaded = legs[legs.bags > 0]
    assert list(zip(loaded.from_site, loaded.to_site, strict=True)) == [
        ("bs_a", "dh_a"),
        ("dh_a", "h_a"),
    ]
    assert (loaded.order_id == 9).all()
    second = loaded.iloc[1]
    assert second.depart_at == pytest.approx(loaded.iloc[0].arrive_at)
    assert done.value == pytest.approx(second.arrive_at)
    assert world.ledger.site[ids].tolist() == [hospital, hospital]
