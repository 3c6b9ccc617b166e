"""The rebalancing problem: a frozen, validated snapshot of stock across blood stations.

Stock is held per station × item × expiry bucket. An *item* is a (product, group) pair
labelled e.g. ``"RBC O+"``; items never substitute for one another here. Bucket ``b``
holds units that expire ``bucket_days[b]`` days from now (buckets sorted by expiry, so
bucket 0 is the oldest stock).

Units: stock and transfers in units (U; platelets in therapeutic doses), demand in U/day,
times in days or minutes as named, money in yuan.

Demand-derived quantities are rounded once, here, to whole units, and every module
(solver, greedy heuristic, cost evaluation, validator) uses the same integers:
safety, target and horizon demand are rounded up (conservative), the demand a station
can absorb before a bucket expires is rounded down (conservative: more outdating).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import ArrayLike, NDArray

from optimizer.errors import InvalidProblem

__all__ = ["MAX_COST", "MAX_UNITS", "RebalancingProblem"]

MAX_COST = 1e7
"""Largest allowed cost or penalty coefficient (yuan); keeps the scaled objective in int64."""

MAX_UNITS = 10_000_000
"""Largest allowed stock in one station × item × bucket cell (U)."""

_EPS = 1e-9


def _array(name: str, value: ArrayLike, shape: tuple[int, ...]) -> NDArray[np.float64]:
    arr = np.array(value, dtype=float)
    if arr.shape != shape:
        raise InvalidProblem(f"{name}: expected shape {shape}, got {arr.shape}")
    if np.isnan(arr).any():
        raise InvalidProblem(f"{name}: contains NaN")
    arr.flags.writeable = False
    return arr


def _check_range(name: str, arr: NDArray[np.float64], lo: float, hi: float = math.inf) -> None:
    bad = np.argwhere((arr < lo) | (arr > hi))
    if bad.size:
        idx = tuple(int(i) for i in bad[0])
        raise InvalidProblem(
            f"{name}: expected values in [{lo}, {hi}], got {arr[idx]} at index {idx}"
        )


def _labels(name: str, value: object) -> tuple[str, ...]:
    labels = tuple(str(v) for v in value)  # type: ignore[attr-defined]
    if not labels:
        raise InvalidProblem(f"{name}: expected at least one entry")
    if len(set(labels)) != len(labels):
        raise InvalidProblem(f"{name}: expected unique labels, got {list(labels)}")
    return labels


def _scalar(
    name: str, value: object, lo: float, hi: float = math.inf, *, open_lo: bool = False
) -> None:
    try:
        value = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InvalidProblem(f"{name}: expected a number, got {value!r}") from None
    ok = (value > lo if open_lo else value >= lo) and value <= hi
    if not ok or math.isnan(value):
        bound = f"> {lo}" if open_lo else f">= {lo}"
        raise InvalidProblem(f"{name}: expected a number {bound} and <= {hi}, got {value}")


@dataclass(frozen=True, eq=False)
class RebalancingProblem:
    """Stock, demand, links and prices for one rebalancing decision.

    Parameters
    ----------
    stations
        Site ids of the ``n`` blood stations (unique).
    items
        Labels of the ``k`` items, one per (product, group) pair, e.g. ``"RBC O+"``.
    bucket_days
        Days until expiry of each of the ``b`` buckets (days), strictly increasing, > 0.
    on_hand
        Stock (U), shape ``(n, k, b)``, non-negative integers.
    daily_demand
        Mean use (U/day), shape ``(n, k)``.
    target_days, safety_days
        Target and safety stock as days of demand (days), shape ``(k,)``;
        ``0 <= safety_days <= target_days``.
    ship_cost
        Fixed cost of one shipment from station i to station j (yuan), shape ``(n, n)``.
    unit_cost
        Cost per unit moved from i to j (yuan/U), shape ``(n, n)``.
    ship_minutes
        Travel time from i to j (minutes), shape ``(n, n)``; ``inf`` means no link.
    horizon_days
        Planning horizon (days): shortage and safety are judged at its end.
    max_ship_minutes
        Cold-chain limit (minutes): links longer than this are never used.
    min_transfer_u
        Smallest worthwhile shipment (U): a used (i, j) link carries at least this much.
    shortage_penalty
        Cost per unit below target stock at the end of the horizon (yuan/U).
    outdate_penalty
        Cost per unit expected to expire unused under FEFO (yuan/U).
    safety_penalty
        Extra cost per unit below safety stock at the end of the horizon (yuan/U).

    Raises
    ------
    InvalidProblem
        On a wrong shape, a NaN, a negative or fractional stock, or an out-of-range value;
        the message names the field and the expected value.
    """

    stations: tuple[str, ...]
    items: tuple[str, ...]
    bucket_days: NDArray[np.float64]
    on_hand: NDArray[np.int64]
    daily_demand: NDArray[np.float64]
    target_days: NDArray[np.float64]
    safety_days: NDArray[np.float64]
    ship_cost: NDArray[np.float64]
    unit_cost: NDArray[np.float64]
    ship_minutes: NDArray[np.float64]
    horizon_days: float = 3.0
    max_ship_minutes: float = 240.0
    min_transfer_u: int = 1
    shortage_penalty: float = 200.0
    outdate_penalty: float = 300.0
    safety_penalty: float = 100.0

    def __post_init__(self) -> None:
        put = object.__setattr__
        put(self, "stations", _labels("stations", self.stations))
        put(self, "items", _labels("items", self.items))
        n, k = len(self.stations), len(self.items)
        days = _array("bucket_days", self.bucket_days, np.shape(self.bucket_days))
        if days.ndim != 1 or days.size == 0:
            raise InvalidProblem(f"bucket_days: expected a non-empty 1-D array, got {days.shape}")
        _check_range("bucket_days", days, _EPS)
        if np.any(np.diff(days) <= 0):
            raise InvalidProblem(f"bucket_days: expected strictly increasing days, got {days}")
        put(self, "bucket_days", days)
        self._set_stock(n, k, days.size)
        self._set_days(k)
        self._set_links(n)
        self._check_scalars()

    def _set_stock(self, n: int, k: int, b: int) -> None:
        stock = _array("on_hand", self.on_hand, (n, k, b))
        _check_range("on_hand", stock, 0, MAX_UNITS)
        if np.any(stock != np.round(stock)):
            raise InvalidProblem("on_hand: expected whole units (integers)")
        as_int = stock.astype(np.int64)
        as_int.flags.writeable = False
        object.__setattr__(self, "on_hand", as_int)
        demand = _array("daily_demand", self.daily_demand, (n, k))
        _check_range("daily_demand", demand, 0, MAX_UNITS)
        object.__setattr__(self, "daily_demand", demand)

    def _set_days(self, k: int) -> None:
        target = _array("target_days", self.target_days, (k,))
        safety = _array("safety_days", self.safety_days, (k,))
        _check_range("safety_days", safety, 0, 3650)
        _check_range("target_days", target, 0, 3650)
        below = np.flatnonzero(target < safety)
        if below.size:
            i = int(below[0])
            raise InvalidProblem(
                f"target_days[{i}] ({self.items[i]}): expected >= safety_days "
                f"({safety[i]}), got {target[i]}"
            )
        object.__setattr__(self, "target_days", target)
        object.__setattr__(self, "safety_days", safety)

    def _set_links(self, n: int) -> None:
        for name in ("ship_cost", "unit_cost"):
            arr = _array(name, getattr(self, name), (n, n))
            _check_range(name, arr, 0, MAX_COST)
            object.__setattr__(self, name, arr)
        minutes = _array("ship_minutes", self.ship_minutes, (n, n))
        _check_range("ship_minutes", minutes, 0)
        object.__setattr__(self, "ship_minutes", minutes)

    def _check_scalars(self) -> None:
        _scalar("horizon_days", self.horizon_days, 0, 3650, open_lo=True)
        _scalar("max_ship_minutes", self.max_ship_minutes, 0, open_lo=True)
        if (
            isinstance(self.min_transfer_u, bool)
            or self.min_transfer_u != int(self.min_transfer_u)
            or self.min_transfer_u < 1
        ):
            raise InvalidProblem(
                f"min_transfer_u: expected an integer >= 1 (U), got {self.min_transfer_u}"
            )
        object.__setattr__(self, "min_transfer_u", int(self.min_transfer_u))
        for name in ("shortage_penalty", "outdate_penalty", "safety_penalty"):
            _scalar(name, getattr(self, name), 0, MAX_COST)
        for name in (
            "horizon_days",
            "max_ship_minutes",
            "shortage_penalty",
            "outdate_penalty",
            "safety_penalty",
        ):
            object.__setattr__(self, name, float(getattr(self, name)))

    # ---- sizes -------------------------------------------------------------------------

    @property
    def shape(self) -> tuple[int, int, int]:
        """``(stations, items, buckets)``."""
        n, k, b = self.on_hand.shape
        return n, k, b

    # ---- demand in whole units (rounded once, used by every module) --------------------

    @cached_property
    def safety_u(self) -> NDArray[np.int64]:
        """Safety stock (U), shape ``(n, k)``: ``ceil(safety_days × daily_demand)``."""
        return _ceil(self.daily_demand * self.safety_days)

    @cached_property
    def target_u(self) -> NDArray[np.int64]:
        """Target stock (U), shape ``(n, k)``: ``ceil(target_days × daily_demand)``."""
        return _ceil(self.daily_demand * self.target_days)

    @cached_property
    def horizon_u(self) -> NDArray[np.int64]:
        """Demand over the horizon (U), shape ``(n, k)``: ``ceil(horizon_days × demand)``."""
        return _ceil(self.daily_demand * self.horizon_days)

    @cached_property
    def usable_u(self) -> NDArray[np.int64]:
        """Demand before each bucket expires (U), shape ``(n, k, b)``, rounded down."""
        used = self.daily_demand[:, :, None] * self.bucket_days[None, None, :]
        return _readonly(np.floor(used + _EPS).astype(np.int64))

    @cached_property
    def horizon_buckets(self) -> int:
        """Number of buckets that expire within the horizon (``bucket_days <= horizon``)."""
        return int(np.count_nonzero(self.bucket_days <= self.horizon_days + _EPS))

    @cached_property
    def spare_u(self) -> NDArray[np.int64]:
        """Stock a station may ship of each item without going below safety (U), ``(n, k)``."""
        return _readonly(np.maximum(self.on_hand.sum(axis=2) - self.safety_u, 0))

    @cached_property
    def spare_by_bucket(self) -> NDArray[np.int64]:
        """Stock a station may ship per bucket (U), shape ``(n, k, b)``.

        A station's safety stock is its freshest units: they stay, and only older units
        beyond them may leave (stations ship oldest first). Sums to :attr:`spare_u` over
        the buckets. This keeps the source's safety rule a bound per bucket, which is what
        lets the model be solved as a network flow (:mod:`optimizer.rebalance.flow_adapter`).
        """
        fresher = np.cumsum(self.on_hand[:, :, ::-1], axis=2)[:, :, ::-1] - self.on_hand
        kept = np.clip(self.safety_u[:, :, None] - fresher, 0, self.on_hand)
        return _readonly((self.on_hand - kept).astype(np.int64))

    @cached_property
    def links(self) -> NDArray[np.bool_]:
        """Usable links, shape ``(n, n)``: off-diagonal and within ``max_ship_minutes``."""
        ok = np.isfinite(self.ship_minutes) & (self.ship_minutes <= self.max_ship_minutes)
        np.fill_diagonal(ok, False)
        return _readonly(ok)


def _ceil(values: NDArray[np.float64]) -> NDArray[np.int64]:
    return _readonly(np.ceil(values - _EPS).astype(np.int64))


def _readonly(arr: NDArray) -> NDArray:
    arr.flags.writeable = False
    return arr
