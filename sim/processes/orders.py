"""Orders from hospitals to their station: filled FEFO, carried by the dispatch policy."""

from __future__ import annotations

import itertools
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import simpy

from sim.core.domain import (
    MINUTES_PER_DAY,
    Level,
    Priority,
    Product,
    UnitState,
    group_label,
)
from sim.processes.mutual_aid import mutual_aid_sources
from sim.state.demand_outcomes import book_delivery
from sim.state.ledger import Ledger, units_of
from sim.state.outages import is_down
from sim.state.regions import own_region_first
from sim.state.stock import SiteStock
from sim.state.world import World
from sim.transport.legs import record_leg

MIXED = "mixed"
_PRIORITY_NAMES = {int(p): p.name.lower() for p in Priority}  # as written in orders.parquet
_PRODUCT_NAMES = {int(p): p.name for p in Product}
_CELLS = len(Product) * 8  # (product, abo, rhd) cells
_NO_IDS = np.empty(0, np.int64)


def new_order(
    world: World,
    hospital: int,
    station: int,
    product: str,
    group: str,
    priority: int,
    quantity_u: float,
    required_by: float,
    level: Level = Level.OWN_STATION,
    *,
    filled_u: float = 0.0,
    status: str = "open",
    shipped_at: float = np.nan,
) -> int:
    """Record a new order and return its id (row number in the orders table).

    ``level`` is the escalation level of the source (written as its number, 2 to 4). An
    order picked, closed and shipped at once is recorded with its ``filled_u`` (U),
    ``status`` and ``shipped_at`` (minute) instead of updating it three times.
    """
    names = world.site_ids
    # OrderRecord's fields in order, as a plain tuple (no record made on this hot path)
    record = (
        names[hospital],
        names[station],
        product,
        group,
        _PRIORITY_NAMES.get(int(priority)) or Priority(priority).name.lower(),
        quantity_u,
        filled_u,
        world.now,
        required_by,
        shipped_at,
        np.nan,
        "",
        status,
        int(level),
    )
    return world.logs.orders.add_values(record)


def mark_shipped(world: World, order: int) -> None:
    """The order's units leave now."""
    world.logs.orders.update(order, shipped_at=world.now)


def mark_arrived(world: World, order: int, arrival: float, mode: str) -> None:
    """The order's units arrive at minute ``arrival``, carried by ``mode``."""
    world.logs.orders.update(order, arrived_at=arrival, mode=mode)


def urgent_order(
    world: World,
    hospital: int,
    product: int,
    abo: int,
    rhd: int,
    quantity_u: float,
    demand: tuple[int, int, int, int],
) -> Generator:
    """SimPy process: a patient's shortfall ordered and transfused on arrival.

    ``demand`` is ``(day, product, priority, stockouts row)`` of the shortfall; what the
    delivery brings is booked against it (:func:`~sim.state.demand_outcomes.book_delivery`).

    Escalation: the hospital's own station (level 2), then the provincial blood center and
    the other stations in the dispatch policy's ranking, above their safety stock (level 3),
    then (regions run together) the neighbouring region's centre and stations above their
    safety stock, and other provinces after a lead time, within a daily volume (level 4;
    urgent and emergency orders only). What no level can fill is recorded as unfilled. Units that
    expire before they arrive are not transfused (expired at their expiry time).
    """
    priority = demand[2]
    lead = world.scenario.demand.required_by_min
    required_by = world.now + lead[Priority(priority).name.lower()]
    station, ids, level = choose_source(world, hospital, product, abo, rhd, quantity_u)
    taken = units_of(world.ledger, ids)
    if 0 < taken < quantity_u:  # the rest: its own order
        world.env.process(
            urgent_order(world, hospital, product, abo, rhd, quantity_u - taken, demand)
        )
        quantity_u = taken
    imported = not len(ids) and priority != Priority.ROUTINE and external_room(world) > 0
    if imported:  # level 4 from other provinces (a neighbouring region's units are not)
        station, level = receiving_site(world, hospital), Level.OTHER_PROVINCE
    order = new_order(
        world,
        hospital,
        station,
        Product(product).name,
        group_label(abo, rhd),
        priority,
        quantity_u,
        required_by,
        level,
    )
    if imported:
        ids = yield from import_units(world, int(station), product, abo, rhd, quantity_u)
    if not len(ids):
        close_order(world, order, "unfilled", 0.0)
        book_delivery(world, hospital, demand, quantity_u, 0.0, False, world.now)
        return
    if station == hospital:  # imported straight to the hospital (every station is down)
        arrival = world.now
        mark_arrived(world, order, arrival, "external")
    else:
        arrival, _mode = yield from ship_with_others(
            world, ids, int(station), hospital, priority, order
        )
    filled = transfuse_on_arrival(world, ids, arrival)
    if arrival <= required_by:
        world.met_u[demand[0], product] += min(filled, quantity_u)
    close_order(world, order, fill_status(filled, quantity_u), filled)
    book_delivery(world, hospital, demand, quantity_u, filled, arrival <= required_by, arrival)


