"""The fallback heuristic: shave peaks, fill valleys, nearest first.

Used when the solver gives no trustworthy plan, and as the solver's warm start.
For each item separately:

1. A station's *surplus* is its stock above target (U); a station's *deficit* is what it
   lacks to reach target (U). Target >= safety, so shipping surplus never takes a source
   below safety stock.
2. Surplus stations, largest surplus first, send their surplus, oldest bucket first, to
   the nearest station with a deficit over a usable link (within ``max_ship_minutes``),
   ``min(surplus, deficit)`` units at a time, until the surplus is gone or no reachable
   deficit remains.

Then, per shipment (from → to, all items together): drop it if it carries fewer than
``min_transfer_u`` units or its transport cost exceeds the shortage penalty it avoids
(``units × shortage_penalty``); if ``max_transfers`` is given, keep the shipments carrying
the most units. Dropping a shipment only removes moves, so the plan stays feasible.
Ties break by station index, so the result is deterministic. Units: U, minutes, yuan.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from optimizer.rebalance.plan import Transfer, transfers_from_moves
from optimizer.rebalance.problem import RebalancingProblem

__all__ = ["greedy_moves", "greedy_transfers", "prune_moves"]


def _take_oldest(stock: NDArray[np.int64], amount: int) -> NDArray[np.int64]:
    """Units taken per bucket (U) when ``amount`` is drawn oldest bucket first."""
    before = np.cumsum(stock) - stock
    return np.clip(amount - before, 0, stock)


def _nearest_deficit(problem: RebalancingProblem, i: int, deficit: NDArray[np.int64]) -> int | None:
    reachable = np.flatnonzero(problem.links[i] & (deficit > 0))
    if reachable.size == 0:
        return None
    return int(reachable[np.argmin(problem.ship_minutes[i, reachable])])


def _route_item(problem: RebalancingProblem, q: int, moves: NDArray[np.int64]) -> None:
    stock = problem.on_hand[:, q, :].copy()
    total = stock.sum(axis=1)
    surplus = np.maximum(total - problem.target_u[:, q], 0)
    deficit = np.maximum(problem.target_u[:, q] - total, 0)
    for i in np.argsort(-surplus, kind="stable"):
        while surplus[i] > 0:
            j = _nearest_deficit(problem, int(i), deficit)
            if j is None:
                break
            amount = int(min(surplus[i], deficit[j]))
            taken = _take_oldest(stock[i], amount)
            stock[i] -= taken
            moves[i, j, q] += taken
            surplus[i] -= amount
            deficit[j] -= amount


def prune_moves(
    problem: RebalancingProblem, moves: NDArray[np.int64], max_transfers: int | None
) -> None:
    """Drop, in place, shipments under ``min_transfer_u`` or costing more than the shortage
    penalty of their units, then all but the ``max_transfers`` carrying the most units."""
    per_link = moves.sum(axis=(2, 3))
    cost = problem.ship_cost + problem.unit_cost * per_link
    bad = (per_link < problem.min_transfer_u) | (cost > problem.shortage_penalty * per_link)
    moves[bad] = 0
    if max_transfers is None:
        return
    per_link = moves.sum(axis=(2, 3)).ravel()
    order = np.argsort(-per_link, kind="stable")
    drop = order[max_transfers:]
    n = problem.shape[0]
    moves[drop // n, drop % n] = 0


def greedy_moves(
    problem: RebalancingProblem, max_transfers: int | None = None
) -> NDArray[np.int64]:
    """Greedy moves as an array ``[from, to, item, bucket]`` (U); see the module docstring.

    Parameters
    ----------
    problem
        The rebalancing problem.
    max_transfers
        Most shipments (distinct from → to links) to use, or ``None`` for no limit.
    """
    n, k, b = problem.shape
    moves = np.zeros((n, n, k, b), dtype=np.int64)
    for q in range(k):
        _route_item(problem, q, moves)
    prune_moves(problem, moves, max_transfers)
    return moves


def greedy_transfers(
    problem: RebalancingProblem, max_transfers: int | None = None
) -> tuple[Transfer, ...]:
    """Greedy plan as sorted :class:`~optimizer.rebalance.plan.Transfer` records."""
    return transfers_from_moves(problem, greedy_moves(problem, max_transfers))
