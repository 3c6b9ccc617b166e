"""The result of a rebalancing solve: plain frozen records, independent of any solver."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from optimizer.rebalance.problem import RebalancingProblem

__all__ = ["STATUSES", "RebalancingPlan", "Transfer", "move_array", "transfers_from_moves"]

STATUSES = ("optimal", "feasible", "fallback")
"""``optimal``/``feasible``: the solver's plan (proven optimal or not); ``fallback``: greedy."""


@dataclass(frozen=True, order=True)
class Transfer:
    """Units of one item and one expiry bucket sent from one station to another.

    Parameters
    ----------
    from_station, to_station
        Station ids (``problem.stations``).
    item
        Item label (``problem.items``), e.g. ``"RBC O+"``.
    bucket
        Expiry bucket index (``problem.bucket_days[bucket]`` days to expiry).
    units
        Units moved (U), a positive integer.
    """

    from_station: str
    to_station: str
    item: str
    bucket: int
    units: int


@dataclass(frozen=True)
class RebalancingPlan:
    """Transfers to make now, with their cost and how they were found.

    Parameters
    ----------
    transfers
        Transfers, sorted; one shipment (i, j) may carry several items and buckets.
    objective
        Total cost of the plan (yuan): transport + shortage + outdating + safety
        penalties, recomputed from the problem by :func:`~optimizer.rebalance.cost.plan_cost`.
    status
        One of :data:`STATUSES`.
    fallback_reason
        Why the greedy plan was used (``None`` unless ``status == "fallback"``).
    solve_time_s
        Wall-clock time of the whole call (seconds).
    units_moved
        Total units moved (U).
    shipments
        Number of distinct (from, to) links used.
    solver_status
        The solver's own status name (e.g. ``"OPTIMAL"``, ``"UNKNOWN"``), for the record.
    """

    transfers: tuple[Transfer, ...]
    objective: float
    status: str
    fallback_reason: str | None
    solve_time_s: float
    units_moved: int
    shipments: int
    solver_status: str = ""


def move_array(problem: RebalancingProblem, transfers: Iterable[Transfer]) -> NDArray[np.int64]:
    """Units moved as an array ``[from, to, item, bucket]`` (U).

    Transfers naming an unknown station, item or bucket, or with non-integer units, are
    skipped (the validator reports them); repeated transfers add up.
    """
    n, k, b = problem.shape
    moves = np.zeros((n, n, k, b), dtype=np.int64)
    station = {s: i for i, s in enumerate(problem.stations)}
    item = {s: i for i, s in enumerate(problem.items)}
    for t in transfers:
        i, j, q = station.get(t.from_station), station.get(t.to_station), item.get(t.item)
        if i is None or j is None or q is None or not _whole(t.bucket, b) or not _whole(t.units):
            continue
        moves[i, j, q, t.bucket] += int(t.units)
    return moves


def _whole(value: object, below: int | None = None) -> bool:
    """``value`` is an integer (not a bool), and in ``0..below - 1`` when ``below`` is given."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        return False
    return below is None or 0 <= value < below


def transfers_from_moves(
    problem: RebalancingProblem, moves: NDArray[np.integer]
) -> tuple[Transfer, ...]:
    """Inverse of :func:`move_array`: one :class:`Transfer` per positive cell, sorted."""
    return tuple(
        sorted(
            Transfer(
                problem.stations[i],
                problem.stations[j],
                problem.items[q],
                int(b),
                int(moves[i, j, q, b]),
            )
            for i, j, q, b in zip(*np.nonzero(moves > 0), strict=True)
        )
    )
