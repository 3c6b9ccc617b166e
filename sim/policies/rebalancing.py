"""Optimized rebalancing between blood stations ("shave peaks, fill valleys").

Every ``REVIEW_DAYS`` days at ``HOUR`` the stations' stock is snapshotted by product, group
and days-to-expiry bucket and handed to ``optimizer.rebalance`` as a min-cost network flow
(``method="flow"``: milliseconds, the same plan for a seed on any machine); the fixed-charge
rules (a shipment pays its van's round trip, carries at least ``MIN_TRANSFER_U``, at most
``MAX_TRANSFERS`` a night) are handled around the flow (``optimizer.rebalance.fixed_charge``).
The plan is checked by the independent validator; a fallback (greedy) plan is used when the
solver fails and counted in ``kpis.rebalancing.fallbacks``. Transfers travel by van between
stations.
"""

from __future__ import annotations

from collections.abc import Generator

import numpy as np

from sim.core.domain import ABO, MINUTES_PER_DAY, Priority, Product, RhD, UnitState, group_label
from sim.state.world import World

HOUR = 2.0  # planning hour of day (night, when vans are free)
REBALANCED = (Product.RBC, Product.PLT)
REVIEW_DAYS = 1
BUCKET_DAYS = np.array([1.0, 2.0, 4.0, 7.0, 14.0, 35.0, 365.0])
METHOD = "flow"  # min-cost flow, deterministic; "cpsat" solves the fixed charges exactly (s)
TIME_LIMIT_S = 30.0  # wall-clock guard of CP-SAT, unused by the flow
WALL_CLOCK_STOP = 0.95  # a solve this close to the guard is taken as stopped by it
# Hubei made 4,684 transfers of 189,000 U in 2022 (seeds.md): ~13 shipments a day of ~40 U.
MAX_TRANSFERS = 13  # shipments per night
MIN_TRANSFER_U = 10  # smallest worthwhile shipment, U
SETTLE_DAYS = 7.0  # a transferred unit is not moved again for this long (no ping-pong)


class OptimizedRebalancing:
    """Daily transshipment plan between stations from the CP-SAT rebalancing model."""

    def start(self, world: World) -> None:
        """Schedule the periodic plans."""
        world.env.process(self._plans(world))

    def _plans(self, world: World) -> Generator:
        env = world.env
        for day in range(0, world.scenario.days, REVIEW_DAYS):
            yield env.timeout(max(0.0, day * MINUTES_PER_DAY + HOUR * 60.0 - env.now))
            plan_and_ship(world)


def plan_and_ship(world: World) -> None:
    """Build, solve, validate and execute one rebalancing plan."""
    # Lazy: OR-Tools takes about a second to import and only this policy needs it.
    from optimizer.rebalance import find_violations, solve_rebalancing

    stations, items, problem = snapshot(world)
    plan = solve_rebalancing(
        problem,
        time_limit_s=TIME_LIMIT_S,
        seed=world.scenario.seed,
        max_transfers=MAX_TRANSFERS,
        method=METHOD,
    )
    world.logs.count("rebalancing_plans")
    if plan.status == "fallback":
        world.logs.count("rebalancing_fallbacks")
    if plan.solve_time_s >= WALL_CLOCK_STOP * TIME_LIMIT_S:
        # Stopped by CP-SAT's wall clock (or a very slow machine): this plan may differ
        # between two runs of the same seed. Counted so a run says so.
        world.logs.count("rebalancing_wall_clock_stops")
    if find_violations(problem, plan):
        world.logs.count("rebalancing_rejected_plans")
        return
    site = {name: s for name, s in zip(problem.stations, stations, strict=True)}
    item = {label: k for k, label in enumerate(problem.items)}
    by_link: dict[tuple[str, str], dict[int, float]] = {}
    for t in plan.transfers:
        wanted = by_link.setdefault((t.from_station, t.to_station), {})
        wanted[item[t.item]] = wanted.get(item[t.item], 0.0) + t.units
    for (a, b), wanted in sorted(by_link.items()):
        ids = _pick(world, site[a], items, wanted)
        if len(ids):
            world.env.process(_carry(world, site[a], site[b], ids))


