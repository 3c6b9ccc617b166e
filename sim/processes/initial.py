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
    """Stock ``targets`` (U per [product, abo, rhd], rounded half up to whole bags).

    The products' bags go on the ledger, are released and shelved in one batch; each
    product's ages and antigens are drawn in turn, as one batch per product would (its
    typing stream keyed by its first donation id).
    """
    rng = world.streams.get("opening_stock", site)
    first = world.next_donation_id
    parts = [part for product in PRODUCTS if (part := _draw(world, rng, product, targets))]
    if not parts:
        return
    product, abo, rhd, collected, antigens = (np.concatenate(c) for c in zip(*parts, strict=True))
    ids = world.add_units(
        product=product,
        abo=abo,
        rhd=rhd,
        size_u=1.0,
        donation_id=first + np.arange(len(product)),
        collected_at=collected,
        expires_at=collected + world.shelf_by_code[product],
        site=site,
        state=UnitState.IN_TESTING,
        antigens=antigens,
    )
    world.ledger.release(ids, np.minimum(collected + MINUTES_PER_DAY, 0.0))
    world.stock[site].add(ids)


def _draw(
    world: World, rng: np.random.Generator, product: int, targets: np.ndarray
) -> tuple[np.ndarray, ...]:
    """Columns ``(product, abo, rhd, collected_at min, antigens)`` of one product's opening
    bags (empty tuple for none); takes their donation ids (``world.next_donation_id``)."""
    counts = np.floor(targets[product] + 0.5)
    abo, rhd = np.nonzero(counts)
    reps = counts[abo, rhd].astype(int)
    n = int(reps.sum())
    if not n:
        return ()
    collected = -rng.uniform(*AGE_SHARE, n) * world.shelf_min[product]
    antigens = draw_antigens(world, rng, n)
    world.next_donation_id += n
    return np.full(n, int(product)), np.repeat(abo, reps), np.repeat(rhd, reps), collected, antigens
