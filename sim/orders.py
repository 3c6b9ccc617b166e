"""Orders from hospitals to their station: filled FEFO, carried by the dispatch policy."""

from __future__ import annotations

from collections.abc import Generator

import numpy as np

from sim.domain import ABO, Priority, Product, UnitState, group_label
from sim.world import World

MIXED = "mixed"


def new_order(
    world: World,
    hospital: int,
    station: int,
    product: str,
    group: str,
    priority: int,
    quantity_u: float,
    required_by: float,
) -> int:
    """Record a new order and return its id (row number in the orders table)."""
    return world.logs.orders.add(
        len(world.logs.orders),
        world.site_id(hospital),
        world.site_id(station),
        product,
        group,
        Priority(priority).name.lower(),
        quantity_u,
        0.0,
        world.now,
        required_by,
        np.nan,
        np.nan,
        "",
        "open",
    )


def urgent_order(
    world: World,
    hospital: int,
    product: int,
    abo: int,
    rhd: int,
    quantity_u: float,
    priority: int,
) -> Generator:
    """SimPy process: a patient's shortfall ordered and transfused on arrival.

    The source is the first station in the dispatch policy's ranking that can give
    compatible units: the hospital's own station without limit, any other station only above
    its safety stock. What no station can fill is recorded as unfilled.
    """
    day = int(world.now // 1440.0)
    lead = world.scenario.demand.required_by_min
    required_by = world.now + lead[Priority(priority).name.lower()]
    station, ids = choose_source(world, hospital, product, abo, rhd, quantity_u)
    order = new_order(
        world,
        hospital,
        station,
        Product(product).name,
        group_label(abo, rhd),
        priority,
        quantity_u,
        required_by,
    )
    if not len(ids):
        _close(world, order, "unfilled", 0.0)
        return
    arrival, _mode = yield from ship(world, ids, station, hospital, priority, order)
    world.ledger.dispose(ids, UnitState.TRANSFUSED, arrival)
    filled = float(world.ledger.size_u[ids].sum())
    if arrival <= required_by:
        world.met_u[day, product] += min(filled, quantity_u)
    _close(world, order, _status(filled, quantity_u), filled)


def choose_source(
    world: World, hospital: int, product: int, abo: int, rhd: int, quantity_u: float
) -> tuple[int, np.ndarray]:
    """The station that gives the units, and the units taken from its stock (FEFO)."""
    own = int(world.sites.station_of[hospital])
    for station in world.dispatch.rank_sources(world, hospital):
        stock, want = world.stock[station], quantity_u
        if station != own:
            spare = stock.on_hand(product, now=world.now) - world.station_safety[station][product]
            want = min(want, spare)
            if want <= 0:
                continue
        ids = stock.take(product, abo, rhd, want, rule=world.rules[product], now=world.now)
        if len(ids):
            if station != own:
                world.logs.count("orders_from_other_station")
            return station, ids
    return own, np.empty(0, np.int64)


def ship(
    world: World, ids: np.ndarray, origin: int, dest: int, priority: int, order: int
) -> Generator:
    """Reserve ``ids`` for ``order`` and move them with the dispatch policy.

    Returns ``(arrival minute, mode)``; the order row gets its shipping times and mode.
    """
    world.ledger.move(ids, UnitState.RESERVED)
    world.ledger.assign_order(ids, order)
    world.logs.orders.set(order, "shipped_at", world.now)
    arrival, mode = yield from world.dispatch.deliver(world, ids, origin, dest, priority, order)
    world.logs.orders.set(order, "arrived_at", arrival)
    world.logs.orders.set(order, "mode", mode)
    return arrival, mode


def prepare_shipment(
    world: World, hospital: int, needs: dict[int, np.ndarray]
) -> tuple[np.ndarray, list[int]]:
    """Record the routine orders of one hospital and pick their units at its station.

    ``needs[product]`` is a (4, 2) array of units wanted per [abo, rhd]; the station ships
    the identical groups it has (no substitution for stock replenishment). Returns the
    picked unit ids (reserved) and the ids of the orders that have units.
    """
    station = int(world.sites.station_of[hospital])
    stock, parts, orders = world.stock[station], [], []
    for product, grid in needs.items():
        wanted = float(grid.sum())
        order = new_order(
            world,
            hospital,
            station,
            Product(product).name,
            MIXED,
            Priority.ROUTINE,
            wanted,
            world.now + 1440.0,
        )
        picked = _pick_groups(world, stock, product, grid)
        filled = float(world.ledger.size_u[picked].sum()) if len(picked) else 0.0
        _close(world, order, _status(filled, wanted), filled)
        if len(picked):
            world.on_order[hospital, product] += _by_group(world, picked)
            world.ledger.assign_order(picked, order)
            parts.append(picked)
            orders.append(order)
    ids = np.concatenate(parts) if parts else np.empty(0, np.int64)
    if len(ids):
        world.ledger.move(ids, UnitState.RESERVED)
        for order in orders:
            world.logs.orders.set(order, "shipped_at", world.now)
    return ids, orders


def deliver_shipment(
    world: World, station: int, hospital: int, ids: np.ndarray, orders: list[int]
) -> Generator:
    """SimPy process: one routine shipment carried by the dispatch policy."""
    arrival, mode = yield from world.dispatch.deliver(
        world, ids, station, hospital, Priority.ROUTINE, orders[0]
    )
    arrive_shipment(world, hospital, ids, orders, mode, arrival)


def arrive_shipment(
    world: World,
    hospital: int,
    ids: np.ndarray,
    orders: list[int],
    mode: str,
    arrival: float | None = None,
) -> None:
    """A routine shipment reaches the hospital: orders closed, units on the shelves."""
    for order in orders:
        world.logs.orders.set(order, "arrived_at", world.now if arrival is None else arrival)
        world.logs.orders.set(order, "mode", mode)
    receive(world, hospital, ids)


def receive(world: World, hospital: int, ids: np.ndarray) -> None:
    """Units arrive at a hospital blood bank and go on its shelves."""
    ledger = world.ledger
    for product in np.unique(ledger.product[ids]):
        world.on_order[hospital, product] -= _by_group(world, ids[ledger.product[ids] == product])
    ledger.move(ids, UnitState.AVAILABLE, site=hospital)
    world.stock[hospital].add(ids)


def _pick_groups(world: World, stock: object, product: int, grid: np.ndarray) -> np.ndarray:
    picked = [
        stock.take_exact(product, abo, rhd, grid[abo, rhd], now=world.now)
        for abo in range(len(ABO))
        for rhd in range(2)
        if grid[abo, rhd] > 0
    ]
    return np.concatenate(picked) if picked else np.empty(0, np.int64)


def _by_group(world: World, ids: np.ndarray) -> np.ndarray:
    ledger = world.ledger
    out = np.zeros((4, 2))
    np.add.at(out, (ledger.abo[ids], ledger.rhd[ids]), ledger.size_u[ids])
    return out


def _status(filled: float, wanted: float) -> str:
    if filled <= 0:
        return "unfilled"
    return "filled" if filled >= wanted else "partial"


def _close(world: World, order: int, status: str, filled: float) -> None:
    world.logs.orders.set(order, "status", status)
    world.logs.orders.set(order, "filled_u", filled)
