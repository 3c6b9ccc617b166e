"""Outdating: every midnight, units past their expiry leave every shelf."""

from __future__ import annotations

from collections.abc import Generator

import numpy as np

from sim.core.domain import MINUTES_PER_DAY, Product, UnitState
from sim.state.records import StockSnapshot
from sim.state.world import World


def expiry_sweeps(world: World) -> Generator:
    """SimPy process: daily sweep; each expired unit is disposed at its own expiry time.

    After the sweep the day's closing stock is recorded (``stock.parquet``).
    """
    env, ledger = world.env, world.ledger
    snapshot_stock(world, 0)
    for day in range(1, world.scenario.days + 1):
        yield env.timeout(max(0.0, day * MINUTES_PER_DAY - env.now))
        for stock in world.stock.values():
            ids = stock.expire(env.now)
            if len(ids):
                ledger.dispose(ids, UnitState.EXPIRED, ledger.expires_at[ids])
        snapshot_stock(world, day)


def snapshot_stock(world: World, day: int) -> None:
    """Record units AVAILABLE per (site, product) at midnight of ``day`` (vectorised)."""
    ledger = world.ledger
    available = np.flatnonzero(ledger.state == UnitState.AVAILABLE)
    n_products = len(Product)
    key = ledger.site[available].astype(np.int64) * n_products + ledger.product[available]
    units = np.bincount(
        key, weights=ledger.size_u[available], minlength=len(world.sites) * n_products
    )
    nonzero = np.flatnonzero(units)
    sites, products = nonzero // n_products, nonzero % n_products
    world.logs.stock.append(StockSnapshot(day, sites, products, units[nonzero]))
