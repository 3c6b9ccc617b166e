"""Delivery planning: direct trips, or validated multi-stop routes from the routing engine."""

from __future__ import annotations

import numpy as np

from sim.core.domain import Product, UnitState
from sim.policies.delivery_planning import DirectTrips, VrpRoutes, _problem


def _shipments(world, hospitals: list[int], units: float = 2.0) -> dict:
    station = world.sites.position("bs_a")
    out = {}
    for k, hospital in enumerate(hospitals):
        ids = world.new_bags(Product.RBC, 0, 1, np.zeros(int(units)), station, UnitState.RESERVED)
        out[hospital] = (ids, [k])
    return out


def test_direct_trips_keep_the_order_of_the_shipments(tiny_world) -> None:
    world = tiny_world()
    h_a, h_b = world.sites.position("h_a"), world.sites.position("h_b")
    plan = DirectTrips().plan(world, world.sites.position("bs_a"), _shipments(world, [h_b, h_a]))
    assert (plan.direct, plan.routes, plan.status) == ((h_b, h_a), (), "direct")


def test_vrp_routes_visit_every_hospital_once(tiny_world) -> None:
    world = tiny_world()
    station = world.sites.position("bs_a")
    hospitals = [world.sites.position("h_a"), world.sites.position("h_b")]
    world.env.run(until=8 * 60.0)  # the morning review
    plan = VrpRoutes().plan(world, station, _shipments(world, hospitals))
    assert plan.status == "solved" and plan.direct == ()
    visited = [h for route in plan.routes for h in route]
    assert sorted(visited) == sorted(hospitals)


def test_the_routing_problem_uses_the_station_s_vans_and_loads(tiny_world) -> None:
    world = tiny_world()
    station = world.sites.position("bs_a")
    hospitals = [world.sites.position("h_a"), world.sites.position("h_b")]
    problem = _problem(world, station, hospitals, _shipments(world, hospitals, units=3.0))
    assert [c.name for c in problem.clients] == ["h_a", "h_b"]
    assert [c.delivery for c in problem.clients] == [3.0, 3.0]
    vans = problem.vehicle_types[0]
    assert vans.count == world.vans.pools[(station, "delivery")].capacity
    assert vans.capacity == world.scenario.fleet.vans.capacity_u
