"""Blood drones: one SimPy resource per drone port; a shipment flies in as many sorties as
its weight needs (each bag weighs its product's kg per U times its size in U, against the
payload).

The routine routes fly their published km and minutes, also when dispatch sends a delivery
along one; with ``fleet.drones.network: operated`` dispatch may fly only those routes (both
ways) and legs between two ``operated_ports`` (:meth:`DroneFleet.on_network`)."""

from __future__ import annotations

from collections.abc import Generator

import numpy as np
import simpy

from sim.core.domain import Product, UnitState
from sim.scenario.fleet import RoutineRoute
from sim.state.world import World
from sim.transport.legs import record_leg


def route_plan(route: RoutineRoute, cruise_kmh: float) -> tuple[float, float]:
    """(km, flight minutes) of a routine route: as published, minutes default to km at
    ``cruise_kmh``."""
    minutes = route.flight_min if route.flight_min is not None else route.km / cruise_kmh * 60.0
    return route.km, minutes


class DroneFleet:
    """Drones based at every drone port of the region (``fleet.drones.per_port`` each)."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.net = world.oracle.drones
        spec = world.scenario.fleet.drones
        self.spec = spec
        per_port = max(spec.per_port, 1)
        self.pools = [simpy.Resource(world.env, per_port) for _ in self.net.port_sites]
        self.enabled = spec.per_port > 0
        self.bag_kg = np.array([_bag_kg(world, p) for p in Product])  # kg per U (PLT: dose)
        self.grounded_windows = grounding_windows(world)
        self.routes = _route_plans(world)
        self.operated = {world.sites.position(s) for s in spec.operated_ports}

    def on_network(self, origin: int, dest: int) -> bool:
        """Whether dispatch may fly ``origin`` -> ``dest`` (``fleet.drones.network``)."""
        if self.spec.network == "all_ports":
            return True
        return (origin, dest) in self.routes or {origin, dest} <= self.operated

    def grounded(self, t0: float, t1: float) -> bool:
        """True when the weather keeps drones on the ground at any time in [t0, t1]."""
        return any(start < t1 and t0 < end for start, end in self.grounded_windows)

    def flight_min(self, origin: int, dest: int) -> float:
        """Flight minutes between the ports at two sites (inf if no flyable leg); a routine
        route's published minutes."""
        a, b = self.net.port_of(origin), self.net.port_of(dest)
        if not self.enabled or a < 0 or b < 0:
            return np.inf
        if (origin, dest) in self.routes:
            return self.routes[origin, dest][1]
        return float(self.net.minutes[a, b])

    def expected_wait(self, origin: int, dest: int, sorties: int = 1) -> float:
        """Rough minutes until the last of ``sorties`` sorties could leave ``origin``'s port,
        given the drones busy and queued there (each cycle: fly out and back, two
        turnarounds)."""
        port = self.net.port_of(origin)
        if port < 0:
            return np.inf
        pool = self.pools[port]
        cycle = 2 * (self.flight_min(origin, dest) + self.spec.turnaround_min)
        ahead = len(pool.queue) + max(0, pool.count - pool.capacity + 1) + sorties - 1
        return ahead * cycle / pool.capacity if pool.count >= pool.capacity or ahead else 0.0

    def weights_kg(self, ids: np.ndarray) -> np.ndarray:
        """Weight of each bag, kg: its product's kg per U times its size (U; PLT: doses)."""
        ledger = self.world.ledger
        return self.bag_kg[ledger.product[ids]] * ledger.size_u[ids]

    def sorties(self, ids: np.ndarray) -> list[np.ndarray]:
        """Split bags into sorties, each within the payload (greedy in ledger order)."""
        weights = self.weights_kg(ids)
        loads, current, load = [], [], 0.0
        for unit, kg in zip(ids.tolist(), weights.tolist(), strict=True):
            if current and load + kg > self.spec.payload_kg:
                loads.append(np.array(current, np.int64))
                current, load = [], 0.0
            current.append(unit)
            load += kg
        if current:
            loads.append(np.array(current, np.int64))
        return loads

    def can_fly(self, origin: int, dest: int, ids: np.ndarray, max_sorties: int) -> bool:
        """A flyable leg on the network exists now, the weather allows it and the load needs
        few sorties."""
        minutes = self.flight_min(origin, dest) if self.on_network(origin, dest) else np.inf
        now = self.world.now
        if not np.isfinite(minutes) or self.grounded(now, now + minutes + self.spec.turnaround_min):
            return False
        return len(self.sorties(ids)) <= max_sorties

    def fly(
        self,
        origin: int,
        dest: int,
        ids: np.ndarray,
        purpose: str,
        order: int = -1,
        route: tuple[float, float] | None = None,
    ) -> Generator[simpy.Event, object, float]:
        """SimPy process body: carry ``ids`` in sorties; returns the last landing time.

        ``route`` = (km, flight minutes) of a declared route flies those figures instead of
        the straight line between the ports (a routine route's by default).
        """
        world = self.world
        route = route or self.routes.get((origin, dest))
        world.ledger.move(ids, UnitState.IN_TRANSIT, site=dest)
        flights = [
            world.env.process(self._sortie(origin, dest, load, purpose, order, route))
            for load in self.sorties(ids)
        ]
        yield world.env.all_of(flights)
        return world.now

    def _sortie(
        self,
        origin: int,
        dest: int,
        load: np.ndarray,
        purpose: str,
        order: int,
        route: tuple[float, float] | None,
    ):
        world, spec = self.world, self.spec
        port = self.net.port_of(origin)
        if port < 0 or self.net.port_of(dest) < 0:
            raise ValueError(f"no drone port at {world.site_id(origin)} or {world.site_id(dest)}")
        pool = self.pools[port]
        request = pool.request()
        yield request
        yield world.env.timeout(spec.turnaround_min)  # load the box, swap the battery
        km, minutes = route or (float(self.net.km[port, self.net.port_of(dest)]), None)
        minutes = self.flight_min(origin, dest) if minutes is None else minutes
        while self.grounded(world.now, world.now + minutes):  # weather turned while queued
            world.logs.count("drone_sorties_held_by_weather")
            yield world.env.timeout(30.0)
        depart = world.now
        record_leg(
            world,
            "drone",
            purpose,
            origin,
            dest,
            depart,
            depart + minutes,
            load,
            km=km,
            cost_yuan=spec.cost_per_sortie,
            order_id=order,
        )
        yield world.env.timeout(minutes)
        world.env.process(self._fly_back(pool, request, dest, origin, minutes, km))

    def _fly_back(self, pool, request, at: int, home: int, minutes: float, km: float):
        world = self.world
        record_leg(
            world,
            "drone",
            "return",
            at,
            home,
            world.now,
            world.now + minutes,
            _EMPTY,
            km=km,
            cost_yuan=0.0,
        )
        yield world.env.timeout(minutes + self.spec.turnaround_min)
        pool.release(request)


def _route_plans(world: World) -> dict[tuple[int, int], tuple[float, float]]:
    """(km, minutes) of every routine route by (origin, dest) positions, both ways."""
    spec = world.scenario.fleet.drones
    plans = {}
    for route in spec.routine_routes:
        a, b = world.sites.position(route.from_site), world.sites.position(route.to_site)
        plans[a, b] = plans[b, a] = route_plan(route, spec.cruise_kmh)
    return plans


def _bag_kg(world: World, product: Product) -> float:
    spec = world.scenario.products.get(product.name)
    return spec.bag_kg if spec is not None else 0.3


def grounding_windows(world: World) -> list[tuple[float, float]]:
    """Windows (minutes) of drone_grounding events whose wind exceeds the drones' limit."""
    limit = world.scenario.fleet.drones.wind_limit_ms
    return [
        (world.calendar.minutes(e.start), world.calendar.minutes(e.end))
        for e in world.scenario.events
        if e.type == "drone_grounding" and e.wind_ms > limit
    ]


_EMPTY = np.empty(0, np.int64)
