"""Replenishment policies: what a hospital orders from its station at the daily review."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from sim.core.domain import PRODUCTS
from sim.state.world import World


class Replenishment(Protocol):
    """Returns units wanted per product code as (4, 2) arrays indexed [abo, rhd]."""

    def needs(self, world: World, hospital: int) -> dict[int, np.ndarray]: ...


class OrderUpTo:
    """Periodic review, order up to ``target_days`` of mean demand per group.

    Inventory position = usable units on hand + units on order - deferred routine demand
    (backorders). The group split of the target follows the patients' group shares; the
    order is rounded to whole units.
    """

    def needs(self, world: World, hospital: int) -> dict[int, np.ndarray]:
        policy = world.scenario.inventory.hospital
        mean = world.demand_mean[hospital]
        stock, shares, out = world.stock[hospital], world.groups.grid(), {}
        for product in PRODUCTS:
            target = getattr(policy.target_days, product.name) * mean[product] * shares
            position = stock.on_hand_by_group(product, now=world.now)
            backlog = world.hospitals[hospital].carry[product].reshape(4, 2)
            position = position + world.on_order[hospital, product] - backlog
            want = np.floor(np.maximum(target - position, 0.0) + 0.5)
            if want.sum() > 0:
                out[int(product)] = want
        return out
