"""Inventory rebalancing between blood stations ("shave peaks, fill valleys").

Frozen problem → pure solve → plain plan, checked by an independent validator:

>>> from optimizer.rebalance import RebalancingProblem, check_plan, solve_rebalancing
>>> plan = solve_rebalancing(problem, time_limit_s=5.0)  # doctest: +SKIP
>>> check_plan(problem, plan)  # doctest: +SKIP

Two adapters talk to OR-Tools: :mod:`optimizer.rebalance.flow_adapter` (the model as a
min-cost flow, milliseconds) and :mod:`optimizer.rebalance.cpsat_adapter` (the whole model
with its fixed-charge parts, seconds); ``solve_rebalancing(method=...)`` picks one.
"""

from optimizer.rebalance.builder import RebalancingBuilder
from optimizer.rebalance.cost import PlanCost, plan_cost
from optimizer.rebalance.fefo import end_stock, outdated_cumulative, stock_after
from optimizer.rebalance.fixed_charge import flow_moves, is_network_flow
from optimizer.rebalance.greedy import greedy_moves, greedy_transfers, prune_moves
from optimizer.rebalance.plan import (
    STATUSES,
    RebalancingPlan,
    Transfer,
    move_array,
    transfers_from_moves,
)
from optimizer.rebalance.problem import RebalancingProblem
from optimizer.rebalance.solve import METHODS, solve_rebalancing
from optimizer.rebalance.validate import KINDS, check_plan, find_violations

__all__ = [
    "KINDS",
    "METHODS",
    "STATUSES",
    "PlanCost",
    "RebalancingBuilder",
    "RebalancingPlan",
    "RebalancingProblem",
    "Transfer",
    "check_plan",
    "end_stock",
    "find_violations",
    "flow_moves",
    "greedy_moves",
    "greedy_transfers",
    "is_network_flow",
    "move_array",
    "outdated_cumulative",
    "plan_cost",
    "prune_moves",
    "solve_rebalancing",
    "stock_after",
    "transfers_from_moves",
]
