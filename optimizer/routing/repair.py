"""Make a relaxed plan's routes feasible by taking clients off them.

PyVRP's relaxed ride-limit encoding (:mod:`~optimizer.routing.ride`) only holds the
last client of a route to its ride limit. Before such a plan can warm-start OR-Tools,
every route must be feasible: clients are taken off a route, worst ride-time excess
first (the last client when some other constraint breaks), until the independent
validator accepts it. The clients taken off are left for OR-Tools to insert again.
"""

from __future__ import annotations

from collections.abc import Sequence

from optimizer.routing.plan import Route, RoutePlan
from optimizer.routing.problem import RoutingProblem
from optimizer.routing.schedule import time_route
from optimizer.routing.validate import find_violations

__all__ = ["drop_ride_violations"]

_ROUTE_KINDS = ("capacity", "travel", "time_window", "duration", "distance", "ride_time", "depot")


def _route_ok(problem: RoutingProblem, route: Route) -> bool:
    plan = RoutePlan(
        routes=(route,),
        dropped=(),
        objective=0.0,
        engine="",
        feasible=True,
        solve_time_s=0.0,
        stop_reason="",
    )
    return not any(v.startswith(_ROUTE_KINDS) for v in find_violations(problem, plan))


def _worst(problem: RoutingProblem, route: Route) -> int:
    """Position of the client with the largest ride-time excess (the last one if none)."""
    over = [
        (excess, k)
        for k, c in enumerate(route.visits)
        if (limit := problem.clients[c].max_ride_min) is not None
        and (excess := route.starts[k] - route.departure - limit) > 0
    ]
    return max(over)[1] if over else len(route.visits) - 1


def _repair_route(problem: RoutingProblem, vehicle_type: int, visits: list[int]) -> list[int]:
    while visits:
        route = time_route(problem, vehicle_type, visits)
        if _route_ok(problem, route):
            break
        del visits[_worst(problem, route)]
    return visits


def drop_ride_violations(
    problem: RoutingProblem, sequences: Sequence[tuple[int, Sequence[int]]]
) -> list[tuple[int, list[int]]]:
    """Routes with the clients that break them taken off (empty routes dropped).

    Parameters
    ----------
    problem
        The problem the routes belong to.
    sequences
        ``(vehicle type, clients in order)`` per route.

    Returns
    -------
    list
        Feasible ``(vehicle type, clients in order)`` routes; some clients may be missing.
    """
    repaired = [(t, _repair_route(problem, t, list(visits))) for t, visits in sequences if visits]
    return [(t, visits) for t, visits in repaired if visits]
