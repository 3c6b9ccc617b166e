"""Carrying out a delivery plan: direct trips, and multi-stop routes unloading at each stop."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core.domain import Product, UnitState
from sim.policies.delivery_planning import DeliveryPlan
from sim.processes.deliveries import carry_out
from sim.processes.orders import new_order


def _shipments(world, station: int, hospitals: list[int]) -> dict:
    out = {}
    for hospital in hospitals:
        ids = world.new_bags(Product.RBC, 0, 1, np.zeros(2), station, UnitState.AVAILABLE)
        world.ledger.move(ids, UnitState.RESERVED)
        order = new_order(world, hospital, station, "RBC", "mixed", 0, 2.0, 1440.0)
        out[hospital] = (ids, [order])
    return out


def test_a_route_visits_its_stops_in_order_and_unloads_at_each(tiny_world) -> None:
    world = tiny_world()
    station, h_a, h_b = (world.sites.position(s) for s in ("bs_a", "h_a", "h_b"))
    shipments = _shipments(world, station, [h_a, h_b])
    plan = DeliveryPlan(routes=((h_b, h_a),), status="solved", service_min=10.0)
    carry_out(world, station, shipments, plan)
    world.env.run()
    legs = world.logs.legs.frame()
    assert list(zip(legs.from_site, legs.to_site, legs.bags, strict=True)) == [
        ("bs_a", "h_b", 4),
        ("h_b", "h_a", 2),
        ("h_a", "bs_a", 0),
    ]
    assert legs.depart_at[1] == pytest.approx(legs.arrive_at[0] + 10.0)  # unloading
    orders = world.logs.orders.frame()
    assert orders.arrived_at.tolist() == [legs.arrive_at[1], legs.arrive_at[0]]
    assert set(orders["mode"]) == {"van"}
    for hospital, (ids, _) in shipments.items():
        assert (world.ledger.site[ids] == hospital).all()
        assert (world.ledger.state[ids] == UnitState.AVAILABLE).all()
    assert world.logs.counters["routing_plans"] == 1


def test_a_fallback_plan_sends_direct_trips_and_is_counted(tiny_world) -> None:
    world = tiny_world()
    station, h_a, h_b = (world.sites.position(s) for s in ("bs_a", "h_a", "h_b"))
    shipments = _shipments(world, station, [h_a, h_b])
    carry_out(world, station, shipments, DeliveryPlan(direct=(h_a, h_b), status="fallback"))
    world.env.run()
    loaded = world.logs.legs.frame().query("bags > 0")
    assert sorted(zip(loaded.from_site, loaded.to_site, strict=True)) == [
        ("bs_a", "h_a"),
        ("bs_a", "h_b"),
    ]
    assert world.logs.counters == {"routing_fallbacks": 1}
