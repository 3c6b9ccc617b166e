"""Outdating: every midnight, units past their expiry leave every shelf."""

from __future__ import annotations

from collections.abc import Generator

from sim.domain import MINUTES_PER_DAY, UnitState
from sim.world import World


def expiry_sweeps(world: World) -> Generator:
    """SimPy process: daily sweep; each expired unit is disposed at its own expiry time."""
    env, ledger = world.env, world.ledger
    for day in range(1, world.scenario.days + 1):
        yield env.timeout(max(0.0, day * MINUTES_PER_DAY - env.now))
        for stock in world.stock.values():
            ids = stock.expire(env.now)
            if len(ids):
                ledger.dispose(ids, UnitState.EXPIRED, ledger.expires_at[ids])
