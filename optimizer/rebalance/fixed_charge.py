"""The fixed-charge parts a flow cannot express, handled around the exact flow.

A cost per shipment, a smallest worthwhile shipment (``min_transfer_u``) and a most number
of shipments (``max_transfers``) each need a yes/no "link used" decision: CP-SAT models
them exactly (:mod:`optimizer.rebalance.cpsat_adapter`, seconds). For speed (milliseconds)
this uses dynamic slope scaling (Kim & Pardalos, Oper. Res. Lett. 24, 1999): the flow
(:func:`~optimizer.rebalance.flow_adapter.solve_flow`) sees each link's shipment cost
spread over the units it carried in the previous round (at first over all the source could
ship), for at most ``ROUNDS`` rounds. Each round's plan is made feasible by dropping the
shipments that break a rule or do not pay their cost
(:func:`~optimizer.rebalance.greedy.prune_moves`), solving the flow once more over the links
still used, so units re-route instead of being lost, and pruning again; the cheapest plan of
all rounds, by the full cost, is kept.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from optimizer.rebalance.cost import plan_cost
from optimizer.rebalance.flow_adapter import solve_flow
from optimizer.rebalance.greedy import prune_moves
from optimizer.rebalance.problem import RebalancingProblem

__all__ = ["ROUNDS", "flow_moves", "is_network_flow"]

ROUNDS = 3
"""Most slope-scaling rounds (each one or two flow solves of a few milliseconds)."""


def is_network_flow(problem: RebalancingProblem, max_transfers: int | None) -> bool:
    """Whether ``problem`` has no fixed-charge part, so the flow optimum is the optimum."""
    return (
        max_transfers is None
        and problem.min_transfer_u == 1
        and not np.any(problem.ship_cost[problem.links] > 0)
    )


def flow_moves(problem: RebalancingProblem, max_transfers: int | None) -> NDArray[np.int64]:
    """Moves ``[from, to, item, bucket]`` (U) that meet the fixed-charge rules (see the
    module docstring); the flow optimum when there are none."""
    if is_network_flow(problem, max_transfers):
        return solve_flow(problem)
    load = np.broadcast_to(problem.spare_u.sum(axis=1)[:, None], problem.ship_cost.shape)
    load = np.maximum(load, problem.min_transfer_u).astype(float)
    best, best_cost, items = None, np.inf, None
    for _ in range(ROUNDS):
        unit_cost = problem.unit_cost + problem.ship_cost / load
        flow = solve_flow(problem, unit_cost=unit_cost, items=items)
        # Later rounds only raise shares: an item that ships nothing now never will.
        items = flow.sum(axis=(0, 1, 3)) > 0
        moves = _feasible(problem, max_transfers, unit_cost, flow, items)
        cost = plan_cost(problem, moves).total
        if cost < best_cost:
            best, best_cost = moves, cost
        per_link = flow.sum(axis=(2, 3))
        if not per_link.any():
            break  # nothing worth moving even at the cheapest shares
        new_load = np.where(per_link > 0, np.maximum(per_link, problem.min_transfer_u), load)
        if np.array_equal(new_load, load):
            break
        load = new_load
    return best


def _feasible(
    problem: RebalancingProblem,
    max_transfers: int | None,
    unit_cost: NDArray[np.float64],
    flow: NDArray[np.int64],
    items: NDArray[np.bool_],
) -> NDArray[np.int64]:
    """``flow`` pruned to the fixed-charge rules, re-solved once over the links it keeps
    (so units re-route) and pruned again."""
    kept = flow.copy()
    prune_moves(problem, kept, max_transfers)
    if np.array_equal(kept, flow):
        return kept
    moves = solve_flow(problem, kept.sum(axis=(2, 3)) > 0, unit_cost, items)
    prune_moves(problem, moves, max_transfers)
    return moves