def transfuse_on_arrival(world: World, ids: np.ndarray, arrival: float) -> float:
    """Transfuse the units of a delivery at minute ``arrival``; expiry is checked again at
    this issue: a unit that expired on the way is disposed as expired at its expiry time.
    Returns the units transfused (U)."""
    ledger = world.ledger
    expired = ledger.expires_at[ids] <= arrival
    if expired.any():
        ledger.dispose(ids[expired], UnitState.EXPIRED, ledger.expires_at[ids[expired]])
        world.logs.count("units_expired_before_arrival", float(ledger.size_u[ids[expired]].sum()))
        ids = ids[~expired]
    ledger.dispose(ids, UnitState.TRANSFUSED, arrival)
    return units_of(ledger, ids)


def choose_source(
    world: World, hospital: int, product: int, abo: int, rhd: int, quantity_u: float
) -> tuple[int, np.ndarray, Level]:
    """The site that gives the units, the units taken (FEFO) and the escalation level.

    The hospital's local blood establishments (its county blood bank, then its city
    station: level 2) give without limit; farther sources only above their safety stock.
    """
    own = int(world.sites.station_of[hospital])
    local = _local_sources(world, hospital)
    reach = world.scenario.escalation.max_source_min
    ranked = world.dispatch.sources(world, hospital, reach)  # may leave out the too far
    for station in _escalation(world, hospital, local, ranked):
        if is_down(world.outages, station, world.now):
            continue
        stock, want = world.stock[station], quantity_u
        if station not in local and _too_far(world, station, hospital):
            continue
        if station not in local:
            spare = stock.on_hand(product, now=world.now) - safety_units(world, station, product)
            want = min(want, spare)
            if want <= 0:
                continue
        ids = stock.take(product, abo, rhd, want, rule=world.rules[product], now=world.now)
        if len(ids):
            level = (
                Level.OWN_STATION if station in local else world.regions.level(hospital, station)
            )
            return station, ids, level
    return own, np.empty(0, np.int64), Level.OWN_STATION


def _local_sources(world: World, hospital: int) -> list[int]:
    """The hospital's county blood bank (when the scenario uses them), then its station."""
    bank = int(world.sites.bank_of[hospital])
    own = int(world.sites.station_of[hospital])
    use_bank = bank >= 0 and world.scenario.escalation.county_banks
    return [bank, own] if use_bank else [own]


def _too_far(world: World, source: int, hospital: int) -> bool:
    minutes = world.road.offpeak_minutes(source, hospital)
    return minutes > world.scenario.escalation.max_source_min


def safety_units(world: World, site: int, product: int) -> float:
    """Units of ``product`` a source keeps for itself: a station's or a hospital's safety
    stock (safety days x mean daily demand it serves)."""
    if site in world.station_safety:
        return float(world.station_safety[site][product])
    days = getattr(world.scenario.inventory.hospital.safety_days, Product(product).name, 0.0)
    return float(days * world.demand_mean[site][product])


def escalation_order(world: World, hospital: int) -> list[int]:
    """County blood bank and own station, then the provincial blood center(s), then the
    policy's ranking."""
    local = _local_sources(world, hospital)
    centers = [int(s) for s in world.sites.of_kind("blood_center") if s not in local]
    ranked = [s for s in world.dispatch.rank_sources(world, hospital) if s not in centers]
    order = [*local, *centers, *[s for s in ranked if s not in local]]
    return own_region_first(world.regions, hospital, order, mutual_aid_sources(world, order))


