"""Opening stock: hospitals and stations start the run at their target days of cover."""

from __future__ import annotations

import numpy as np

from sim.core.domain import MINUTES_PER_DAY, PRODUCTS, UnitState
from sim.processes.rare import draw_antigens
from sim.state.world import World

# Ages of opening stock as a share of shelf life, drawn uniformly (assumed: stock is mixed).
AGE_SHARE = (0.1, 0.5)


def stock_opening_inventory(world: World) -> None:
    """Put target stock on every hospital and station shelf (1 U bags, time before 0)."""
    policy = world.scenario.inventory
    for site, mean in world.demand_mean.items():
        _fill(world, site, mean, policy.hospital.target_days)
    for site, mean in world.served_mean.items():
        _fill(world, site, mean, policy.station.target_days)


def _fill(world: World, site: int, mean: np.ndarray, target_days: object) -> None:
    rng = world.streams.get("opening_stock", site)
    grid = world.groups.grid()
    for product in PRODUCTS:
        counts = np.floor(getattr(target_days, product.name) * mean[product] * grid + 0.5)
        abo, rhd = np.nonzero(counts)
        reps = counts[abo, rhd].astype(int)
        n = int(reps.sum())
        if not n:
            continue
        collected = -rng.uniform(*AGE_SHARE, n) * world.shelf_min[product]
        ids = world.new_bags(
            product,
            np.repeat(abo, reps),
            np.repeat(rhd, reps),
            collected,
            site,
            UnitState.IN_TESTING,
            antigens=draw_antigens(world, rng, n),
        )
        world.ledger.release(ids, np.minimum(collected + MINUTES_PER_DAY, 0.0))
        world.stock[site].add(ids)
