"""Stock levels under hosting: a host's bank keeps the stock of the hospitals it supplies.

A hospital supplied through a host's blood bank (``World.host_of``) keeps no shelf of its
own, only the scenario's emergency fridge of group O red cells (``hosting.fridge_o_*_u``);
its host orders up to its own target plus theirs (:func:`hospital_targets` of each).
"""

from __future__ import annotations

import numpy as np

from sim.core.domain import ABO, Product, RhD
from sim.policies.replenishment import hospital_targets
from sim.state.hosting import hosted_by
from sim.state.world import World


def site_targets(world: World, hospital: int) -> np.ndarray:
    """Order-up-to stock of a hospital, U per ``[product, abo, rhd]``, hosting included."""
    if world.host_of[hospital] >= 0:
        return fridge_targets(world)
    out = hospital_targets(world, hospital)
    for hosted in hosted_by(world.host_of, hospital):
        out = out + hospital_targets(world, int(hosted))
    return out


def fridge_targets(world: World) -> np.ndarray:
    """The emergency fridge of a hosted hospital, U per ``[product, abo, rhd]``."""
    hosting = world.scenario.hosting
    out = np.zeros((len(Product), len(ABO), len(RhD)))
    out[Product.RBC, ABO.O, RhD.POS] = hosting.fridge_o_pos_u
    out[Product.RBC, ABO.O, RhD.NEG] = hosting.fridge_o_neg_u
    return out


def fridge_floor(world: World) -> dict[tuple[int, int], float]:
    """Fridge units per (abo, rhd) kept for emergencies (and patients of group O)."""
    grid = fridge_targets(world)[Product.RBC]
    return {(int(ABO.O), int(rhd)): float(grid[ABO.O, rhd]) for rhd in RhD if grid[ABO.O, rhd]}
