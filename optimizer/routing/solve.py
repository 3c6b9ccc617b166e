"""One entry point for every routing engine: ``solve(problem, ...) -> RoutePlan``.

Engines are plain functions registered by name in :data:`ENGINES`; each returns
visit sequences, which :func:`~optimizer.routing.schedule.assemble_plan` times and
validates the same way for all engines.

``engine="default"`` picks PyVRP when it is installed and can model the problem
(it was measured stronger on plain VRPTW, see ``bench/RESULTS.md``), else OR-Tools.
The plan's ``engine`` field names the engine actually used.

Infeasibility is reported, not raised: if no engine plan serves every required
client within every hard constraint, the plan comes back with ``feasible=False``
and ``violations`` listed. Call :func:`~optimizer.routing.validate.check_plan` to
turn that into :class:`~optimizer.errors.InfeasiblePlan`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from optimizer.routing.ortools_adapter import solve_ortools
from optimizer.routing.plan import RoutePlan
from optimizer.routing.problem import RoutingProblem
from optimizer.routing.pyvrp_adapter import pyvrp_available, solve_pyvrp, unsupported_reason
from optimizer.routing.schedule import assemble_plan

__all__ = ["ENGINES", "Engine", "resolve_engine", "solve"]


class Engine(Protocol):
    """A routing engine: returns ``(sequences, stop_reason, solve_time_s)``."""

    def __call__(self, problem: RoutingProblem, *, time_limit_s: float | None,
                 max_iterations: int | None, seed: int
                 ) -> tuple[Sequence[tuple[int, Sequence[int]]], str, float]: ...


ENGINES: dict[str, Engine] = {"ortools": solve_ortools, "pyvrp": solve_pyvrp}


def resolve_engine(problem: RoutingProblem, engine: str) -> str:
    """Name of the engine ``solve`` will use for ``engine`` on ``problem``.

    Raises
    ------
    ValueError
        If ``engine`` is not ``"default"`` or a key of :data:`ENGINES`.
    """
    if engine == "default":
        usable = pyvrp_available() and unsupported_reason(problem) is None
        return "pyvrp" if usable else "ortools"
    if engine not in ENGINES:
        raise ValueError(f"engine: expected one of {['default', *ENGINES]}, got {engine!r}")
    return engine


def _check_limits(time_limit_s: float | None, max_iterations: int | None) -> None:
    if time_limit_s is None and max_iterations is None:
        raise ValueError("solve: give time_limit_s (seconds) or max_iterations (or both)")
    if time_limit_s is not None and not time_limit_s > 0:
        raise ValueError(f"time_limit_s: expected > 0 seconds, got {time_limit_s}")
    if max_iterations is not None and max_iterations < 1:
        raise ValueError(f"max_iterations: expected >= 1, got {max_iterations}")


def solve(problem: RoutingProblem, *, engine: str = "default", time_limit_s: float | None = None,
          max_iterations: int | None = None, seed: int = 0) -> RoutePlan:
    """Plan routes for ``problem``.

    Parameters
    ----------
    problem
        The routing problem (km, minutes, units, yuan).
    engine
        ``"default"``, ``"ortools"`` or ``"pyvrp"``.
    time_limit_s
        Wall-clock limit (seconds). Results under a time limit may vary run to run.
    max_iterations
        Iteration limit: PyVRP search iterations, or OR-Tools accepted solutions.
        With only this limit the solve is deterministic for a given seed.
    seed
        Engine seed (PyVRP; OR-Tools' search is deterministic and ignores it).

    Returns
    -------
    RoutePlan
        Validated plan; ``feasible`` is ``False`` when a hard constraint is broken.

    Raises
    ------
    ValueError
        If no limit is given or the engine name is unknown.
    UnsupportedProblem
        If ``engine="pyvrp"`` is asked for a problem with ride-time limits.
    """
    _check_limits(time_limit_s, max_iterations)
    name = resolve_engine(problem, engine)
    sequences, reason, elapsed = ENGINES[name](
        problem, time_limit_s=time_limit_s, max_iterations=max_iterations, seed=seed)
    return assemble_plan(problem, sequences, engine=name, solve_time_s=elapsed,
                         stop_reason=reason, seed=seed)
