"""Outdating: every midnight, units past their expiry leave every shelf, and units still in
testing whose expiry has passed are swept from the lab queue (they are never released)."""

from __future__ import annotations

from collections.abc import Generator

import numpy as np

from sim.core.domain import MINUTES_PER_DAY, Product, UnitState
from sim.processes.lab import leave_testing
from sim.state.records import StockSnapshot
from sim.state.world import World


def expiry_sweeps(world: World) -> Generator:
    """SimPy process: daily sweep; each expired unit is disposed at its own expiry time.

    Units still in testing (or quarantine) past their expiry are disposed too, so they are
    counted as expired, not as stock at the end. After the sweep the day's closing stock is
    recorded (``stock.parquet``).
    """
    env, ledger = world.env, world.ledger
    snapshot_stock(world, 0)
    for day in range(1, world.scenario.days + 1):
        yield env.timeout(max(0.0, day * MINUTES_PER_DAY - env.now))
        for stock in world.stock.values():
            ids = stock.expire(env.now)
            if len(ids):
                ledger.dispose(ids, UnitState.EXPIRED, ledger.expires_at[ids])
        sweep_testing(world, env.now)
        snapshot_stock(world, day)


def sweep_testing(world: World, now: float) -> np.ndarray:
    """Dispose of units in testing or quarantine that expired by ``now`` (minutes), at their
    own expiry time; returns their ids. The lab skips them when their results come in.

    Only the rows from ``Ledger.pre_release_start()`` on can be in testing or quarantine:
    only those are scanned (the same ids, in the same order, as a whole-ledger scan).
    """
    ledger = world.ledger
    start = ledger.pre_release_start()
    state = ledger.state[start:]
    waiting = (state == UnitState.IN_TESTING) | (state == UnitState.QUARANTINED)
    ids = start + np.flatnonzero(waiting & (ledger.expires_at[start:] <= now))
    if len(ids):
        leave_testing(world, ids)
        ledger.dispose(ids, UnitState.EXPIRED, ledger.expires_at[ids])
    return ids


def snapshot_stock(world: World, day: int) -> None:
    """Record units AVAILABLE per (site, product) at midnight of ``day`` (vectorised)."""
    n_products = len(Product)
    units = world.ledger.units_by_site_product(UnitState.AVAILABLE, len(world.sites), n_products)
    nonzero = np.flatnonzero(units)
    sites, products = nonzero // n_products, nonzero % n_products
    world.logs.stock.append(StockSnapshot(day, sites, products, units[nonzero]))
