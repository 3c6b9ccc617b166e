"""PyVRP engine: maps a :class:`RoutingProblem` onto ``pyvrp.ProblemData``.

Integer units come from :mod:`optimizer.routing.scaling`. Supported: multiple
depots, heterogeneous vehicle types (count, capacity, start/end depot, fixed cost,
cost per km, route duration and distance limits, travel profile), client time
windows and service times, simultaneous delivery and pickup, optional clients (drop
penalty = PyVRP prize). Not supported: ride-time limits (``Client.max_ride_min``),
for which :class:`~optimizer.errors.UnsupportedProblem` is raised.

PyVRP is an optional dependency (``pyvrp>=0.14``), imported on first use.
"""

from __future__ import annotations

import math
import time
import warnings
from dataclasses import replace

from optimizer.errors import UnsupportedProblem
from optimizer.routing.problem import RoutingProblem
from optimizer.routing.scaling import UNBOUNDED, IntegerProblem, scale_problem

__all__ = ["pyvrp_available", "solve_pyvrp", "unsupported_reason"]


def pyvrp_available() -> bool:
    """Whether the ``pyvrp`` package can be imported."""
    try:
        import pyvrp  # noqa: F401
    except ImportError:
        return False
    return True


def unsupported_reason(problem: RoutingProblem) -> str | None:
    """Why PyVRP cannot model ``problem``, or ``None`` if it can."""
    limited = [c.name or str(i) for i, c in enumerate(problem.clients)
               if c.max_ride_min is not None]
    if limited:
        return f"engine 'pyvrp' cannot model ride-time limits (clients {limited[:5]}); " \
               "use engine='ortools'"
    return None


def _clients(pyvrp, problem: RoutingProblem, data: IntegerProblem) -> list:
    n_depots = len(problem.depots)
    return [
        pyvrp.Client(n_depots + c, delivery=[data.delivery[c]], pickup=[data.pickup[c]],
                     service_duration=data.service[c], tw_early=data.tw_early[c],
                     tw_late=data.tw_late[c], prize=0 if cl.required else data.drop_penalty[c],
                     required=cl.required, name=cl.name)
        for c, cl in enumerate(problem.clients)
    ]


def _vehicle_types(pyvrp, problem: RoutingProblem, data: IntegerProblem) -> list:
    return [
        pyvrp.VehicleType(
            num_available=vt.count, capacity=[data.capacity[t]], start_depot=vt.start_depot,
            end_depot=vt.end_depot, fixed_cost=data.fixed_cost[t],
            shift_duration=data.max_duration[t] if data.max_duration[t] < UNBOUNDED
            else 2**62,
            max_distance=data.max_distance[t] if data.max_distance[t] < UNBOUNDED else 2**62,
            unit_distance_cost=data.unit_cost[t], profile=vt.profile, name=vt.name)
        for t, vt in enumerate(problem.vehicle_types) if vt.count > 0
    ]


def _reduce_costs(data: IntegerProblem) -> IntegerProblem:
    """Divide all money figures by their common divisor (same optimum, smaller numbers).

    PyVRP's penalty manager adapts best when costs and durations have similar magnitude.
    """
    g = math.gcd(*data.unit_cost, *data.fixed_cost, *data.drop_penalty) or 1
    return replace(
        data, unit_cost=tuple(c // g for c in data.unit_cost),
        fixed_cost=tuple(c // g for c in data.fixed_cost),
        drop_penalty=tuple(c // g for c in data.drop_penalty),
    )


def to_pyvrp(problem: RoutingProblem):
    """Build ``pyvrp.ProblemData`` (raises UnsupportedProblem for ride-time limits)."""
    import pyvrp

    reason = unsupported_reason(problem)
    if reason:
        raise UnsupportedProblem(reason)
    data = _reduce_costs(scale_problem(problem))
    return pyvrp.ProblemData(
        locations=[pyvrp.Location(0.0, 0.0) for _ in range(problem.num_locations)],
        clients=_clients(pyvrp, problem, data),
        depots=[pyvrp.Depot(d, tw_early=data.depot_early[d], tw_late=data.depot_late[d],
                            name=dp.name) for d, dp in enumerate(problem.depots)],
        vehicle_types=_vehicle_types(pyvrp, problem, data),
        distance_matrices=list(data.distance), duration_matrices=list(data.duration),
    )


def _stop(time_limit_s: float | None, max_iterations: int | None):
    from pyvrp.stop import MaxIterations, MaxRuntime, MultipleCriteria

    criteria = []
    if time_limit_s is not None:
        criteria.append(MaxRuntime(time_limit_s))
    if max_iterations is not None:
        criteria.append(MaxIterations(max_iterations))
    return criteria[0] if len(criteria) == 1 else MultipleCriteria(criteria)


def solve_pyvrp(problem: RoutingProblem, *, time_limit_s: float | None,
                max_iterations: int | None, seed: int = 0
                ) -> tuple[list[tuple[int, list[int]]], str, float]:
    """Solve with PyVRP's iterated local search.

    Parameters
    ----------
    problem
        The problem; must not use ride-time limits.
    time_limit_s
        Wall-clock limit (seconds), or ``None``.
    max_iterations
        Number of search iterations, or ``None``. With this limit alone the search is
        deterministic for a given seed.
    seed
        Seed of PyVRP's random number stream.

    Returns
    -------
    tuple
        ``(sequences, stop_reason, solve_time_s)``.

    Raises
    ------
    UnsupportedProblem
        If the problem uses ride-time limits.
    """
    import pyvrp

    tic = time.perf_counter()
    active = [t for t, vt in enumerate(problem.vehicle_types) if vt.count > 0]
    with warnings.catch_warnings():
        # Hard-to-satisfy instances saturate PyVRP's penalties; infeasibility is
        # reported by the validator instead of this warning.
        warnings.simplefilter("ignore", pyvrp.exceptions.PenaltyBoundWarning)
        result = pyvrp.solve(to_pyvrp(problem), _stop(time_limit_s, max_iterations),
                             seed=seed, collect_stats=False, display=False)
    hit_iters = max_iterations is not None and result.num_iterations >= max_iterations
    sequences = [
        (active[route.vehicle_type()],
         [a.idx for a in route.schedule() if a.type == pyvrp.ActivityType.CLIENT])
        for route in result.best.routes()
    ]
    reason = "iteration_limit" if hit_iters else "time_limit"
    return sequences, reason, time.perf_counter() - tic
