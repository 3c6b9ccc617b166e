"""Ground transport: station van pools and van trips that record every leg."""

from __future__ import annotations

from collections.abc import Callable, Generator

import numpy as np
import simpy

from optimizer.network import leg_minutes
from sim.core.domain import Priority, UnitState
from sim.core.scheduling import start_callback
from sim.state.world import World
from sim.transport.legs import record_leg
from sim.transport.sizing import pool_sizes

Trip = Generator[simpy.Event, object, float]


class Vans:
    """Refrigerated vans based at each blood station (and county blood bank: a delivery pool
    of ``escalation.county_bank_vans``), in pools per purpose (SimPy priority
    resources): ``collection`` (donation pickups), ``courier`` (samples to the lab),
    ``delivery`` (orders) and ``emergency`` (dedicated vehicles), sized from each station's
    vehicle-hours of work (:mod:`sim.transport.sizing`).

    Emergencies take whichever comes first of a free delivery van (they jump its queue) and
    the station's emergency vehicle; routine and urgent trips never use the emergency
    vehicle. A van on the road is not pre-empted.
    """

    def __init__(self, world: World) -> None:
        self.world = world
        houses = active_houses(world)
        self.sizes = {int(s): pool_sizes(world, int(s), houses) for s in world.sites.stations}
        self.pools = {
            (station, fleet): simpy.PriorityResource(world.env, size)
            for station, sizes in self.sizes.items()
            for fleet, size in sizes.items()
            if size > 0
        }
        banks = world.scenario.escalation.county_bank_vans  # a county blood bank's own vehicles
        for b in map(int, world.sites.county_banks):
            self.pools[(b, "delivery")] = simpy.PriorityResource(world.env, banks)
        self.bases = set(self.sizes) | set(map(int, world.sites.county_banks))
        self.cost_per_km = world.scenario.fleet.vans.cost_per_km
        self._road: object = None  # the road model the cached legs below come from
        self._legs: dict[tuple[int, int], tuple[float, float, float, float]] = {}
        self._peak = (np.nan, 1.0)  # (departure minute, peak factor) last asked

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

        ``fleet`` is ``"delivery"`` (orders), ``"collection"`` (donations) or ``"courier"``
        (samples).
        Returns the arrival time (minutes); the van drives back to its base afterwards.
        """
        request = yield from self.acquire(base, fleet, priority)
        if origin != base:
            yield from self.drive(base, origin, _NOTHING, "positioning")
        yield from self.carry(origin, dest, ids, purpose, order_id=order_id, samples=samples)
        self.send_back(request, dest, base)
        return self.world.now

    def acquire(
        self, base: int, fleet: str, priority: int = Priority.ROUTINE
    ) -> Generator[simpy.Event, object, simpy.Event]:
        """Wait for a free vehicle of ``fleet`` at station ``base``; returns the request.

        An emergency delivery also asks for the station's emergency vehicle and takes the
        first of the two granted (a free delivery van first, keeping the emergency vehicle
        for the next emergency); the other request is withdrawn.
        """
        request = self.request(base, fleet, priority)
        spare = self.pools.get((base, "emergency"))
        if fleet != "delivery" or priority < Priority.EMERGENCY or spare is None:
            yield request
            return request
        dedicated = spare.request(priority=-int(priority))
        yield request | dedicated
        won, lost = (request, dedicated) if request.triggered else (dedicated, request)
        _withdraw(lost)
        return won

    def request(self, base: int, fleet: str, priority: int = Priority.ROUTINE) -> simpy.Event:
        """A request for a vehicle of ``fleet`` at station ``base`` (what :meth:`acquire`
        waits for; alone for a fleet other than ``"delivery"``, which races no emergency
        vehicle): the event granting it, for callers run from event callbacks."""
        return self.pools[(base, fleet)].request(priority=-int(priority))

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

    def drive_then(
        self,
        origin: int,
        dest: int,
        ids: np.ndarray,
        purpose: str,
        then: Callable[[simpy.Event], None],
        *,
        samples: int = 0,
        loaded: bool = False,
    ) -> None:
        """:meth:`drive` (``loaded``: :meth:`carry`) for callers run from event callbacks:
        the same ledger move and leg, and ``then`` called from the arrival event (where a
        process would resume)."""
        if loaded and len(ids):
            self.world.ledger.move(ids, UnitState.IN_TRANSIT, site=dest)
        minutes = self._record(origin, dest, ids, purpose, -1, samples)
        self.world.env.timeout(minutes).callbacks.append(then)

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
        yield self.world.env.timeout(self._record(origin, dest, ids, purpose, order_id, samples))

    def _record(
        self, origin: int, dest: int, ids: np.ndarray, purpose: str, order_id: int, samples: int
    ) -> float:
        """Record the road leg :meth:`drive` takes now; returns its minutes."""
        world = self.world
        depart = world.now
        urban, rest, km, cost = self._road_leg(origin, dest)
        if depart != self._peak[0]:
            self._peak = (depart, world.road.peak_multiplier(depart))
        minutes = leg_minutes(urban, rest, self._peak[1])
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
            cost_yuan=cost,
            order_id=order_id,
            samples=samples,
        )
        return minutes

    def _road_leg(self, origin: int, dest: int) -> tuple[float, float, float, float]:
        """``(urban min, rest min, km, cost yuan)`` of the road from ``origin`` to ``dest``
        as Python floats, kept until the road model changes (a disruption replaces it)."""
        road = self.world.road
        if road is not self._road:
            self._road, self._legs, self._peak = road, {}, (np.nan, 1.0)
        leg = self._legs.get((origin, dest))
        if leg is None:
            km = float(road.km[origin, dest])
            urban, rest = float(road.urban_min[origin, dest]), float(road.rest_min[origin, dest])
            leg = self._legs[(origin, dest)] = (urban, rest, km, km * self.cost_per_km)
        return leg

    def drive_back(
        self, request: simpy.Event, at: int, base: int, fleet: str = ""
    ) -> Generator[simpy.Event, object, None]:
        """Return empty to ``base`` and free the vehicle (back to the pool it came from;
        ``fleet`` is kept for callers and not needed)."""
        if at != base:
            yield from self.drive(at, base, _NOTHING, "return")
        request.resource.release(request)

    def send_back(self, request: simpy.Event, at: int, base: int) -> None:
        """:meth:`drive_back` without a process of its own (for callers that do not wait for
        it): the same leg, arrival and release in the same event order as
        ``env.process(drive_back(...))``, less the event of the process ending."""
        start_callback(self.world.env, lambda _: self.return_to_base(request, at, base))

    def return_to_base(self, request: simpy.Event, at: int, base: int) -> None:
        """:meth:`drive_back` run from event callbacks: the same return leg, and the vehicle
        freed from its arrival event (at once when already at ``base``)."""
        if at == base:
            request.resource.release(request)
            return
        minutes = self._record(at, base, _NOTHING, "return", -1, 0)
        arrive = self.world.env.timeout(minutes)  # the one event of the drive back
        arrive.callbacks.append(lambda _: request.resource.release(request))


def _withdraw(request: simpy.Event) -> None:
    """Give back a vehicle granted (not yet used), or leave the queue."""
    if request.triggered:
        request.resource.release(request)
    else:
        request.cancel()


def active_houses(world: World) -> np.ndarray:
    """Positions of the donation houses in use (the supply section's list, or all)."""
    houses = world.scenario.supply.donation_houses
    if houses == "all":
        return world.sites.of_kind("donation_house")
    return np.array([world.sites.position(h) for h in houses], dtype=np.int64)


_NOTHING = np.empty(0, np.int64)
