"""Ground transport: station van pools and van trips that record every leg."""

from __future__ import annotations

from collections.abc import Generator

import numpy as np
import simpy

from sim.domain import Priority, UnitState
from sim.world import World

Trip = Generator[simpy.Event, object, float]


class Vans:
    """Refrigerated vans based at each blood station (a SimPy priority resource per station).

    Emergencies are served before queued routine trips (no pre-emption of a van on the road).
    """

    def __init__(self, world: World) -> None:
        self.world = world
        per_station = world.scenario.fleet.vans.per_station
        self.pools = {
            int(s): simpy.PriorityResource(world.env, capacity=per_station)
            for s in world.sites.stations
        }
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
    ) -> Trip:
        """SimPy process body: a van from ``base`` carries ``ids`` from ``origin`` to ``dest``.

        Returns the arrival time (minutes); the van drives back to its base afterwards.
        """
        pool = self.pools[base]
        request = pool.request(priority=-int(priority))
        yield request
        world = self.world
        if origin != base:
            yield from self._drive(base, origin, np.empty(0, np.int64), "positioning")
        world.ledger.move(ids, UnitState.IN_TRANSIT, site=dest)
        yield from self._drive(origin, dest, ids, purpose, order_id=order_id, samples=samples)
        world.env.process(self._return(pool, request, dest, base))
        return world.now

    def _drive(
        self,
        origin: int,
        dest: int,
        ids: np.ndarray,
        purpose: str,
        *,
        order_id: int = -1,
        samples: int = 0,
    ) -> Generator[simpy.Event, object, None]:
        world = self.world
        depart = world.now
        minutes = world.road.minutes(origin, dest, depart)
        km = float(world.road.km[origin, dest])
        units = float(world.ledger.size_u[ids].sum()) if len(ids) else 0.0
        world.logs.legs.add(
            len(world.logs.legs),
            "van",
            purpose,
            world.site_id(origin),
            world.site_id(dest),
            depart,
            depart + minutes,
            units,
            len(ids),
            samples,
            order_id,
            km,
            km * self.cost_per_km,
        )
        yield world.env.timeout(minutes)

    def _return(
        self, pool: simpy.PriorityResource, request: simpy.Event, at: int, base: int
    ) -> Generator[simpy.Event, object, None]:
        if at != base:
            yield from self._drive(at, base, np.empty(0, np.int64), "return")
        pool.release(request)
