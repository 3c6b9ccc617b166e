"""Dispatch policies: how a shipment travels from its source to a hospital."""

from __future__ import annotations

from collections.abc import Generator
from typing import Protocol

import numpy as np

from sim.policies.registry import register


class Dispatch(Protocol):
    """Moves reserved units from ``origin`` to ``dest``; returns (arrival minute, mode)."""

    def deliver(
        self, world: object, ids: np.ndarray, origin: int, dest: int, priority: int, order: int
    ) -> Generator: ...


@register("dispatch", "ground_only")
class GroundOnly:
    """Every shipment goes by a van from the origin station's pool, directly to the hospital."""

    def deliver(
        self, world: object, ids: np.ndarray, origin: int, dest: int, priority: int, order: int
    ) -> Generator:
        base = origin if origin in world.vans.bases else int(world.sites.station_of[origin])
        arrival = yield from world.vans.trip(
            base, origin, dest, ids, "delivery", priority=priority, order_id=order
        )
        return arrival, "van"
