"""Ground transport: station van pools and van trips that record every leg."""

from __future__ import annotations

import math
from collections.abc import Generator

import numpy as np
import simpy

from sim.core.domain import Priority, UnitState
from sim.state.world import World
from sim.transport.legs import record_leg

Trip = Generator[simpy.Event, object, float]


class Vans:
    """Refrigerated vans based at each blood station (a SimPy priority resource per station).

    Emergencies are served before queued routine trips (no pre-emption of a van on the road).
    """

    def __init__(self, world: World) -> None:
        self.world = world
        vans, sites = world.scenario.fleet.vans, world.sites
        houses = sites.station_of[sites.of_kind("donation_house")]
        hospitals = sites.station_of[sites.of_kind("hospital")]
        self.pools = {}
        for s in map(int, sites.stations):
            collectors = max(2, math.ceil(vans.collection_per_house * np.sum(houses == s)))
            delivery = max(
                vans.per_station, math.ceil(np.sum(hospitals == s) / vans.hospitals_per_van)
            )
            self.pools[(s, "delivery")] = simpy.PriorityResource(world.env, delivery)
            self.pools[(s, "collection")] = simpy.PriorityResource(world.env, collectors)
        self.bases = {int(s) for s in world.sites.stations}
        self.cost_per_km = world.scenario.fleet.vans.cost_per_km

    def trip(
        self,
        base: int,
        origin: int,
        dest: int,
        ids: np.ndarray,
        purpose: str,
        *,
        priority: int = Priority.ROUTINE,
        order_id: int = -1,
        samples: int = 0,
        fleet: str = "delivery",
    ) -> Trip:
        """SimPy process body: a van from ``base`` carries ``ids`` from ``origin`` to ``dest``.

        ``fleet`` is ``"delivery"`` (orders) or ``"collection"`` (donations and samples).
        Returns the arrival time (minutes); the van drives back to its base afterwards.
        """
        request = yield from self.acquire(base, fleet, priority)
        if origin != base:
            yield from self.drive(base, origin, _NOTHING, "positioning")
        yield from self.carry(origin, dest, ids, purpose, order_id=order_id, samples=samples)
        self.world.env.process(self.drive_back(request, dest, base, fleet))
        return self.world.now

    def acquire(
        self, base: int, fleet: str, priority: int = Priority.ROUTINE
    ) -> Generator[simpy.Event, object, simpy.Event]:
        """Wait for a free vehicle of ``fleet`` at station ``base``; returns the request."""
        request = self.pools[(base, fleet)].request(priority=-int(priority))
        yield request
        return request

    def carry(
        self,
        origin: int,
        dest: int,
        ids: np.ndarray,
        purpose: str,
        *,
        order_id: int = -1,
        samples: int = 0,
    ) -> Generator[simpy.Event, object, None]:
        """Drive loaded: the units are in transit to ``dest`` until arrival."""
        if len(ids):
            self.world.ledger.move(ids, UnitState.IN_TRANSIT, site=dest)
        yield from self.drive(origin, dest, ids, purpose, order_id=order_id, samples=samples)

    def drive(
        self,
        origin: int,
        dest: int,
        ids: np.ndarray,
        purpose: str,
        *,
        order_id: int = -1,
        samples: int = 0,
    ) -> Generator[simpy.Event, object, None]:
        """One road leg, recorded on the legs table, taking the road model's time."""
        world = self.world
        depart = world.now
        minutes = world.road.minutes(origin, dest, depart)
        km = float(world.road.km[origin, dest])
        record_leg(
            world,
            "van",
            purpose,
            origin,
            dest,
            depart,
            depart + minutes,
            ids,
            km=km,
            cost_yuan=km * self.cost_per_km,
            order_id=order_id,
            samples=samples,
        )
        yield world.env.timeout(minutes)

    def drive_back(
        self, request: simpy.Event, at: int, base: int, fleet: str
    ) -> Generator[simpy.Event, object, None]:
        """Return empty to ``base`` and free the vehicle."""
        if at != base:
            yield from self.drive(at, base, _NOTHING, "return")
        self.pools[(base, fleet)].release(request)


_NOTHING = np.empty(0, np.int64)
