"""What a plan costs (yuan), recomputed from the problem alone.

The same formula the solver minimises, evaluated with NumPy so that solver and greedy
plans are priced identically and no solver figure is trusted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from optimizer.rebalance.fefo import end_stock, outdated_cumulative, stock_after
from optimizer.rebalance.problem import RebalancingProblem

__all__ = ["PlanCost", "plan_cost"]


@dataclass(frozen=True)
class PlanCost:
    """Cost breakdown of a plan (yuan) and the unit counts behind it (U).

    Parameters
    ----------
    transport
        Fixed shipment costs plus per-unit costs (yuan).
    shortage, outdating, safety
        Penalties (yuan) for units below target at the horizon end, units expected to
        expire unused, and units below safety at the horizon end.
    shortage_u, outdated_u, below_safety_u
        The unit counts penalised (U).
    """

    transport: float
    shortage: float
    outdating: float
    safety: float
    shortage_u: int
    outdated_u: int
    below_safety_u: int

    @property
    def total(self) -> float:
        """Objective value (yuan)."""
        return self.transport + self.shortage + self.outdating + self.safety


def transport_cost(problem: RebalancingProblem, moves: NDArray[np.integer]) -> float:
    """Fixed cost of every used link plus cost per unit moved (yuan)."""
    per_link = moves.sum(axis=(2, 3))
    fixed = problem.ship_cost[per_link > 0].sum()
    return float(fixed + (problem.unit_cost * per_link).sum())


def plan_cost(problem: RebalancingProblem, moves: NDArray[np.integer]) -> PlanCost:
    """Price the moves ``[from, to, item, bucket]`` (U) against ``problem``."""
    stock = stock_after(problem, moves)
    end = end_stock(problem, stock)
    short = int(np.maximum(problem.target_u - end, 0).sum())
    below = int(np.maximum(problem.safety_u - end, 0).sum())
    outdated = int(outdated_cumulative(problem, stock)[:, :, -1].sum())
    return PlanCost(
        transport=transport_cost(problem, moves),
        shortage=short * problem.shortage_penalty,
        outdating=outdated * problem.outdate_penalty,
        safety=below * problem.safety_penalty,
        shortage_u=short,
        outdated_u=outdated,
        below_safety_u=below,
    )
