"""PyVRP, then OR-Tools from PyVRP's plan: one engine run of the ``pyvrp+ortools`` kind.

PyVRP searches for a share of the time on the problem, or, for ride limits it cannot
model exactly, on a tightened (``ride="restrict"``) or relaxed (``ride="relax"``) version
of it (:mod:`~optimizer.routing.ride`); routes that break a limit lose clients until they
are feasible (:mod:`~optimizer.routing.repair`). OR-Tools, which models every
constraint, then starts from those routes with the rest of the time, and the better of
the two plans is returned. Runs in a single process, so a portfolio can run several.
"""

from __future__ import annotations

import time

from optimizer.routing.ortools_adapter import solve_ortools
from optimizer.routing.problem import RoutingProblem
from optimizer.routing.pyvrp_adapter import solve_pyvrp
from optimizer.routing.repair import drop_ride_violations
from optimizer.routing.schedule import better_sequences

__all__ = ["PYVRP_SHARE", "solve_chain"]

PYVRP_SHARE = 1 / 3
"""Share of the time limit PyVRP gets (seconds / seconds); OR-Tools gets the rest."""


def solve_chain(
    problem: RoutingProblem,
    *,
    time_limit_s: float | None,
    max_iterations: int | None,
    seed: int = 0,
    ride: str = "exact",
    config: str = "savings",
) -> tuple[list[tuple[int, list[int]]], str, float]:
    """PyVRP for ``PYVRP_SHARE`` of the time, then OR-Tools from its plan.

    Parameters
    ----------
    problem
        The problem.
    time_limit_s
        Wall-clock limit of both stages together (seconds), or ``None``.
    max_iterations
        Iteration limit of each stage (PyVRP iterations, OR-Tools solutions), or ``None``.
    seed
        PyVRP seed.
    ride
        PyVRP's handling of ride limits: ``"exact"``, ``"restrict"`` or ``"relax"``.
    config
        OR-Tools search configuration (name in ``ortools_adapter.CONFIGS``).

    Returns
    -------
    tuple
        ``(sequences, stop_reason, solve_time_s)`` of the better stage.
    """
    tic = time.perf_counter()
    share = None if time_limit_s is None else PYVRP_SHARE * time_limit_s
    start, _, _ = solve_pyvrp(
        problem, time_limit_s=share, max_iterations=max_iterations, seed=seed, ride=ride
    )
    start = drop_ride_violations(problem, start)
    left = None if time_limit_s is None else max(0.05, time_limit_s - (time.perf_counter() - tic))
    polished, reason, _ = solve_ortools(
        problem, time_limit_s=left, max_iterations=max_iterations, initial=start, config=config
    )
    candidates = [(start, f"pyvrp ({ride})"), (polished, f"ortools: {reason}")]
    sequences, reason = better_sequences(problem, candidates, seed)
    return sequences, reason, time.perf_counter() - tic
