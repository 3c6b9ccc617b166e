"""Dispatch policies: how a shipment travels from its source to a hospital."""

from __future__ import annotations

import heapq
from collections.abc import Generator, Iterator
from typing import Protocol

import numpy as np

from optimizer.network import ALL_MODES, NoRoute
from sim.core.domain import Priority
from sim.state.world import World
from sim.transport.multimodal import follow_route

_GROUND = frozenset({"van", "rail"})  # modes without drones


class Dispatch(Protocol):
    """Chooses sources for urgent orders and moves units; returns (arrival minute, mode)."""

    def rank_sources(self, world: World, hospital: int) -> list[int]: ...

    def sources(self, world: World, hospital: int, within_min: float = np.inf) -> Iterator[int]:
        """``rank_sources`` in its order, produced as they are asked for; sources farther
        than ``within_min`` off-peak road minutes may be left out (callers skip them)."""

    def forget(self) -> None:
        """Drop anything cached about the road network (it changed)."""

    def deliver(
        self, world: World, ids: np.ndarray, origin: int, dest: int, priority: int, order: int
    ) -> Generator: ...


class NearestByRoad:
    """Ranks stations by off-peak road time to the hospital (cached per hospital)."""

    def __init__(self) -> None:
        self._ranking: dict[int, list[int]] = {}

    def forget(self) -> None:
        """Drop cached rankings (the road network changed)."""
        self._ranking.clear()

    def rank_sources(self, world: World, hospital: int) -> list[int]:
        """Stations, the hospital's own first, then by road time to it."""
        if hospital not in self._ranking:
            stations = [int(s) for s in world.sites.stations]
            own = int(world.sites.station_of[hospital])
            road = world.road
            minutes = {s: road.offpeak_minutes(s, hospital) for s in stations}
            self._ranking[hospital] = sorted(stations, key=lambda s: (s != own, minutes[s]))
        return self._ranking[hospital]

    def sources(self, world: World, hospital: int, within_min: float = np.inf) -> Iterator[int]:
        """The ranking of :meth:`rank_sources` (none left out)."""
        return iter(self.rank_sources(world, hospital))


class GroundOnly(NearestByRoad):
    """Every shipment goes by van from the source station, straight to the hospital.

    Urgent orders are filled by the hospital's own station, else by the nearest station by
    road that has stock above its safety level.
    """

    def deliver(
        self, world: World, ids: np.ndarray, origin: int, dest: int, priority: int, order: int
    ) -> Generator:
        base = origin if origin in world.vans.bases else int(world.sites.station_of[origin])
        arrival = yield from world.vans.trip(
            base, origin, dest, ids, "delivery", priority=priority, order_id=order
        )
        return arrival, "van"


class DroneFirst(NearestByRoad):
    """Drones where a flyable leg exists between the two sites' ports, the weather allows it
    and the load fits in ``max_sorties_per_shipment`` sorties; vans otherwise."""

    def deliver(
        self, world: World, ids: np.ndarray, origin: int, dest: int, priority: int, order: int
    ) -> Generator:
        limit = world.scenario.fleet.drones.max_sorties_per_shipment
        if world.drones.can_fly(origin, dest, ids, limit) and _drone_sooner(
            world, origin, dest, ids
        ):
            arrival = yield from world.drones.fly(origin, dest, ids, "delivery", order)
            return arrival, "drone"
        return (yield from GroundOnly.deliver(self, world, ids, origin, dest, priority, order))


def _may_fly(world: World, priority: int) -> bool:
    """Whether a delivery of ``priority`` may go by drone: any on ``all_ports`` (the
    what-if), only emergencies on the operated network ("emergencies to remote places and
    daily routine" on the routes, seeds.md)."""
    return world.scenario.fleet.drones.network == "all_ports" or priority >= Priority.EMERGENCY


def _routine_sooner(
    world: World, origin: int, dest: int, ids: np.ndarray, arrival_min: float
) -> bool:
    """A routine drone route joins ``origin`` and ``dest``, can fly now, and lands (queue
    counted) before ``arrival_min``, the best other chain's arrival (minutes)."""
    drones = world.drones
    if (origin, dest) not in drones.routes or not drones.can_fly(origin, dest, ids, 10**6):
        return False
    n = len(drones.sorties(ids))
    flight = drones.expected_wait(origin, dest, n) + drones.flight_min(origin, dest)
    return world.now + flight + drones.spec.turnaround_min < arrival_min


def _drone_sooner(world: World, origin: int, dest: int, ids: np.ndarray) -> bool:
    """Drones still win once the queue at the port is counted (the oracle ignores queues)."""
    drones = world.drones
    n = len(drones.sorties(ids))
    by_drone = drones.expected_wait(origin, dest, n) + drones.flight_min(origin, dest)
    by_van = world.road.minutes(origin, dest, world.now)
    return by_drone + drones.spec.turnaround_min <= by_van


