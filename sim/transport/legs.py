"""The one writer of the legs table: every movement of a van, drone, train or import."""

from __future__ import annotations

import numpy as np

from sim.state.ledger import units_of
from sim.state.world import World


def record_leg(
    world: World,
    mode: str,
    purpose: str,
    origin: int | str,
    dest: int | str,
    depart_at: float,
    arrive_at: float,
    ids: np.ndarray,
    *,
    km: float,
    cost_yuan: float,
    order_id: int = -1,
    samples: int = 0,
) -> int:
    """Record one leg carrying the bags ``ids``; returns its ``leg_id``.

    Parameters
    ----------
    origin, dest : int or str
        Site positions, or the name of a place outside the region (``"other_province"``).
    depart_at, arrive_at : float
        Minutes since the scenario start.
    ids : ndarray of int
        Ledger ids of the bags on board (units and bag count come from the ledger).
    km : float
        Distance, km (NaN where unknown).
    cost_yuan : float
        Cost of the leg, yuan.
    order_id : int
        The order served, -1 if none.
    samples : int
        Donation samples on board.
    """
    names = world.site_ids
    # Leg's fields in order, as a plain tuple (no record made on this hot path)
    leg = (
        mode,
        purpose,
        origin if isinstance(origin, str) else names[origin],
        dest if isinstance(dest, str) else names[dest],
        depart_at,
        arrive_at,
        units_of(world.ledger, ids),
        len(ids),
        samples,
        order_id,
        km,
        cost_yuan,
    )
    return world.logs.legs.add_values(leg)
