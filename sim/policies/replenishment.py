"""Replenishment policies: what a hospital orders from its station at the daily review."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

import numpy as np

from sim.core.domain import ABO, PRODUCTS, Product, RhD
from sim.state.world import World


class Replenishment(Protocol):
    """Returns units wanted per product code as (4, 2) arrays indexed [abo, rhd]."""

    def needs(self, world: World, hospital: int) -> dict[int, np.ndarray]: ...


def hospital_targets(world: World, hospital: int) -> np.ndarray:
    """Order-up-to level of a hospital, U per ``[product, abo, rhd]`` (not rounded).

    ``target_days`` of mean demand split by the patients' group shares, and for red cells
    at least the tier's emergency group O units (``inventory.emergency_o``) and its
    minimum of each ABO group RhD+ (``inventory.group_min_u``).
    """
    inventory = world.scenario.inventory
    mean, shares = world.demand_mean[hospital], world.groups.grid()
    out = np.zeros((len(Product), len(ABO), len(RhD)))
    for product in PRODUCTS:
        out[product] = getattr(inventory.hospital.target_days, product.name) * mean[product]
        out[product] *= shares
    for (abo, rhd), units in emergency_o(world, hospital).items():
        out[Product.RBC, abo, rhd] = max(out[Product.RBC, abo, rhd], units)
    least = inventory.group_min_u.get(str(world.sites.tiers[hospital]), 0.0)
    out[Product.RBC, :, RhD.POS] = np.maximum(out[Product.RBC, :, RhD.POS], least)
    return out


def emergency_o(world: World, hospital: int) -> dict[tuple[int, int], float]:
    """Group O red cells (U) the hospital's tier keeps for emergencies, per (abo, rhd);
    groups without a floor are left out."""
    tier, floor = str(world.sites.tiers[hospital]), world.scenario.inventory.emergency_o
    units = {RhD.POS: floor.rhd_pos_u.get(tier, 0.0), RhD.NEG: floor.rhd_neg_u.get(tier, 0.0)}
    return {(int(ABO.O), int(rhd)): u for rhd, u in units.items() if u > 0}


def stocked_groups(targets: np.ndarray) -> np.ndarray:
    """Groups a hospital keeps on its shelf: a target of at least one whole unit (rounded
    half up, as orders are). Boolean ``[product, abo, rhd]``; a group without stock is
    ordered for the patient when the need appears."""
    return np.floor(targets + 0.5) >= 1


class OrderUpTo:
    """Periodic review, order up to the hospital's target per group (:func:`hospital_targets`).

    Inventory position = usable units on hand + units on order - deferred routine demand
    (backorders). The order is rounded to whole units.
    """

    def needs(self, world: World, hospital: int) -> dict[int, np.ndarray]:
        targets = world.hospitals[hospital].targets
        stock, now = world.stock[hospital], world.now
        position = stock.on_hand_by_product_group(_CODES, now=now)
        position += world.on_order[hospital, _ROWS]
        position -= world.backorders[hospital, _ROWS].reshape(position.shape)
        want = targets[_ROWS] - position  # all products at once, element by element as one
        np.maximum(want, 0.0, out=want)
        want += 0.5
        np.floor(want, out=want)
        totals = want.reshape(len(_CODES), -1).sum(axis=1).tolist()
        return {product: want[k] for k, product in enumerate(_CODES) if totals[k] > 0}

    def needs_of(self, world: World, hospitals: Sequence[int]) -> list[dict[int, np.ndarray]]:
        """:meth:`needs` of each of ``hospitals`` now, computed on one array (U; the same
        values element by element)."""
        if not hospitals:
            return []
        now, rows = world.now, list(hospitals)
        position = np.array(
            [world.stock[h].on_hand_by_product_group(_CODES, now=now) for h in rows]
        )
        position += world.on_order[rows, _ROWS]
        position -= world.backorders[rows, _ROWS].reshape(position.shape)
        want = np.array([world.hospitals[h].targets[_ROWS] for h in rows])
        want -= position
        np.maximum(want, 0.0, out=want)
        want += 0.5
        np.floor(want, out=want)
        totals = want.reshape(len(rows), len(_CODES), -1).sum(axis=2).tolist()
        return [
            {product: grid[k] for k, product in enumerate(_CODES) if total[k] > 0}
            for grid, total in zip(want, totals, strict=True)
        ]


def review_needs(
    world: World, hospitals: Sequence[int]
) -> list[dict[int, np.ndarray]] | Iterator[dict[int, np.ndarray]]:
    """``world.replenishment.needs`` of each of ``hospitals`` in turn, at one review.

    The built-in :class:`OrderUpTo` reads only each hospital's own stock, orders and
    backorders, which picking for the others does not touch: its needs come from one pass
    over all of them (:meth:`OrderUpTo.needs_of`, the same values), as a list. Any other
    policy is asked hospital by hospital, as the items are read (an iterator).
    """
    policy = world.replenishment
    if type(policy).needs is OrderUpTo.needs and hasattr(policy, "needs_of"):
        return policy.needs_of(world, hospitals)
    return (policy.needs(world, h) for h in hospitals)


_CODES = [int(p) for p in PRODUCTS]  # product codes reviewed: 0, 1, ... in order
_ROWS = slice(0, len(_CODES))  # their rows in arrays indexed by product code
