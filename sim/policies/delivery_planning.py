"""Routing policies: how a station's routine replenishment reaches its hospitals each day.

``direct``: one trip per hospital, by the dispatch policy. ``vrp``: the day's deliveries of
each station are planned as a capacitated VRP with receiving windows and a cold-chain ride
limit (OR-Tools / PyVRP, ``optimizer.routing``); every plan is checked by the independent
validator before a van moves, and a plan that fails (or a solver that finds none in its
limits) falls back to direct trips, counted in ``kpis.counters.routing_fallbacks``.

A policy returns a :class:`DeliveryPlan`; ``sim.processes.deliveries`` carries it out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from optimizer.routing import Client, Depot, RoutingProblem, VehicleType, find_violations, solve
from sim.core.domain import MINUTES_PER_DAY
from sim.state.world import World

ITERATIONS = 300  # solver iteration limit: deterministic plans for a given seed
TIME_LIMIT_S = 60.0  # wall-clock guard, far above what the iteration limit needs
SERVICE_MIN = 10.0  # unloading and hand-over at a hospital blood bank (assumed)


@dataclass(frozen=True)
class DeliveryPlan:
    """How one station's routine shipments leave today.

    Attributes
    ----------
    routes : tuple of tuple of int
        Multi-stop van routes, each the hospital positions in visiting order.
    direct : tuple of int
        Hospitals whose shipment travels on its own, by the dispatch policy.
    status : str
        ``"direct"`` (no planning), ``"solved"`` (a validated plan) or ``"fallback"``
        (the planner failed; direct trips instead).
    service_min : float
        Unloading and hand-over at each stop of a route, minutes.
    """

    routes: tuple[tuple[int, ...], ...] = ()
    direct: tuple[int, ...] = ()
    status: str = "direct"
    service_min: float = SERVICE_MIN


class DirectTrips:
    """Each hospital's shipment is its own trip from the station (by the dispatch policy)."""

    def plan(self, world: World, station: int, shipments: dict) -> DeliveryPlan:
        """Direct trips, in the order of ``shipments[h] = (ids, order ids)``."""
        return DeliveryPlan(direct=tuple(shipments))


class VrpRoutes:
    """Daily multi-stop van routes per station from the routing engine."""

    def plan(self, world: World, station: int, shipments: dict) -> DeliveryPlan:
        """The station's validated routes (or direct trips when the planner fails)."""
        hospitals = sorted(shipments)
        problem = _problem(world, station, hospitals, shipments)
        plan = solve(
            problem, max_iterations=ITERATIONS, time_limit_s=TIME_LIMIT_S, seed=world.scenario.seed
        )
        if not plan.feasible or plan.dropped or find_violations(problem, plan):
            return DeliveryPlan(direct=tuple(shipments), status="fallback")
        routes = tuple(tuple(hospitals[c] for c in route.visits) for route in plan.routes)
        return DeliveryPlan(routes=routes, status="solved")


def _problem(world: World, station: int, hospitals: list[int], shipments: dict):
    vans, now = world.scenario.fleet.vans, world.now
    windows = world.scenario.inventory.hospital.receiving_hours
    early = max(0.0, windows[0] * 60.0 - now % MINUTES_PER_DAY)
    late = max(early + 1.0, windows[1] * 60.0 - now % MINUTES_PER_DAY)
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
        name=f"{world.site_id(station)} day {int(now // MINUTES_PER_DAY)}",
    )
