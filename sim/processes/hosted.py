"""Hospitals supplied through a host's blood bank (挂靠, seeds.md Shanghai and Hubei/Enshi).

A hosted hospital (``World.host_of``) keeps no shelf beyond an optional emergency fridge
of group O red cells. Every patient's need it cannot meet from the fridge is requested from
its host: the host issues from its own shelf (stocked for both: :mod:`sim.policies.hosting`),
crossmatches (``hosting.crossmatch_min`` by priority), hands over (``hosting.handover_min``)
and its courier drives the units over the road, a ``van`` leg of purpose ``hosted``. What
the host's shelf lacks, the host orders from its own sources (county bank, station, region:
:func:`~sim.processes.orders.choose_source`); the units come to the host and are sent on, or
straight to the hosted hospital when ``hosting.station_direct`` is set. Each morning the
host refills the fridges of the hospitals it supplies.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Generator
from dataclasses import dataclass

import numpy as np
import simpy

from sim.core.domain import MINUTES_PER_DAY, Level, Priority, Product, UnitState, group_label
from sim.policies.hosting import fridge_floor, fridge_targets
from sim.processes.hospital import Hospital
from sim.processes.orders import (
    arrive_shipment,
    choose_source,
    close_order,
    fill_status,
    mark_arrived,
    mark_shipped,
    new_order,
    prepare_shipment,
    ship_with_others,
    transfuse_on_arrival,
)
from sim.state.demand_outcomes import book_delivery
from sim.state.world import World
from sim.transport.legs import record_leg

PURPOSE = "hosted"  # purpose of the host's courier legs on the legs table
REFILL_LEAD_MIN = 30.0  # fridges are refilled this long before the hospitals' review, min


class HostedHospital(Hospital):
    """A hospital without its own blood bank: the fridge is its only shelf; every other
    need is a request to its host (:func:`hosted_order`)."""

    def __init__(self, world: World, site: int) -> None:
        super().__init__(world, site)
        self.host = int(world.host_of[site])
        self.fridge = fridge_targets(world)  # U per [product, abo, rhd], refilled by the host
        self.targets = np.zeros_like(self.targets)  # the morning review orders nothing
        self.stocked[:] = False  # no patient waits for a shelf: each need is requested
        self.emergency_o = fridge_floor(world)  # fridge units: emergencies and group O only

    def _order(self, product: int, codes: tuple, units: float, demand: tuple) -> None:
        need = Need(self.site, product, tuple(codes), units, demand)
        self.world.env.process(hosted_order(self.world, need))


def hospital_for(world: World, site: int) -> Hospital:
    """The hospital process of ``site``: hosted or with its own blood bank."""
    return HostedHospital(world, site) if world.host_of[site] >= 0 else Hospital(world, site)


@dataclass(frozen=True)
class Need:
    """Units a hosted hospital's patients need.

    ``group`` is the patients' (abo, rhd); ``units`` in U; ``demand`` is ``(day, product,
    priority, stockouts row)`` of the shortfall, which each part's delivery is booked against.
    """

    hospital: int
    product: int
    group: tuple[int, int]
    units: float
    demand: tuple[int, int, int, int]

    @property
    def priority(self) -> int:
        return self.demand[2]

    def rest(self, taken: float) -> Need:
        """The same need less ``taken`` units."""
        return dataclasses.replace(self, units=self.units - taken)


def hosted_order(world: World, need: Need) -> Generator:
    """SimPy process: the host gives what its shelf has (FEFO, compatible units, as to its
    own patients) after its crossmatch; the rest is ordered by the host from its own
    sources (:func:`upstream_order`)."""
    host = int(world.host_of[need.hospital])
    # The host issues as to its own patients: its emergency group O floor to emergencies.
    emergency = need.units if need.priority == Priority.EMERGENCY else 0.0
    ids, taken = world.hospitals[host]._take(need.product, need.group, emergency, need.units)
    if taken < need.units - 1e-9:
        world.env.process(upstream_order(world, need.rest(taken)))
    if not len(ids):
        return
    # a bag may hold more than the need (1.5 or 2 U): the patient's demand is what is booked
    given = dataclasses.replace(need, units=min(taken, need.units))
    order = _order(world, given, host, Level.HOSPITAL)
    world.ledger.move(ids, UnitState.RESERVED)
    world.ledger.assign_order(ids, order)
    arrival = yield from send_on(world, ids, need.hospital, need.priority, order)
    _finish(world, given, ids, order, arrival)


def upstream_order(world: World, need: Need) -> Generator:
    """SimPy process: what the host's shelf lacked, ordered by the host from its sources
    (levels 2-3), carried by the dispatch policy to the host (then sent on) or, with
    ``hosting.station_direct``, to the hosted hospital. What no source has is not met."""
    host = int(world.host_of[need.hospital])
    source, ids, level = choose_source(world, host, need.product, *need.group, need.units)
    taken = _units(world, ids)
    if 0 < taken < need.units - 1e-9:  # the rest: its own order to the next source
        world.env.process(upstream_order(world, need.rest(taken)))
        need = dataclasses.replace(need, units=taken)
    order = _order(world, need, source, level)
    if not len(ids):
        close_order(world, order, "unfilled", 0.0)
        book_delivery(world, need.hospital, need.demand, need.units, 0.0, False, world.now)
        return
    direct = world.scenario.hosting.station_direct
    dest = need.hospital if direct else host
    arrival, _mode = yield from ship_with_others(world, ids, source, dest, need.priority, order)
    if not direct:
        world.ledger.move(ids, UnitState.RESERVED, site=host)
        arrival = yield from send_on(world, ids, need.hospital, need.priority, order)
    _finish(world, need, ids, order, arrival)


def _units(world: World, ids: np.ndarray) -> float:
    return float(world.ledger.size_u[ids].sum()) if len(ids) else 0.0


def send_on(world: World, ids: np.ndarray, hospital: int, priority: int, order: int) -> Generator:
    """SimPy process body: the host crossmatches ``ids`` (minutes by priority), then they
    ride the host's courier to ``hospital`` (:func:`ride`); returns the arrival minute."""
    crossmatch = getattr(world.scenario.hosting.crossmatch_min, _name(priority))
    yield world.env.timeout(crossmatch)
    arrival = yield from ride(world, ids, hospital, order)
    return arrival


