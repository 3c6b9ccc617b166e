"""Fewer vans first, then shorter routes: one OR-Tools run of the ``fleet`` kind.

On the blood-like instances OR-Tools' searches end with one to four more vans than
PyVRP at about the same distance (``bench/RESULTS.md``): a van's fixed cost is
recovered only by emptying a whole route, which few single moves do. This run first
searches a copy of the problem whose fixed costs are :data:`FLEET_COST_FACTOR` times
higher (iterated local search, :data:`FLEET_SHARE` of the time), then continues from
that plan on the real problem (guided local search, the rest of the time), and returns
the better of the two plans on the real costs: it is never worse than its first stage.
"""

from __future__ import annotations

import time
from dataclasses import replace

from optimizer.routing.ortools_adapter import solve_ortools
from optimizer.routing.problem import RoutingProblem
from optimizer.routing.schedule import better_sequences

__all__ = ["FLEET_COST_FACTOR", "FLEET_SHARE", "fleet_problem", "solve_fleet"]

FLEET_SHARE = 0.5
"""Share of the time limit spent on the costlier-van copy (seconds / seconds)."""
FLEET_COST_FACTOR = 2.0
"""Multiplier of every vehicle type's fixed cost in the first stage (dimensionless).

Blood set, single fleet runs of 10 s side by side (load 4-7): x2 for half the time
against x3 for 60 % (the fifth session's choice) better on 4 instances, worse on 2, equal
on 6; against x2 for 70 %, better on 5, worse on 4."""


def fleet_problem(problem: RoutingProblem, factor: float = FLEET_COST_FACTOR) -> RoutingProblem:
    """``problem`` with every fixed cost (yuan per used vehicle) multiplied by ``factor``."""
    types = tuple(replace(v, fixed_cost=v.fixed_cost * factor) for v in problem.vehicle_types)
    return replace(problem, vehicle_types=types)


def solve_fleet(
    problem: RoutingProblem,
    *,
    time_limit_s: float | None,
    max_iterations: int | None,
    seed: int = 0,
    config: str = "ils",
) -> tuple[list[tuple[int, list[int]]], str, float]:
    """Costlier vans for ``FLEET_SHARE`` of the time, then the real costs from that plan.

    Same arguments and result as the other engine runs (:class:`~optimizer.routing.solve.
    Engine`): ``time_limit_s`` (seconds) bounds both stages together, ``max_iterations``
    (OR-Tools solutions) each stage, ``seed`` is unused (OR-Tools is deterministic) and
    ``config`` names the first stage's search in ``ortools_adapter.CONFIGS``. The
    sequences and stop reason returned are the better stage's on the real costs.
    """
    tic = time.perf_counter()
    share = None if time_limit_s is None else FLEET_SHARE * time_limit_s
    first, why, _ = solve_ortools(
        fleet_problem(problem), time_limit_s=share, max_iterations=max_iterations, config=config
    )
    left = None if time_limit_s is None else max(0.05, time_limit_s - (time.perf_counter() - tic))
    second, reason, _ = solve_ortools(
        problem, time_limit_s=left, max_iterations=max_iterations, initial=first
    )
    candidates = [(first, f"fleet: {why}"), (second, f"ortools: {reason}")]
    sequences, reason = better_sequences(problem, candidates, seed)
    return sequences, reason, time.perf_counter() - tic
