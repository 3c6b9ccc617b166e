"""Routine replenishment: the morning review at every hospital and the day's deliveries.

Each morning every hospital's replenishment policy says what it needs, its station picks the
units, the routing policy plans how the shipments leave (a :class:`DeliveryPlan`), and the
processes here carry the plan out: direct trips by the dispatch policy, or multi-stop van
routes that unload at each stop.
"""

from __future__ import annotations

from collections.abc import Generator

import numpy as np

from sim.core.domain import MINUTES_PER_DAY, UnitState
from sim.policies.delivery_planning import DeliveryPlan
from sim.policies.replenishment import review_needs
from sim.processes.orders import arrive_shipment, deliver_shipment, prepare_shipments
from sim.state.outages import is_down
from sim.state.world import World


def daily_reviews(world: World, review_min: float) -> Generator:
    """SimPy process: each morning every hospital orders; each station ships by its routing.

    ``review_min`` is the review time of day, minutes after midnight.
    """
    env = world.env
    by_station: dict[int, list[int]] = {}
    for h in world.hospitals:
        by_station.setdefault(int(world.sites.station_of[h]), []).append(h)
    for day in range(world.scenario.days):
        yield env.timeout(max(0.0, day * MINUTES_PER_DAY + review_min - env.now))
        for station, hospitals in by_station.items():
            if is_down(world.outages, station, env.now):
                world.logs.count("station_down_reviews")
                continue
            needs = review_needs(world, hospitals)
            wanted = zip(hospitals, needs, strict=True)
            shipments = prepare_shipments(world, wanted, together=isinstance(needs, list))
            if shipments:
                carry_out(world, station, shipments, world.routing.plan(world, station, shipments))


def carry_out(world: World, station: int, shipments: dict, plan: DeliveryPlan) -> None:
    """Start the trips of a station's delivery plan (``shipments[h] = (ids, order ids)``)."""
    if plan.status == "solved":
        world.logs.count("routing_plans")
    elif plan.status == "fallback":
        world.logs.count("routing_fallbacks")
    for hospital in plan.direct:
        ids, orders = shipments[hospital]
        world.env.process(deliver_shipment(world, station, hospital, ids, orders))
    for stops in plan.routes:
        world.env.process(run_route(world, station, list(stops), shipments, plan.service_min))


def run_route(
    world: World, station: int, stops: list[int], shipments: dict, service_min: float
) -> Generator:
    """SimPy process: one van drives station -> stops -> station, unloading at each stop
    for ``service_min`` minutes."""
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
        yield world.env.timeout(service_min)
        here = stop
    yield from vans.drive_back(request, here, station, "delivery")