@dataclass
class _Trip:
    """Units handed over at a host for one hosted hospital, leaving together."""

    parts: list[tuple[np.ndarray, int]]  # (unit ids, order id)
    done: simpy.Event


def ride(world: World, ids: np.ndarray, hospital: int, order: int) -> Generator:
    """SimPy process body: join the courier trip being handed over at the host for
    ``hospital`` (or start one: it leaves ``hosting.handover_min`` later, with every unit
    ready by then); returns the arrival minute. Open trips sit in ``World.boxes`` under
    ``("hosted", host, hospital)``, beside the stations' boxes keyed (origin, dest)."""
    key = (PURPOSE, int(world.host_of[hospital]), hospital)
    trip = world.boxes.get(key)
    if trip is None:
        trip = world.boxes[key] = _Trip([], world.env.event())
        world.env.process(_leave(world, key, trip))
    trip.parts.append((ids, order))
    arrival = yield trip.done
    return arrival


def _leave(world: World, key: tuple, trip: _Trip) -> Generator:
    yield world.env.timeout(world.scenario.hosting.handover_min)
    del world.boxes[key]
    ids = np.concatenate([part for part, _ in trip.parts])
    orders = [order for _, order in trip.parts]
    arrival = yield from courier(world, ids, key[1], key[2], orders)
    trip.done.succeed(arrival)


def courier(
    world: World, ids: np.ndarray, host: int, hospital: int, orders: list[int]
) -> Generator:
    """SimPy process body: the host's courier carries ``ids`` (for ``orders``) to
    ``hospital`` by road, one leg; the units are in transit meanwhile. Returns the arrival
    minute. The courier is the host's own car, always available (assumed)."""
    depart = world.now
    minutes = world.road.minutes(host, hospital, depart)
    km = float(world.road.km[host, hospital])
    world.ledger.move(ids, UnitState.IN_TRANSIT, site=hospital)
    for order in orders:
        mark_shipped(world, order)
    cost = km * world.scenario.fleet.vans.cost_per_km
    record_leg(
        world, "van", PURPOSE, host, hospital, depart, depart + minutes, ids,
        km=km, cost_yuan=cost, order_id=orders[0],
    )  # fmt: skip
    yield world.env.timeout(minutes)
    for order in orders:
        mark_arrived(world, order, world.now, "van")
    return world.now


def _order(world: World, need: Need, source: int, level: Level) -> int:
    name, label = Product(need.product).name, group_label(*need.group)
    return new_order(
        world, need.hospital, source, name, label, need.priority, need.units,
        _required_by(world, need), level,
    )  # fmt: skip


def _required_by(world: World, need: Need) -> float:
    """Minute the need is due: the request time plus its priority's lead (the order is
    placed when the need appears)."""
    return world.now + world.scenario.demand.required_by_min[_name(need.priority)]


def _finish(world: World, need: Need, ids: np.ndarray, order: int, arrival: float) -> None:
    """Transfuse on arrival; close the order and book the delivery against the demand."""
    required_by = world.logs.orders.get(order, "required_by")
    filled = transfuse_on_arrival(world, ids, arrival)
    on_time = arrival <= required_by
    if on_time:
        world.met_u[need.demand[0], need.product] += min(filled, need.units)
    close_order(world, order, fill_status(filled, need.units), filled)
    book_delivery(world, need.hospital, need.demand, need.units, filled, on_time, arrival)


def _name(priority: int) -> str:
    return Priority(priority).name.lower()


def refill_fridges(world: World) -> None:
    """Each host sends its hosted hospitals' fridges what they lack (uncrossmatched group O
    red cells: handed over, no crossmatch)."""
    for hospital, process in world.hospitals.items():
        if not isinstance(process, HostedHospital) or not process.fridge.any():
            continue
        needs = _fridge_needs(world, process)
        ids, orders = prepare_shipment(world, hospital, needs, process.host) if needs else ((), [])
        if len(ids):
            world.env.process(_deliver_refill(world, process, ids, orders))


def _fridge_needs(world: World, process: HostedHospital) -> dict[int, np.ndarray]:
    position = world.stock[process.site].on_hand_by_group(Product.RBC, now=world.now)
    position = position + world.on_order[process.site, Product.RBC]
    want = np.floor(np.maximum(process.fridge[Product.RBC] - position, 0.0) + 0.5)
    return {int(Product.RBC): want} if want.sum() > 0 else {}


def _deliver_refill(world: World, process: HostedHospital, ids, orders: list[int]) -> Generator:
    yield from ride(world, ids, process.site, orders[0])
    arrive_shipment(world, process.site, ids, orders, "van")


def fridge_reviews(world: World, review_min: float) -> Generator:
    """SimPy process: each morning, half an hour before the hospitals' review at
    ``review_min`` (minutes after midnight), hosts refill the fridges (nothing to do when
    no hospital is hosted or the fridges are off)."""
    if not (world.host_of >= 0).any() or not fridge_targets(world).any():
        return
    for day in range(world.scenario.days):
        yield world.env.timeout(
            max(0.0, day * MINUTES_PER_DAY + review_min - REFILL_LEAD_MIN - world.now)
        )
        refill_fridges(world)