class Multimodal:
    """The travel oracle picks the fastest chain of van, drone and rail legs.

    Urgent orders are sourced from the station whose stock reaches the hospital first
    (own station without limit, others above safety). Shipments too heavy for a few sorties
    keep to vans and rail. On the operated drone network (``fleet.drones.network:
    operated``) only emergencies fly (routine loads fly on the routes' timetable,
    sim/processes/drone_routes.py), a chain with a drone leg off the network is replaced by
    the fastest chain of vans and rail, and a delivery along a routine route flies it
    directly when that lands sooner.
    """

    lateral_hospitals = 6  # nearest other hospitals considered as emergency sources

    def __init__(self) -> None:
        self._now, self._arrival = -1.0, {}
        self._network, self._tables = None, {}

    def forget(self) -> None:
        """Drop arrival times and candidate tables (the road network changed)."""
        self._arrival.clear()
        self._tables.clear()

    def rank_sources(self, world: World, hospital: int) -> list[int]:
        """Stations and the nearest other hospitals by the oracle's arrival time, now.

        A hospital gives only stock above its own safety level (``choose_source``). Ties
        keep the order stations, then hospitals nearest first.
        """
        return list(self.sources(world, hospital))

    def sources(self, world: World, hospital: int, within_min: float = np.inf) -> Iterator[int]:
        """The ranking of :meth:`rank_sources`, computed as far as it is read: candidates
        are timed in the order of a lower bound on their arrival, and one is given as soon
        as no untimed candidate can arrive before it (or tie with it and rank first).
        Candidates more than ``within_min`` off-peak road minutes away are left out.

        Arrival times are kept while the simulated clock stands still (the products and
        groups of one request ask in turn); read the ranking before the clock moves.
        """
        if world.now != self._now:
            self._now, self._arrival = world.now, {}
        table = self._table(world, hospital, within_min)
        return self._merge(world, hospital, *table)

    def _merge(
        self, world: World, hospital: int, candidates: list[tuple[int, int]], lower: list[float]
    ) -> Iterator[int]:
        """Candidates ``(rank position, site)`` in bound order merged into arrival order."""
        timed: list[tuple[float, int, int]] = []  # (arrival, rank position, site)
        now, k = world.now, 0
        while k < len(candidates) or timed:
            if timed and (k == len(candidates) or timed[0][0] < now + lower[k]):
                yield heapq.heappop(timed)[2]
                continue
            position, site = candidates[k]
            heapq.heappush(timed, (self._arrival_of(world, site, hospital), position, site))
            k += 1

    def _arrival_of(self, world: World, site: int, hospital: int) -> float:
        key = (site, hospital)
        if key not in self._arrival:
            self._arrival[key] = self._route(world, site, hospital, ALL_MODES).arrival_min
        return self._arrival[key]

    def _table(
        self, world: World, hospital: int, within_min: float
    ) -> tuple[list[tuple[int, int]], list[float]]:
        """Candidates within reach as ``(rank position, site)`` sorted by the oracle's lower
        bound on travel minutes, and those bounds (kept until the network changes)."""
        network = (world.oracle, world.road)
        if self._network is None or any(
            a is not b for a, b in zip(network, self._network, strict=True)
        ):
            self._network, self._tables = network, {}
        key = (hospital, within_min)
        if key not in self._tables:
            sites = np.array([*world.sites.stations, *self._near(world, hospital)], np.int64)
            kept = np.flatnonzero(~(world.road.offpeak_minutes(sites, hospital) > within_min))
            lower = world.oracle.bounds.travel(sites[kept], hospital)
            order = np.lexsort((kept, lower))
            candidates = [(int(kept[i]), int(sites[kept[i]])) for i in order]
            self._tables[key] = (candidates, [float(b) for b in lower[order]])
        return self._tables[key]

    def _near(self, world: World, hospital: int) -> list[int]:
        others = world.sites.of_kind("hospital")
        others = others[others != hospital]
        road = world.road
        minutes = road.offpeak_minutes(others, hospital)
        return [
            int(h) for h in others[np.argsort(minutes, kind="stable")][: self.lateral_hospitals]
        ]

    def deliver(
        self, world: World, ids: np.ndarray, origin: int, dest: int, priority: int, order: int
    ) -> Generator:
        limit = world.scenario.fleet.drones.max_sorties_per_shipment
        light = _may_fly(world, priority) and len(world.drones.sorties(ids)) <= limit
        modes = ALL_MODES if light else _GROUND
        route = self._route(world, origin, dest, modes)
        if "drone" in route.modes and not self._drones_free(world, route, ids):
            route = self._route(world, origin, dest, _GROUND)
        if light and _routine_sooner(world, origin, dest, ids, route.arrival_min):
            arrival = yield from world.drones.fly(origin, dest, ids, "delivery", order)
            return arrival, "drone"
        arrival = yield from follow_route(world, route, ids, priority, order)
        return arrival, route.modes

    @staticmethod
    def _drones_free(world: World, route, ids: np.ndarray) -> bool:
        """False when queues at a drone leg's port would cost more than the route's margin
        over the best route without drones."""
        n = len(world.drones.sorties(ids))
        delay = sum(
            world.drones.expected_wait(leg.from_site, leg.to_site, n)
            for leg in route.legs
            if leg.mode == "drone"
        )
        if delay <= 0:
            return True
        ground = Multimodal._route(
            world, route.legs[0].from_site, route.legs[-1].to_site, frozenset({"van", "rail"})
        )
        return route.arrival_min + delay < ground.arrival_min

    @staticmethod
    def _route(world: World, origin: int, dest: int, modes: frozenset[str]):
        return fastest_on_network(world, origin, dest, modes)


def fastest_on_network(
    world: World,
    origin: int,
    dest: int,
    modes: frozenset[str] = ALL_MODES,
):
    """The oracle's fastest chain from ``origin`` to ``dest`` leaving now whose drone legs are
    all on the drone network the scenario flies (``fleet.drones.network``) and not grounded;
    else the fastest without drones; vans alone when nothing else reaches."""
    try:
        route = world.oracle.fastest(
            origin, dest, world.now, modes=modes, drone_grounded=world.drones.grounded
        )
    except NoRoute:
        return world.oracle.fastest(origin, dest, world.now, modes=frozenset({"van"}))
    off = "drone" in route.modes and any(
        leg.mode == "drone" and not world.drones.on_network(leg.from_site, leg.to_site)
        for leg in route.legs
    )
    return fastest_on_network(world, origin, dest, modes - {"drone"}) if off else route
