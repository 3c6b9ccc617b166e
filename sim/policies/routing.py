"""Routing policies: how a station's routine replenishment reaches its hospitals each day.

``direct``: one van trip per hospital. ``vrp``: the day's deliveries of each station are
planned as a capacitated VRP with receiving windows and a cold-chain ride limit (OR-Tools /
PyVRP, ``optimizer.routing``); every plan is checked by the independent validator before a
van moves, and a plan that fails (or a solver that finds none in its limits) falls back to
direct trips, counted in ``kpis.counters.routing_fallbacks``.
"""

from __future__ import annotations

from collections.abc import Generator

import numpy as np

from sim.domain import UnitState
from sim.policies.registry import register

ITERATIONS = 300  # solver iteration limit: deterministic plans for a given seed
TIME_LIMIT_S = 60.0  # wall-clock guard, far above what the iteration limit needs
SERVICE_MIN = 10.0  # unloading and hand-over at a hospital blood bank (assumed)


@register("routing", "direct")
class DirectTrips:
    """Each hospital's shipment is its own van trip from the station."""

    def deliver(self, world: object, station: int, shipments: dict) -> None:
        """Start one delivery process per hospital; ``shipments[h] = (ids, order ids)``."""
        from sim.orders import deliver_shipment

        for hospital, (ids, orders) in shipments.items():
            world.env.process(deliver_shipment(world, station, hospital, ids, orders))


@register("routing", "vrp")
class VrpRoutes:
    """Daily multi-stop van routes per station from the routing engine."""

    def deliver(self, world: object, station: int, shipments: dict) -> None:
        """Plan, validate and run the station's routes (or fall back to direct trips)."""
        from optimizer.routing import find_violations, solve

        hospitals = sorted(shipments)
        problem = _problem(world, station, hospitals, shipments)
        plan = solve(
            problem, max_iterations=ITERATIONS, time_limit_s=TIME_LIMIT_S, seed=world.scenario.seed
        )
        if not plan.feasible or plan.dropped or find_violations(problem, plan):
            world.logs.count("routing_fallbacks")
            DirectTrips().deliver(world, station, shipments)
            return
        world.logs.count("routing_plans")
        for route in plan.routes:
            stops = [hospitals[c] for c in route.visits]
            world.env.process(run_route(world, station, stops, shipments))


def _problem(world: object, station: int, hospitals: list[int], shipments: dict):
    from optimizer.routing import Client, Depot, RoutingProblem, VehicleType

    vans, now = world.scenario.fleet.vans, world.now
    windows = world.scenario.inventory.hospital.receiving_hours
    early = max(0.0, windows[0] * 60.0 - now % 1440.0)
    late = max(early + 1.0, windows[1] * 60.0 - now % 1440.0)
    ride = min(spec.max_transit_h for spec in world.scenario.products.values()) * 60.0
    clients = [
        Client(
            name=world.site_id(h),
            delivery=float(world.ledger.size_u[shipments[h][0]].sum()),
            tw_early=early,
            tw_late=late,
            service_min=SERVICE_MIN,
            max_ride_min=ride,
        )
        for h in hospitals
    ]
    places = np.array([station, *hospitals])
    factor = world.road.peak_multiplier(now)
    minutes = world.road.urban_min[np.ix_(places, places)] * factor
    minutes = minutes + world.road.rest_min[np.ix_(places, places)]
    fleet = VehicleType(
        count=world.vans.pools[(station, "delivery")].capacity,
        capacity=vans.capacity_u,
        cost_per_km=vans.cost_per_km,
        max_duration_min=14 * 60.0,
        name="van",
    )
    return RoutingProblem(
        depots=(Depot(name=world.site_id(station)),),
        clients=tuple(clients),
        vehicle_types=(fleet,),
        distance=world.road.km[np.ix_(places, places)][None],
        duration=minutes[None],
        name=f"{world.site_id(station)} day {int(now // 1440)}",
    )


def run_route(world: object, station: int, stops: list[int], shipments: dict) -> Generator:
    """SimPy process: one van drives station -> stops -> station, unloading at each stop."""
    from sim.orders import arrive_shipment
    from sim.policies.routing import SERVICE_MIN as service

    vans = world.vans
    request = yield from vans.acquire(station, "delivery")
    for stop in stops:
        world.ledger.move(shipments[stop][0], UnitState.IN_TRANSIT, site=stop)
    here = station
    for k, stop in enumerate(stops):
        ids, orders = shipments[stop]
        on_board = np.concatenate([shipments[s][0] for s in stops[k:]])
        yield from vans.drive(here, stop, on_board, "delivery", order_id=orders[0])
        arrive_shipment(world, stop, ids, orders, "van")
        yield world.env.timeout(service)
        here = stop
    yield from vans.drive_back(request, here, station, "delivery")
