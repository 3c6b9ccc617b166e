"""Route ejection: empty a lightly used route by inserting its clients into other routes.

OR-Tools' ILS ends with a van or two more than PyVRP on the blood-like instances
(``bench/RESULTS.md``, issue 14). Its moves relocate one client at a time, and removing a
route whose clients must all move at once is a move it rarely finds. Ejection tries it
directly: for a route with little load and time used, each client in turn goes to its
cheapest insertion (least added distance) among the nearest routes where the route
stays within every limit (the validator's route checks: windows, loads, ride, duration
and distance limits). When every client finds a place the route is gone; the caller keeps
the result only if the whole plan validates and costs less.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from optimizer.routing.problem import RoutingProblem
from optimizer.routing.schedule import time_route
from optimizer.routing.validate import route_violations

__all__ = ["NEAREST_ROUTES", "eject_route", "utilisation"]

NEAREST_ROUTES = 10
"""Routes, nearest first, where an ejected client may be inserted."""

Sequences = list[tuple[int, list[int]]]


def utilisation(problem: RoutingProblem, vt: int, visits: Sequence[int]) -> float:
    """The larger of a route's load share and duration share (0 to 1; the duration share
    is 0 without a duration limit): routes low on both are the likeliest to vanish."""
    v = problem.vehicle_types[vt]
    load = sum(problem.clients[c].delivery for c in visits) / v.capacity
    if v.max_duration_min is None or not visits:
        return load
    return max(load, time_route(problem, vt, visits).duration / v.max_duration_min)


def _added_km(problem: RoutingProblem, vt: int, visits: list[int], client: int) -> np.ndarray:
    """Added distance (km) of inserting ``client`` at each position 0..len(visits)."""
    v = problem.vehicle_types[vt]
    path = [v.start_depot, *(problem.location(c) for c in visits), v.end_depot]
    dist = problem.distance[v.profile]
    at = problem.location(client)
    a, b = np.asarray(path[:-1]), np.asarray(path[1:])
    return dist[a, at] + dist[at, b] - dist[a, b]


def _insertion(
    problem: RoutingProblem, routes: Sequences, client: int, targets: Sequence[int]
) -> tuple[float, int, list[int]] | None:
    """Cheapest feasible insertion of ``client`` into a route of ``targets``:
    ``(added cost, route index, new visits)``, or ``None``."""
    options = []
    for j in targets:
        vt, visits = routes[j]
        v = problem.vehicle_types[vt]
        load = sum(problem.clients[c].delivery for c in visits) + problem.clients[client].delivery
        if load > v.capacity:
            continue
        added = v.cost_per_km * _added_km(problem, vt, visits, client)
        options += [(float(cost), j, p) for p, cost in enumerate(added)]
    for cost, j, p in sorted(options):
        vt, visits = routes[j]
        new = [*visits[:p], client, *visits[p:]]
        if not any(route_violations(problem, 0, time_route(problem, vt, new))):
            return cost, j, new
    return None


def eject_route(
    problem: RoutingProblem, routes: Sequences, r: int, near: np.ndarray
) -> Sequences | None:
    """The routes without route ``r``, its clients inserted one by one (latest window end
    first) into the :data:`NEAREST_ROUTES` routes nearest to it (``near``: route
    distances, :func:`~optimizer.routing.repack.route_distances`); ``None`` when a client
    fits nowhere or the insertions add more than the route's van costs."""
    vt, visits = routes[r]
    v = problem.vehicle_types[vt]
    saved = v.fixed_cost + v.cost_per_km * time_route(problem, vt, visits).distance
    new = [(t, list(s)) for t, s in routes]
    targets = [int(j) for j in np.argsort(near[r])[:NEAREST_ROUTES] if j != r]
    added = 0.0
    for c in sorted(visits, key=lambda c: -problem.clients[c].tw_late):
        found = _insertion(problem, new, c, targets)
        if found is None:
            return None
        cost, j, seq = found
        added += cost
        if added >= saved:
            return None
        new[j] = (new[j][0], seq)
    return [route for i, route in enumerate(new) if i != r]
