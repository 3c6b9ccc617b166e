"""One entry point: ``solve_rebalancing(problem, ...) -> RebalancingPlan``.

``method="flow"`` solves the model as a min-cost network flow (milliseconds; exact when
the problem has no fixed-charge part, see :mod:`optimizer.rebalance.fixed_charge`, else the
flow with the fixed-charge rules enforced afterwards, status ``feasible``).
``method="cpsat"`` solves the whole model with CP-SAT (seconds). ``method="auto"`` (the
default) takes the flow when it is exact and CP-SAT otherwise.

For CP-SAT, the greedy plan (:mod:`optimizer.rebalance.greedy`) is built first and given
as a warm start. Solver trouble never raises: if CP-SAT stops without a solution, finds
the model infeasible or invalid, fails with an exception, or returns a plan the
independent validator rejects, the greedy plan is returned with ``status="fallback"``
and the reason. Only bad arguments (not solver trouble) raise.
"""

from __future__ import annotations

import math
import time

import numpy as np
from numpy.typing import NDArray

from optimizer.rebalance.cost import plan_cost
from optimizer.rebalance.cpsat_adapter import SolverResult, solve_cpsat
from optimizer.rebalance.fixed_charge import flow_moves, is_network_flow
from optimizer.rebalance.greedy import greedy_moves
from optimizer.rebalance.plan import RebalancingPlan, transfers_from_moves
from optimizer.rebalance.problem import RebalancingProblem
from optimizer.rebalance.validate import find_violations

__all__ = ["solve_rebalancing"]

_STATUS = {"OPTIMAL": "optimal", "FEASIBLE": "feasible"}
METHODS = ("auto", "flow", "cpsat")


def _check_args(
    time_limit_s: float, max_transfers: int | None, work_limit: float | None, method: str = "auto"
) -> None:
    if method not in METHODS:
        raise ValueError(f"method: expected one of {METHODS}, got {method!r}")
    if not (time_limit_s > 0 and math.isfinite(time_limit_s)):
        raise ValueError(
            f"time_limit_s: expected a finite number > 0 (seconds), got {time_limit_s}"
        )
    if max_transfers is not None and (
        isinstance(max_transfers, bool) or not isinstance(max_transfers, int) or max_transfers < 0
    ):
        raise ValueError(f"max_transfers: expected None or an integer >= 0, got {max_transfers!r}")
    if work_limit is not None and not work_limit > 0:
        raise ValueError(f"work_limit: expected None or a number > 0, got {work_limit}")


def _run_solver(
    problem: RebalancingProblem,
    hint: NDArray[np.int64],
    *,
    time_limit_s: float,
    max_transfers: int | None,
    seed: int,
    work_limit: float | None,
) -> tuple[SolverResult | None, str | None]:
    """Solver result and, if it is unusable, why."""
    try:
        result = solve_cpsat(
            problem,
            time_limit_s=time_limit_s,
            max_transfers=max_transfers,
            seed=seed,
            work_limit=work_limit,
            hint=hint,
        )
    except Exception as exc:  # solver trouble must never stop a simulation run
        return None, f"CP-SAT failed: {type(exc).__name__}: {exc}"
    if result.moves is None:
        return result, f"CP-SAT status {result.status}: no solution within the limits"
    transfers = transfers_from_moves(problem, result.moves)
    violations = find_violations(problem, transfers, max_transfers=max_transfers)
    if violations:
        return result, f"CP-SAT plan rejected by the validator: {violations[0]}"
    return result, None


def solve_rebalancing(
    problem: RebalancingProblem,
    *,
    time_limit_s: float = 5.0,
    max_transfers: int | None = None,
    seed: int = 0,
    work_limit: float | None = None,
    method: str = "auto",
) -> RebalancingPlan:
    """Plan transfers that shave stock peaks and fill valleys at least cost.

    Parameters
    ----------
    problem
        Stock, demand, links and prices.
    time_limit_s
        Wall-clock limit of the solver (seconds), > 0.
    max_transfers
        Most shipments (distinct from → to links) in the plan, or ``None`` for no limit.
    seed
        Solver random seed. With one worker and a fixed seed the plan is reproducible
        whenever the solver stops on optimality or on ``work_limit``, not the wall clock.
    work_limit
        Optional deterministic work limit (CP-SAT deterministic time, about seconds).
    method
        ``"auto"``, ``"flow"`` or ``"cpsat"`` (see the module docstring).

    Returns
    -------
    RebalancingPlan
        ``status`` is ``"optimal"``, ``"feasible"`` (stopped at a limit with a plan, or the
        flow with fixed-charge rules enforced) or ``"fallback"`` (greedy plan;
        ``fallback_reason`` says why).

    Raises
    ------
    ValueError
        On a bad argument (non-positive time limit, negative ``max_transfers``, ...).
    """
    _check_args(time_limit_s, max_transfers, work_limit, method)
    start = time.perf_counter()
    exact = is_network_flow(problem, max_transfers)
    if method == "flow" or (method == "auto" and exact):
        return _solve_flow(problem, max_transfers, exact, start)
    greedy = greedy_moves(problem, max_transfers)
    result, reason = _run_solver(
        problem,
        greedy,
        time_limit_s=time_limit_s,
        max_transfers=max_transfers,
        seed=seed,
        work_limit=work_limit,
    )
    solver_status = result.status if result is not None else "ERROR"
    if reason is None and result is not None and result.moves is not None:
        moves, status = result.moves, _STATUS[result.status]
    else:
        moves, status = greedy, "fallback"
    return _make_plan(problem, moves, status, reason, time.perf_counter() - start, solver_status)


def _solve_flow(
    problem: RebalancingProblem, max_transfers: int | None, exact: bool, start: float
) -> RebalancingPlan:
    """The flow plan; the greedy plan when the flow fails or (not exact) costs more."""
    greedy = greedy_moves(problem, max_transfers)
    try:
        moves = flow_moves(problem, max_transfers)
    except Exception as exc:  # solver trouble must never stop a simulation run
        return _make_plan(
            problem,
            greedy,
            "fallback",
            f"min-cost flow failed: {exc}",
            time.perf_counter() - start,
            "ERROR",
        )
    violations = find_violations(
        problem, transfers_from_moves(problem, moves), max_transfers=max_transfers
    )
    if violations:
        return _make_plan(
            problem,
            greedy,
            "fallback",
            f"flow plan rejected by the validator: {violations[0]}",
            time.perf_counter() - start,
            "FLOW",
        )
    if not exact and plan_cost(problem, greedy).total < plan_cost(problem, moves).total:
        moves = greedy
    return _make_plan(
        problem,
        moves,
        "optimal" if exact else "feasible",
        None,
        time.perf_counter() - start,
        "FLOW_OPTIMAL" if exact else "FLOW",
    )


def _make_plan(
    problem: RebalancingProblem,
    moves: NDArray[np.int64],
    status: str,
    reason: str | None,
    elapsed_s: float,
    solver_status: str,
) -> RebalancingPlan:
    per_link = moves.sum(axis=(2, 3))
    return RebalancingPlan(
        transfers=transfers_from_moves(problem, moves),
        objective=plan_cost(problem, moves).total,
        status=status,
        fallback_reason=reason,
        solve_time_s=elapsed_s,
        units_moved=int(per_link.sum()),
        shipments=int(np.count_nonzero(per_link)),
        solver_status=solver_status,
    )
