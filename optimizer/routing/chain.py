"""PyVRP, then OR-Tools from PyVRP's plan: one engine run of the ``pyvrp+ortools`` kind.

PyVRP searches for a share of the time on the problem, or, for ride limits it cannot
model exactly, on a tightened (``ride="restrict"``) or relaxed (``ride="relax"``) version
of it (:mod:`~optimizer.routing.ride`); routes that break a limit lose clients until they
are feasible (:mod:`~optimizer.routing.repair`). OR-Tools, which models every
constraint, then starts from those routes with the rest of the time, and the better of
the two plans is returned. With ``repack_share`` the last part of the time repacks
neighbouring routes of that plan (:mod:`~optimizer.routing.repack`), which empties vans
the two searches keep when vans have fixed costs. Runs in a single process, so a
portfolio can run several.
"""

from __future__ import annotations

import time

from optimizer.routing.ortools_adapter import solve_ortools
from optimizer.routing.problem import RoutingProblem
from optimizer.routing.pyvrp_adapter import solve_pyvrp
from optimizer.routing.repack import REPACK_ROUNDS, repack
from optimizer.routing.repair import drop_ride_violations
from optimizer.routing.schedule import better_sequences

__all__ = ["CHAIN_REPACK_SHARE", "PYVRP_SHARE", "solve_chain"]

PYVRP_SHARE = 1 / 3
"""Share of the time limit PyVRP gets (seconds / seconds); OR-Tools gets the rest."""
CHAIN_REPACK_SHARE = 5 / 12
"""Share of the time limit a repacking chain spends repacking at the end (s / s), leaving
OR-Tools a quarter. From the 12 mixed-limit blood instances at 60 s, one run each: PyVRP,
OR-Tools, then repacking was the best of five kinds of run on 7 of 12 (one tie); the same
chain without repacking cost 0.05-5.6 % more (``bench/RESULTS.md``)."""


def solve_chain(
    problem: RoutingProblem,
    *,
    time_limit_s: float | None,
    max_iterations: int | None,
    seed: int = 0,
    ride: str = "exact",
    config: str = "savings",
    repack_share: float = 0.0,
) -> tuple[list[tuple[int, list[int]]], str, float]:
    """PyVRP for ``PYVRP_SHARE`` of the time, then OR-Tools from its plan, then repacking.

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
    repack_share
        Share of the time limit spent repacking the better plan at the end (0 to
        ``1 - PYVRP_SHARE``; 0: no repacking). Under ``max_iterations`` alone, repacking
        tries :data:`~optimizer.routing.repack.REPACK_ROUNDS` groups.

    Returns
    -------
    tuple
        ``(sequences, stop_reason, solve_time_s)`` of the better stage.
    """
    if not 0.0 <= repack_share <= 1 - PYVRP_SHARE:
        raise ValueError(f"repack_share: expected 0 to {1 - PYVRP_SHARE:.3f}, got {repack_share}")
    tic = time.perf_counter()
    share = None if time_limit_s is None else PYVRP_SHARE * time_limit_s
    start, _, _ = solve_pyvrp(
        problem, time_limit_s=share, max_iterations=max_iterations, seed=seed, ride=ride
    )
    start = drop_ride_violations(problem, start)
    left = _left(time_limit_s, tic, reserve=repack_share)
    polished, reason, _ = solve_ortools(
        problem, time_limit_s=left, max_iterations=max_iterations, initial=start, config=config
    )
    candidates = [(start, f"pyvrp ({ride})"), (polished, f"ortools: {reason}")]
    sequences, reason = better_sequences(problem, candidates, seed)
    if repack_share:
        rounds = REPACK_ROUNDS if time_limit_s is None else None
        sequences, improvements = repack(
            problem, sequences, time_limit_s=_left(time_limit_s, tic, floor=0.0), rounds=rounds,
            seed=seed,
        )  # fmt: skip
        reason = f"{reason}, repacked {improvements} groups" if improvements else reason
    return sequences, reason, time.perf_counter() - tic


def _left(
    time_limit_s: float | None, tic: float, reserve: float = 0.0, floor: float = 0.05
) -> float | None:
    """Seconds left of ``time_limit_s`` since ``tic``, less a ``reserve`` share of it, and at
    least ``floor``; None without a time limit."""
    if time_limit_s is None:
        return None
    return max(floor, (1 - reserve) * time_limit_s - (time.perf_counter() - tic))
