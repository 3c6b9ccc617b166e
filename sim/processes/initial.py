"""Opening stock: hospitals, stations and county blood banks start the run at their target
days of cover."""

from __future__ import annotations

import numpy as np

from sim.core.domain import MINUTES_PER_DAY, PRODUCTS, UnitState
from sim.policies.hosting import site_targets
from sim.processes.county_banks import bank_means, bank_targets
from sim.processes.rare import draw_antigens
from sim.state.world import World

# Ages of opening stock as a share of shelf life, drawn uniformly (assumed: stock is mixed).
AGE_SHARE = (0.1, 0.5)


def stock_opening_inventory(world: World) -> None:
    """Put target stock on every hospital and station shelf (1 U bags, time before 0).

    Hospitals start at their order-up-to level (:func:`site_targets`: with the emergency
    group O floor, and a host's stock for the hospitals it supplies), stations at
    ``target_days`` of the mean demand they serve.
    """
    target_days, grid = world.scenario.inventory.station.target_days, world.groups.grid()
    for site in world.demand_mean:
        _fill(world, site, site_targets(world, site))
    for site, mean in world.served_mean.items():
        days = np.array([getattr(target_days, p.name) for p in PRODUCTS])
        _fill(world, site, (days * mean[list(PRODUCTS)])[:, None, None] * grid)
    for site, mean in bank_means(world).items():
        _fill(world, site, bank_targets(world, mean))


def _fill(world: World, site: int, targets: np.ndarray) -> None:
    """Stock ``targets`` (U per [product, abo, rhd], rounded half up to whole bags)."""
    rng = world.streams.get("opening_stock", site)
    for product in PRODUCTS:
        counts = np.floor(targets[product] + 0.5)
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
