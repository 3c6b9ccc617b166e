"""Route ejection: empty a lightly used route by inserting its clients into other routes.

OR-Tools' ILS ends with a van or two more than PyVRP on the blood-like instances
(``bench/RESULTS.md``, issue 14). Its moves relocate one client at a time, and removing a
route whose clients must all move at once is a move it rarely finds. Ejection tries it
directly: for a route with little load and time used, each client in turn goes to its
cheapest insertion (least added distance) among the nearest routes where the route
stays within every limit (the validator's route checks: windows, loads, ride, duration
and distance limits). A client that fits nowhere may take another client's place, that
client moving on (an ejection chain, :mod:`~optimizer.routing.chains`); the least-used
routes of a pass also go through an ejection pool of bumped clients. When every client
finds a place the route is gone; the caller keeps the result only if the whole plan
validates and costs less.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from optimizer.routing.chains import ChainSearch
from optimizer.routing.problem import RoutingProblem
from optimizer.routing.schedule import time_route

__all__ = [
    "CHAIN_DEPTH",
    "NEAREST_ROUTES",
    "POOL_ROUTES",
    "POOL_STEPS",
    "eject_route",
    "ejection_order",
    "utilisation",
]

NEAREST_ROUTES = 10
"""Routes, nearest first, where an ejected client may be inserted."""
CHAIN_DEPTH = 2
"""1: plain insertions only; 2: a client may also take another client's place, which moves
on to a route near its own (:mod:`~optimizer.routing.chains`)."""
POOL_ROUTES = 3
"""Least-used routes a pass tries to empty through an ejection pool (the others by chains)."""
POOL_STEPS = 40
"""Most clients bumped into the pool while emptying one route (``depth`` above 2)."""

Sequences = list[tuple[int, list[int]]]


def utilisation(problem: RoutingProblem, vt: int, visits: Sequence[int]) -> float:
    """The larger of a route's load share and duration share (0 to 1; the duration share
    is 0 without a duration limit): routes low on both are the likeliest to vanish."""
    v = problem.vehicle_types[vt]
    load = sum(problem.clients[c].delivery for c in visits) / v.capacity
    if v.max_duration_min is None or not visits:
        return load
    return max(load, time_route(problem, vt, visits).duration / v.max_duration_min)


def ejection_order(problem: RoutingProblem, routes: Sequences) -> list[tuple[int, int]]:
    """``(route index, depth)`` to try in a pass, least used first: the first
    :data:`POOL_ROUTES` through the pool (``depth`` :data:`POOL_STEPS`), then chains."""
    order = np.argsort([utilisation(problem, t, v) for t, v in routes], kind="stable")
    return [(int(r), POOL_STEPS if k < POOL_ROUTES else CHAIN_DEPTH) for k, r in enumerate(order)]


def eject_route(
    problem: RoutingProblem,
    routes: Sequences,
    r: int,
    near: np.ndarray,
    depth: int = CHAIN_DEPTH,
    search: ChainSearch | None = None,
) -> Sequences | None:
    """The routes without route ``r``, its clients inserted one by one (latest window end
    first) into the :data:`NEAREST_ROUTES` routes nearest to it (``near``: route
    distances, :func:`~optimizer.routing.repack.route_distances`); ``None`` when a client
    fits nowhere or the insertions add more than the route's van costs."""
    vt, visits = routes[r]
    v = problem.vehicle_types[vt]
    saved = v.fixed_cost + v.cost_per_km * time_route(problem, vt, visits).distance
    new = [(t, list(s)) for t, s in routes]
    targets = _nearest(near, r, [r])
    search = ChainSearch(problem) if search is None else search
    if depth > 2:
        return _eject_with_pool(problem, search, new, r, near, saved, depth)
    added = 0.0
    for c in sorted(visits, key=lambda c: -problem.clients[c].tw_late):
        moves = _place(search, new, c, targets, near, r, depth)
        if moves is None:
            return None
        added += moves[0]
        if added >= saved:
            return None
        for j, seq in moves[1]:
            new[j] = (new[j][0], seq)
    return [route for i, route in enumerate(new) if i != r]


def _eject_with_pool(
    problem: RoutingProblem,
    search: ChainSearch,
    new: Sequences,
    r: int,
    near: np.ndarray,
    saved: float,
    steps: int,
) -> Sequences | None:
    """Route ``r`` emptied through an ejection pool (Nagata & Bräysy): a client that fits
    nowhere, even by a depth-2 chain, takes the place of the least often bumped client
    (else two consecutive clients) of a near route, which join the pool; at most
    ``steps`` such bumps."""
    before = _driving(problem, search, new)
    routes_r = (new[r][0], list(new[r][1]))
    pool = [(c, r) for c in sorted(routes_r[1], key=lambda c: problem.clients[c].tw_late)]
    counts: Counter[int] = Counter()
    while pool:
        c, home = pool.pop()
        targets = _nearest(near, home, [r, home]) + ([home] if home != r else [])
        moves = _place(search, new, c, targets, near, r, 2)
        if moves is None:
            bumped = search.bump(new, c, targets, counts) if steps > 0 else None
            if bumped is None:
                return None
            j, seq, gone = bumped
            moves, steps = (0.0, [(j, seq)]), steps - 1
            counts.update(gone)
            pool += [(b, j) for b in gone]
        for j, seq in moves[1]:
            new[j] = (new[j][0], seq)
    out = [route for i, route in enumerate(new) if i != r]
    added = _driving(problem, search, out) - before + _driving(problem, search, [routes_r])
    return out if added < saved else None


def _driving(problem: RoutingProblem, search: ChainSearch, routes: Sequences) -> float:
    """Driving cost of ``routes`` (yuan)."""
    return sum(problem.vehicle_types[t].cost_per_km * search.km(t, v) for t, v in routes)


def _nearest(near: np.ndarray, j: int, skip: Sequence[int]) -> list[int]:
    """The :data:`NEAREST_ROUTES` routes nearest to route ``j``, without ``skip``."""
    return [int(k) for k in np.argsort(near[j])[:NEAREST_ROUTES] if k not in skip]


def _place(
    search: ChainSearch,
    routes: Sequences,
    client: int,
    targets: list[int],
    near: np.ndarray,
    r: int,
    depth: int,
) -> tuple[float, list[tuple[int, list[int]]]] | None:
    """A plain insertion of ``client``, else (``depth`` 2) an ejection chain whose moved
    client goes to a route near the one it leaves (never route ``r``)."""
    found = search.insertion(routes, client, targets)
    if found is not None:
        return found[0], [(found[1], found[2])]
    if depth < 2:
        return None
    onward = {j: _nearest(near, j, [r, j]) for j in targets}
    return search.chain(routes, client, targets, onward)
