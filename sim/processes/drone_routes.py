"""Routine drone routes flown on a timetable (``fleet.drones.routine_routes``).

On each scheduled day the station books the drone's load just before the hospital's morning
review: the replenishment policy's need for the route's products, cut to whole bags (oldest
first in each group, shared in proportion to the need) that fit ``sorties`` payloads. The
drone leaves at the route's ``departure_h`` and flies the published km and minutes; the
review that follows counts the load as on order, so the morning van carries only the rest.
This runs whatever the dispatch policy: it is how the province operates these routes
(facts 5.2), not an emergency choice.
"""

from __future__ import annotations

from collections.abc import Generator

import numpy as np

from sim.core.domain import MINUTES_PER_DAY, Product
from sim.processes.orders import arrive_shipment, prepare_shipment
from sim.scenario.fleet import WEEKDAYS, RoutineRoute
from sim.state.outages import is_down
from sim.state.world import World
from sim.transport.drones import route_plan

BOOK_LEAD_MIN = 1.0  # the load is booked this long before the hospitals' review, minutes


def start_routine_routes(world: World) -> None:
    """Start one timetable process per declared routine route."""
    for route in world.scenario.fleet.drones.routine_routes:
        world.env.process(fly_timetable(world, route))


def flight_plan(world: World, route: RoutineRoute) -> tuple[float, float]:
    """(km, flight minutes) of a route: as published, minutes default to km at cruise speed."""
    return route_plan(route, world.scenario.fleet.drones.cruise_kmh)


def scheduled_days(world: World, route: RoutineRoute) -> np.ndarray:
    """Day indices of the horizon on which the route flies (by weekday)."""
    flown = np.array([name in route.days for name in WEEKDAYS])
    return np.flatnonzero(flown[world.calendar.weekdays[: world.scenario.days]])


def fly_timetable(world: World, route: RoutineRoute) -> Generator:
    """SimPy process: book and fly the route on each of its scheduled days."""
    env = world.env
    origin, dest = world.sites.position(route.from_site), world.sites.position(route.to_site)
    review_min = world.scenario.inventory.hospital.review_hour * 60.0
    depart_min = route.departure_h * 60.0
    book_min = min(depart_min, review_min - BOOK_LEAD_MIN)
    for day in scheduled_days(world, route):
        yield env.timeout(max(0.0, day * MINUTES_PER_DAY + book_min - env.now))
        take_off = day * MINUTES_PER_DAY + depart_min
        if skipped := _skip_reason(world, route, origin, take_off):
            world.logs.count(f"drone_route_{skipped}")
            continue
        ids, orders = book_load(world, origin, dest, route)
        if not len(ids):
            world.logs.count("drone_route_nothing_to_carry")
            continue
        env.process(_fly(world, route, origin, dest, ids, orders, take_off))


def _skip_reason(world: World, route: RoutineRoute, origin: int, take_off: float) -> str:
    """Why today's flight is not booked ("" if it is): the station is down, or the weather
    grounds drones at take-off time (the load then goes by the morning van)."""
    if is_down(world.outages, origin, world.now):
        return "station_down"
    minutes = flight_plan(world, route)[1] + world.scenario.fleet.drones.turnaround_min
    return "grounded" if world.drones.grounded(take_off, take_off + minutes) else ""


def _fly(
    world: World,
    route: RoutineRoute,
    origin: int,
    dest: int,
    ids: np.ndarray,
    orders: list[int],
    take_off: float,
) -> Generator:
    yield world.env.timeout(max(0.0, take_off - world.now))
    plan = flight_plan(world, route)
    arrival = yield from world.drones.fly(origin, dest, ids, "delivery", orders[0], plan)
    arrive_shipment(world, dest, ids, orders, "drone", arrival)


def book_load(
    world: World, station: int, hospital: int, route: RoutineRoute
) -> tuple[np.ndarray, list[int]]:
    """Record the routine orders the drone carries and reserve their units at ``station``.

    Returns the unit ids and order ids (empty when the hospital needs none of the route's
    products or the station has none).
    """
    needs = world.replenishment.needs(world, hospital)
    wanted = {p: grid for p, grid in needs.items() if Product(p).name in route.products}
    cap_kg = route.sorties * world.scenario.fleet.drones.payload_kg
    grids = fit_payload(world, station, wanted, cap_kg)
    if not grids:
        return np.empty(0, np.int64), []
    return prepare_shipment(world, hospital, grids)


def fit_payload(
    world: World, station: int, wanted: dict[int, np.ndarray], cap_kg: float
) -> dict[int, np.ndarray]:
    """The part of ``wanted`` (U per [abo, rhd] by product) that fits ``cap_kg`` in whole bags.

    The bags the station would give are looked up (and put back): oldest first in each
    group, every group cut to the same share of its bags, so that the station's FEFO pick of
    the returned amounts gives exactly these bags.
    """
    stock, picks = world.stock[station], []
    for product, grid in wanted.items():
        for abo, rhd in zip(*np.nonzero(grid), strict=True):
            ids = stock.take_exact(product, abo, rhd, float(grid[abo, rhd]), now=world.now)
            picks.extend((product, abo, rhd, unit, k / len(ids)) for k, unit in enumerate(ids))
    if not picks:
        return {}
    ids = np.array([p[3] for p in picks], np.int64)
    stock.add(ids)
    order = np.argsort([p[4] for p in picks], kind="stable")
    kept = order[np.cumsum(world.drones.weights_kg(ids[order])) <= cap_kg + 1e-9]
    grids: dict[int, np.ndarray] = {}
    for k in kept:
        product, abo, rhd, unit, _ = picks[k]
        grid = grids.setdefault(int(product), np.zeros((4, 2)))
        grid[abo, rhd] += float(world.ledger.size_u[unit])
    return grids
