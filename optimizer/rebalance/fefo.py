"""Expected outdating and end-of-horizon stock when stock is issued first-expiring-first-out.

A station uses ``d`` U/day, always from the bucket that expires first. With ``S_b`` the
stock in buckets ``0..b`` and ``D_b`` the demand before bucket ``b`` expires (``usable_u``),
the units of buckets ``0..b`` that expire unused are

    O_b = max(0, max_{c <= b} (S_c - D_c))

(each bucket expires whatever of it and older stock demand could not reach in time;
older expired units are counted once). This is the piecewise model the solver encodes
with ``O_b >= O_{b-1}``, ``O_b >= S_b - D_b``, ``O_b >= 0``.

No new supply is assumed: the estimate is for the stock on hand now. Units: U.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from optimizer.rebalance.problem import RebalancingProblem

__all__ = ["end_stock", "outdated_cumulative", "stock_after"]


def stock_after(problem: RebalancingProblem, moves: NDArray[np.integer]) -> NDArray[np.int64]:
    """Stock per station × item × bucket after the moves arrive (U), shape ``(n, k, b)``.

    ``moves`` is ``[from, to, item, bucket]`` (U), see :func:`~optimizer.rebalance.plan.move_array`.
    """
    return problem.on_hand - moves.sum(axis=1) + moves.sum(axis=0)


def outdated_cumulative(
    problem: RebalancingProblem, stock: NDArray[np.integer]
) -> NDArray[np.int64]:
    """Expected units of buckets ``0..b`` that expire unused (U), shape ``(n, k, b)``.

    The last bucket's value is the station's total expected outdating.
    """
    excess = np.maximum(np.cumsum(stock, axis=2) - problem.usable_u, 0)
    return np.maximum.accumulate(excess, axis=2)


def end_stock(problem: RebalancingProblem, stock: NDArray[np.integer]) -> NDArray[np.int64]:
    """Usable stock at the end of the horizon (U), shape ``(n, k)``.

    Stock minus horizon demand minus units expired within the horizon; negative values
    are unmet demand.
    """
    expired = np.zeros(stock.shape[:2], dtype=np.int64)
    if problem.horizon_buckets:
        expired = outdated_cumulative(problem, stock)[:, :, problem.horizon_buckets - 1]
    return stock.sum(axis=2) - problem.horizon_u - expired
