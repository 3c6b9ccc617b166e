"""Build a :class:`RebalancingProblem` by name instead of by array index.

>>> b = RebalancingBuilder(bucket_days=[2, 10, 30])
>>> b.add_item("RBC O+", target_days=3, safety_days=1)
>>> b.add_station("A"); b.add_station("B")
>>> b.set_stock("A", "RBC O+", [30, 20, 0]); b.set_demand("B", "RBC O+", 10)
>>> b.add_link("A", "B", minutes=60, ship_cost=100, unit_cost=1)
>>> problem = b.build()

Stations start with no stock and no demand; pairs without :meth:`add_link` have no link.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from optimizer.errors import InvalidProblem
from optimizer.rebalance.problem import RebalancingProblem

__all__ = ["RebalancingBuilder"]


class RebalancingBuilder:
    """Collects stations, items, stock and links, then builds the frozen problem.

    Parameters
    ----------
    bucket_days
        Days until expiry of each bucket (days), strictly increasing.
    **options
        Scalar fields of :class:`RebalancingProblem` (``horizon_days``,
        ``max_ship_minutes``, ``min_transfer_u`` and the penalties in yuan/U).
    """

    def __init__(self, bucket_days: Sequence[float], **options: Any) -> None:
        self.bucket_days = list(bucket_days)
        self.options = options
        self.stations: list[str] = []
        self.items: list[str] = []
        self._days: dict[str, tuple[float, float]] = {}
        self._stock: dict[tuple[str, str], list[int]] = {}
        self._demand: dict[tuple[str, str], float] = {}
        self._links: dict[tuple[str, str], tuple[float, float, float]] = {}

    def add_station(self, station: str) -> None:
        """Add a blood station by site id."""
        self.stations.append(station)

    def add_item(self, item: str, *, target_days: float, safety_days: float) -> None:
        """Add an item (product, group), with target and safety stock (days of demand)."""
        self.items.append(item)
        self._days[item] = (target_days, safety_days)

    def set_stock(self, station: str, item: str, units: Sequence[int]) -> None:
        """Stock per expiry bucket (U) of ``item`` at ``station``."""
        if len(units) != len(self.bucket_days):
            raise InvalidProblem(
                f"stock of {item} at {station}: expected "
                f"{len(self.bucket_days)} buckets, got {len(units)}"
            )
        self._stock[self._key(station, item)] = list(units)

    def set_demand(self, station: str, item: str, per_day: float) -> None:
        """Mean use of ``item`` at ``station`` (U/day)."""
        self._demand[self._key(station, item)] = per_day

    def add_link(
        self,
        a: str,
        b: str,
        *,
        minutes: float,
        ship_cost: float,
        unit_cost: float = 0.0,
        both_ways: bool = True,
    ) -> None:
        """A road link: travel time (minutes), cost per shipment (yuan) and per unit (yuan/U)."""
        self._links[self._key(a, b, link=True)] = (minutes, ship_cost, unit_cost)
        if both_ways:
            self._links[self._key(b, a, link=True)] = (minutes, ship_cost, unit_cost)

    def _key(self, a: str, b: str, *, link: bool = False) -> tuple[str, str]:
        names = self.stations if link else self.items
        if a not in self.stations:
            raise InvalidProblem(f"station: unknown station {a!r}, add it first")
        if b not in names:
            raise InvalidProblem(f"{'station' if link else 'item'}: unknown {b!r}, add it first")
        return a, b

    def build(self) -> RebalancingProblem:
        """The frozen, validated problem."""
        n, k, nb = len(self.stations), len(self.items), len(self.bucket_days)
        s_idx = {s: i for i, s in enumerate(self.stations)}
        i_idx = {s: i for i, s in enumerate(self.items)}
        on_hand, demand = np.zeros((n, k, nb)), np.zeros((n, k))
        for (s, q), units in self._stock.items():
            on_hand[s_idx[s], i_idx[q]] = units
        for (s, q), per_day in self._demand.items():
            demand[s_idx[s], i_idx[q]] = per_day
        links = np.full((3, n, n), np.inf)
        links[1:] = 0.0
        for (a, b), values in self._links.items():
            links[:, s_idx[a], s_idx[b]] = values
        days = np.array([self._days[q] for q in self.items]).reshape(k, 2)
        return RebalancingProblem(
            stations=tuple(self.stations),
            items=tuple(self.items),
            bucket_days=np.array(self.bucket_days, dtype=float),
            on_hand=on_hand,
            daily_demand=demand,
            target_days=days[:, 0],
            safety_days=days[:, 1],
            ship_minutes=links[0],
            ship_cost=links[1],
            unit_cost=links[2],
            **self.options,
        )