def _escalation(
    world: World, hospital: int, local: list[int], ranked: Iterable[int]
) -> Iterator[int]:
    """:func:`escalation_order` given the policy's ranking ``ranked``, read only as far as
    the sources are asked for (a source that gives ends the walk)."""
    centers = [int(s) for s in world.sites.of_kind("blood_center") if s not in local]
    others = (s for s in ranked if s not in centers and s not in local)
    labels, neighbours = world.regions, []
    if not labels.several:  # one region: every source is the hospital's own
        yield from (int(s) for s in itertools.chain(local, centers, others))
        return
    for source in itertools.chain(local, centers, others):
        if labels.same(hospital, source):
            yield int(source)
        else:
            neighbours.append(source)
    if labels.several:
        yield from (int(s) for s in mutual_aid_sources(world, neighbours))


def receiving_site(world: World, hospital: int) -> int:
    """Where units from other provinces arrive: the provincial blood center, else the first
    station in service, else the hospital itself."""
    sites = [*world.sites.of_kind("blood_center"), *world.sites.stations]
    for site in world.regions.own(hospital, sites):
        if not is_down(world.outages, int(site), world.now):
            return int(site)
    return hospital


def external_room(world: World) -> float:
    """Units other provinces can still send today (0 when escalation to level 4 is off)."""
    escalation = world.scenario.escalation
    if not escalation.external_enabled:
        return 0.0
    used = world.imported_u.get(int(world.now // MINUTES_PER_DAY), 0.0)
    return escalation.external_volume_u_per_day - used


def import_units(
    world: World, center: int, product: int, abo: int, rhd: int, quantity_u: float
) -> Generator:
    """SimPy process body: units from another province reach the provincial blood center.

    Returns their ids (reserved at the center); they are on the ledger with
    ``donation_id = -1`` and counted as imported, not collected.
    """
    day = int(world.now // MINUTES_PER_DAY)
    n = int(np.ceil(min(quantity_u, external_room(world))))
    world.imported_u[day] = world.imported_u.get(day, 0.0) + n
    lead = world.scenario.escalation.external_lead_time_h * 60.0
    depart = world.now
    yield world.env.timeout(lead)
    shelf = world.shelf_min[Product(product)]
    collected = world.now - 0.3 * shelf  # age of imported stock (assumed)
    ids = world.add_units(
        product=product,
        abo=abo,
        rhd=rhd,
        size_u=1.0,
        donation_id=-1,
        collected_at=np.full(n, collected),
        expires_at=collected + shelf,
        site=center,
        state=UnitState.RESERVED,
    )
    record_leg(
        world,
        "external",
        "import",
        "other_province",
        center,
        depart,
        world.now,
        ids,
        km=np.nan,
        cost_yuan=0.0,
    )
    return ids


@dataclass
class _Box:
    """Urgent orders from one source to one hospital that leave together."""

    parts: list[tuple[np.ndarray, int]]
    done: simpy.Event
    priority: int = Priority.ROUTINE  # the most urgent of its orders


def ship_with_others(
    world: World, ids: np.ndarray, origin: int, dest: int, priority: int, order: int
) -> Generator:
    """Join the box being packed at ``origin`` for ``dest`` (or start one); wait for arrival.

    Returns ``(arrival minute, mode)`` of the dispatch policy's delivery.
    """
    key = (origin, dest)
    box = world.boxes.get(key)
    if box is None:
        box = world.boxes[key] = _Box([], world.env.event())
        world.env.process(_send_box(world, key, box))
    box.parts.append((ids, order))
    box.priority = max(box.priority, int(priority))
    world.ledger.move(ids, UnitState.RESERVED, order_id=order)
    arrival, mode = yield box.done
    return arrival, mode


def _send_box(world: World, key: tuple[int, int], box: _Box) -> Generator:
    yield world.env.timeout(world.scenario.escalation.packing_min)
    del world.boxes[key]
    ids = np.concatenate([part for part, _ in box.parts])
    orders = [order for _, order in box.parts]
    for order in orders:
        mark_shipped(world, order)
    if len(orders) > 1:
        world.logs.count("orders_sharing_a_box", len(orders) - 1)
    arrival, mode = yield from world.dispatch.deliver(
        world, ids, key[0], key[1], box.priority, orders[0]
    )
    for order in orders:
        mark_arrived(world, order, arrival, mode)
    box.done.succeed((arrival, mode))


def prepare_shipment(
    world: World, hospital: int, needs: dict[int, np.ndarray], source: int | None = None
) -> tuple[np.ndarray, list[int]]:
    """Record the routine orders of one hospital and pick their units at its station.

    ``needs[product]`` is a (4, 2) array of units wanted per [abo, rhd]; the station ships
    the identical groups it has (no substitution for stock replenishment). Returns the
    picked unit ids (reserved) and the ids of the orders that have units. ``source`` is
    another stock point that ships instead of the station (a county blood bank).
    """
    ids, orders, order_ids, cells = _pick_shipment(world, hospital, needs, source)
    if len(ids):
        _book_picked(world, [(hospital, ids, order_ids, cells)])
    return ids, orders


def prepare_shipments(
    world: World, wanted: Iterable[tuple[int, dict[int, np.ndarray]]], *, together: bool
) -> dict[int, tuple[np.ndarray, list[int]]]:
    """:func:`prepare_shipment` for each ``(hospital, needs)`` of one station's review in
    turn; returns ``{hospital: (ids, order ids)}`` of those that get units.

    ``together``: the needs were all known before any pick (nothing they depend on is
    touched by picking), so the picked units go on order, get their orders and are
    reserved in one pass at the end (the same ledger and orders as hospital by hospital).
    """
    shipments, picked = {}, []
    for hospital, needs in wanted:
        if not needs:
            continue
        if not together:
            ids, orders = prepare_shipment(world, hospital, needs)
            if len(ids):
                shipments[hospital] = (ids, orders)
            continue
        ids, orders, order_ids, cells = _pick_shipment(world, hospital, needs, None)
        if len(ids):
            shipments[hospital] = (ids, orders)
            picked.append((hospital, ids, order_ids, cells))
    if picked:
        _book_picked(world, picked)
    return shipments


_Cells = list[tuple[int, int, int, float]]  # (product, abo, rhd, U picked)


def _pick_shipment(
    world: World, hospital: int, needs: dict[int, np.ndarray], source: int | None
) -> tuple[np.ndarray, list[int], np.ndarray, _Cells | None]:
    """The picking and orders of :func:`prepare_shipment`, not booked yet: the ids, the
    orders that have units, each id's order, and the picked cells when their sums are
    exact (half sizes; else None)."""
    station = int(world.sites.station_of[hospital]) if source is None else source
    stock, parts, orders, now = world.stock[station], [], [], world.now
    exact = world.ledger.half_sizes  # sums of sizes are exact in any order
    cells: _Cells = []
    for product, grid in needs.items():
        wanted = float(grid.sum())
        picked, got = _pick_groups(world, stock, product, grid, cells)
        if not exact:
            got = float(world.ledger.size_u[picked].sum()) if len(picked) else 0.0
        filled = got
        order = new_order(
            world,
            hospital,
            station,
            _PRODUCT_NAMES[product],
            MIXED,
            Priority.ROUTINE,
            wanted,
            now + MINUTES_PER_DAY,
            filled_u=filled,
            status=fill_status(filled, wanted),
            shipped_at=now if len(picked) else np.nan,  # closed; shipped when picked
        )
        if len(picked):
            parts.append(picked)
            orders.append(order)
    if not parts:
        return np.empty(0, np.int64), orders, _NO_IDS, None
    ids = np.concatenate(parts) if len(parts) > 1 else parts[0]
    order_ids = np.repeat(orders, [len(p) for p in parts])
    return ids, orders, order_ids, cells if exact else None


def _book_picked(
    world: World, picked: list[tuple[int, np.ndarray, np.ndarray, _Cells | None]]
) -> None:
    """Picked units ``(hospital, ids, each id's order, cells)`` go on order at their
    hospital, each assigned its order and reserved (one ledger pass for all).

    Products are disjoint, so one pass over all of a hospital's units sums each (product,
    group) cell in id order as per-product passes would (cells not picked gain 0.0).
    ``cells`` are the picks' ``(product, abo, rhd, U)`` when those sums are exact (half
    sizes): then each picked cell gains its units alone, the same values without the pass.
    """
    for hospital, ids, _, cells in picked:
        on_order = world.on_order[hospital]
        if cells is None:
            on_order += _by_cell(world.ledger, ids).reshape(on_order.shape)
        else:
            for product, abo, rhd, got in cells:
                on_order[product, abo, rhd] += got
    if len(picked) == 1:
        ids, order_ids = picked[0][1], picked[0][2]
    else:
        ids = np.concatenate([p[1] for p in picked])
        order_ids = np.concatenate([p[2] for p in picked])
    world.ledger.move(ids, UnitState.RESERVED, order_id=order_ids)


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
        mark_arrived(world, order, world.now if arrival is None else arrival, mode)
    receive(world, hospital, ids)


def receive(world: World, hospital: int, ids: np.ndarray) -> None:
    """Units arrive at a hospital blood bank and go on its shelves.

    What was on order comes off per product and group in one pass: each cell's units are
    summed in id order, as per-product passes would (products not in ``ids`` lose 0.0).
    """
    ledger = world.ledger
    on_order = world.on_order[hospital]
    if len(ids) > _FEW_RECEIVED or not ledger.half_sizes:
        on_order -= _by_cell(ledger, ids).reshape(on_order.shape)
        ledger.move(ids, UnitState.AVAILABLE, site=hospital)
        world.stock[hospital].add(ids)
        return
    cells, sizes = ledger.cell[ids].tolist(), ledger.size_u[ids].tolist()
    flat = on_order.reshape(-1)  # a view: cells not received would lose 0.0
    for cell, units in cell_sums(cells, sizes).items():
        flat[cell] -= units
    ledger.move(ids, UnitState.AVAILABLE, site=hospital)
    world.stock[hospital].add_moved(ids, cells, sizes)


_FEW_RECEIVED = 64
"""Up to this many bags, :func:`receive` works on Python lists (half sizes: exact sums)."""


def cell_sums(cells: list[int], sizes: list[float]) -> dict[int, float]:
    """Summed sizes (U) per cell, in order of first appearance; exact when every size is a
    multiple of 0.5 U (then the same as ``np.bincount`` in any order)."""
    sums: dict[int, float] = {}
    for cell, size in zip(cells, sizes, strict=True):
        sums[cell] = sums.get(cell, 0.0) + size
    return sums


def _pick_groups(
    world: World,
    stock: SiteStock,
    product: int,
    grid: np.ndarray,
    cells: list[tuple[int, int, int, float]],
) -> tuple[np.ndarray, float]:
    """Units of ``product`` taken FEFO per [abo, rhd] cell of ``grid`` (U wanted), in cell
    order; cells of 0 or less are skipped. Returns the ids and the units taken (U, summed
    cell by cell); each cell that gave units is appended to ``cells`` as
    ``(product, abo, rhd, U)``."""
    now, picked, total = world.now, [], 0.0
    take = stock.take_groups
    for abo, row in enumerate(grid.tolist()):
        for rhd, want in enumerate(row):
            if want > 0:
                ids, got = take(product, ((abo, rhd),), want, now)
                if len(ids):
                    picked.append(ids)
                    total += got
                    cells.append((product, abo, rhd, got))
    return (np.concatenate(picked) if picked else _NO_IDS), total


def _by_cell(ledger: Ledger, ids: np.ndarray) -> np.ndarray:
    """Units (U) of ``ids`` per (product, abo, rhd) cell, flat, each summed in id order."""
    return np.bincount(ledger.cell[ids], weights=ledger.size_u[ids], minlength=_CELLS)


def fill_status(filled: float, wanted: float) -> str:
    if filled <= 0:
        return "unfilled"
    return "filled" if filled >= wanted else "partial"


def close_order(world: World, order: int, status: str, filled: float) -> None:
    """Close an order with its fill ``status`` and the units sent, U."""
    world.logs.orders.update(order, status=status, filled_u=filled)
