"""Dispatch policies: how a shipment travels from its source to a hospital."""

from __future__ import annotations

from collections.abc import Generator
from typing import Protocol

import numpy as np

from sim.policies.registry import register


class Dispatch(Protocol):
    """Chooses sources for urgent orders and moves units; returns (arrival minute, mode)."""

    def rank_sources(self, world: object, hospital: int) -> list[int]: ...

    def deliver(
        self, world: object, ids: np.ndarray, origin: int, dest: int, priority: int, order: int
    ) -> Generator: ...


class NearestByRoad:
    """Ranks stations by off-peak road time to the hospital (cached per hospital)."""

    def __init__(self) -> None:
        self._ranking: dict[int, list[int]] = {}

    def rank_sources(self, world: object, hospital: int) -> list[int]:
        """Stations, the hospital's own first, then by road time to it."""
        if hospital not in self._ranking:
            stations = [int(s) for s in world.sites.stations]
            own = int(world.sites.station_of[hospital])
            road = world.road
            minutes = {
                s: road.urban_min[s, hospital] + road.rest_min[s, hospital] for s in stations
            }
            self._ranking[hospital] = sorted(stations, key=lambda s: (s != own, minutes[s]))
        return self._ranking[hospital]


@register("dispatch", "ground_only")
class GroundOnly(NearestByRoad):
    """Every shipment goes by van from the source station, straight to the hospital.

    Urgent orders are filled by the hospital's own station, else by the nearest station by
    road that has stock above its safety level.
    """

    def deliver(
        self, world: object, ids: np.ndarray, origin: int, dest: int, priority: int, order: int
    ) -> Generator:
        base = origin if origin in world.vans.bases else int(world.sites.station_of[origin])
        arrival = yield from world.vans.trip(
            base, origin, dest, ids, "delivery", priority=priority, order_id=order
        )
        return arrival, "van"