def snapshot(world: World):
    """Stations, item labels and the :class:`RebalancingProblem` of the current stock."""
    from optimizer.rebalance import RebalancingProblem  # lazy, as above

    stations = [int(s) for s in world.sites.stations]
    groups = [(a, r) for a in range(len(ABO)) for r in range(len(RhD))]
    # Red cells and platelets: the short-lived products where transfers pay (plasma and
    # cryo keep a year and stations hold a month of them).
    items = [(p, a, r) for p in REBALANCED for a, r in groups]
    on_hand = np.zeros((len(stations), len(items), len(BUCKET_DAYS)), dtype=np.int64)
    demand = np.zeros((len(stations), len(items)))
    shares = world.groups.grid()
    for i, s in enumerate(stations):
        mean = world.served_mean[s]
        demand[i] = [mean[p] * shares[a, r] for p, a, r in items]
    for i, s in enumerate(stations):
        on_hand[i] = _buckets(world, s, items)
    policy = world.scenario.inventory.station
    road = world.road
    minutes = road.offpeak_minutes(*np.ix_(stations, stations))
    km = road.km[np.ix_(stations, stations)]
    problem = RebalancingProblem(
        stations=tuple(world.site_id(s) for s in stations),
        items=tuple(f"{p.name} {group_label(a, r)}" for p, a, r in items),
        bucket_days=BUCKET_DAYS,
        on_hand=on_hand,
        daily_demand=demand,
        target_days=np.array([getattr(policy.target_days, p.name) for p, _, _ in items]),
        safety_days=np.array([getattr(policy.safety_days, p.name) for p, _, _ in items]),
        ship_cost=2 * km * world.scenario.fleet.vans.cost_per_km,  # round trip, yuan
        unit_cost=np.zeros_like(km),
        ship_minutes=minutes,
        min_transfer_u=MIN_TRANSFER_U,
    )
    return stations, items, problem


def _buckets(world: World, station: int, items: list) -> np.ndarray:
    """Units per item and expiry bucket at a station (whole units, rounded down).

    Only the items' products are read (product by product, in the stock's order): the
    others fall in no item.
    """
    ledger, out = world.ledger, np.zeros((len(items), len(BUCKET_DAYS)), dtype=np.int64)
    stock = world.stock[station]
    products = sorted({int(p) for p, _, _ in items})
    held = np.concatenate([stock.ids(p) for p in products]) if products else np.empty(0, int)
    recent = _transferred_at(world)[held] > world.now - SETTLE_DAYS * MINUTES_PER_DAY
    held = held[~recent]
    if not len(held):
        return out
    days_left = (ledger.expires_at[held] - world.now) / MINUTES_PER_DAY
    bucket = np.clip(np.searchsorted(BUCKET_DAYS, days_left, side="right") - 1, 0, None)
    code = ledger.product[held].astype(np.intp) * 8 + ledger.abo[held] * 2 + ledger.rhd[held]
    row = np.full(len(Product) * 8, -1, dtype=np.intp)
    row[[int(p) * 8 + a * 2 + r for p, a, r in items]] = np.arange(len(items))
    cell = row[code] * len(BUCKET_DAYS) + bucket  # summed in id order, as np.add.at would
    kept = row[code] >= 0
    units = np.bincount(cell[kept], ledger.size_u[held[kept]], out.size).reshape(out.shape)
    return np.floor(units + 1e-9).astype(np.int64)


def _pick(world: World, station: int, items: list, wanted: dict[int, float]) -> np.ndarray:
    """Take the transferred units from the source: oldest first within each item, never a
    unit that arrived by transfer within ``SETTLE_DAYS``, at most one van load per link."""
    ledger, stock = world.ledger, world.stock[station]
    room, parts = world.scenario.fleet.vans.capacity_u, []
    transferred, settled = _transferred_at(world), world.now - SETTLE_DAYS * MINUTES_PER_DAY
    for k, units in sorted(wanted.items()):
        product, abo, rhd = items[k]
        held = stock.ids(int(product))  # FEFO order within each group
        held = held[
            (ledger.abo[held] == abo)
            & (ledger.rhd[held] == rhd)
            & (transferred[held] <= settled)
            & (ledger.expires_at[held] > world.now)
        ]
        sizes = np.cumsum(ledger.size_u[held])
        chosen = held[sizes <= min(units, room) + 1e-9]
        if len(chosen):
            room -= float(ledger.size_u[chosen].sum())
            parts.append(stock.take_ids(chosen))
    return np.concatenate(parts) if parts else np.empty(0, np.int64)


def _carry(world: World, source: int, dest: int, ids: np.ndarray) -> Generator:
    world.ledger.move(ids, UnitState.RESERVED)
    world.logs.count("rebalancing_shipments")
    world.logs.count("rebalancing_units", float(world.ledger.size_u[ids].sum()))
    _transferred_at(world)[ids] = world.now
    yield from world.vans.trip(source, source, dest, ids, "transfer", priority=Priority.ROUTINE)
    world.ledger.move(ids, UnitState.AVAILABLE, site=dest)
    world.stock[dest].add(ids)


def _transferred_at(world: World) -> np.ndarray:
    """Minute each unit last left on a transfer (-inf if never), as long as the ledger."""
    times = world.transferred_at
    if len(times) < len(world.ledger):
        grown = np.full(max(len(world.ledger), 2 * len(times)), -np.inf)
        grown[: len(times)] = times
        world.transferred_at = times = grown
    return times
