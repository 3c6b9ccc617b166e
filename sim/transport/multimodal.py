"""Carry units along a multimodal route from the oracle: van, drone and rail legs in turn.

A last-mile van that starts at a rail station is sent from the destination's station when
the shipment leaves, so it waits at the rail station instead of starting late.
"""

from __future__ import annotations

from collections.abc import Generator

import numpy as np
import simpy

from optimizer.network import Route, RouteLeg
from sim.core.domain import UnitState
from sim.state.world import World
from sim.transport.legs import record_leg

_NOTHING = np.empty(0, np.int64)


def follow_route(
    world: World, route: Route, ids: np.ndarray, priority: int, order: int
) -> Generator[simpy.Event, object, float]:
    """SimPy process body: move ``ids`` along ``route``; returns the arrival minute."""
    meets = {
        i: world.env.process(_meet(world, leg, priority))
        for i, leg in enumerate(route.legs)
        if leg.mode == "van" and _needs_meet(world, leg)
    }
    for i, leg in enumerate(route.legs):
        if leg.mode == "rail":
            yield from _ride(world, leg, ids, order)
        elif leg.mode == "drone":
            yield from world.drones.fly(leg.from_site, leg.to_site, ids, "delivery", order)
        elif i in meets:
            request, base = yield meets[i]
            yield from _drive_met(world, request, base, leg, ids, order)
        else:
            yield from world.vans.trip(
                leg.from_site,
                leg.from_site,
                leg.to_site,
                ids,
                "delivery",
                priority=priority,
                order_id=order,
            )
    return world.now


def _needs_meet(world: World, leg: RouteLeg) -> bool:
    return leg.from_site not in world.vans.bases


def _meet(world: World, leg: RouteLeg, priority: int):
    """A van of the destination's station drives out to the rail station to wait."""
    base = _base_for(world, leg.to_site)
    request = yield from world.vans.acquire(base, "delivery", priority)
    yield from world.vans.drive(base, leg.from_site, _NOTHING, "positioning")
    return request, base


def _drive_met(world: World, request, base: int, leg: RouteLeg, ids: np.ndarray, order: int):
    yield from world.vans.carry(leg.from_site, leg.to_site, ids, "delivery", order_id=order)
    world.vans.send_back(request, leg.to_site, base)


def _ride(world: World, leg: RouteLeg, ids: np.ndarray, order: int):
    """A courier takes the next train (boarding hand-over, ride, arrival hand-over)."""
    rail = world.oracle.rail
    a, b = rail.station_of(leg.from_site), rail.station_of(leg.to_site)
    arrival = rail.arrival(a, b, world.now)
    world.ledger.move(ids, UnitState.IN_TRANSIT, site=leg.to_site)
    record_leg(
        world,
        "rail",
        "delivery",
        leg.from_site,
        leg.to_site,
        world.now,
        arrival,
        ids,
        km=leg.km,
        cost_yuan=world.scenario.fleet.rail.cost_per_trip,
        order_id=order,
    )
    yield world.env.timeout(arrival - world.now)


def _base_for(world: World, site: int) -> int:
    """The station whose vans serve ``site`` (itself if it is a station)."""
    if site in world.vans.bases:
        return site
    station = int(world.sites.station_of[site])
    if station >= 0:
        return station
    ranked = world.dispatch.rank_sources(world, site)
    return ranked[0] if ranked else int(world.sites.stations[0])
