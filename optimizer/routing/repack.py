"""Repacking neighbouring routes: small sub-problems re-solved by OR-Tools (POPMUSIC-like).

OR-Tools' moves change one or two routes at a time, so on the blood-like instances its
plans keep a van or two more than PyVRP's, and routes that a joint re-plan would shorten
(``bench/RESULTS.md``, issue 14). Repacking takes a seed route and its nearest routes,
builds the sub-problem of their clients alone (same windows, loads, ride and duration
limits and fixed costs; the group's depots only; as many vans of each type as the group
uses) and re-solves it from scratch with OR-Tools' iterated local search for a fraction
of a second. Half the groups are seeded by a light route and take neighbours until their
spare capacity could hold its load, so the sub-search may empty a route (a van less).

A sub-plan replaces the group's routes only when the whole new plan passes the
independent validator and costs strictly less, so the result is never worse than the
incumbent and every route keeps every limit. Before the first group and whenever
:data:`ESCALATE_AFTER` groups in a row found nothing, least-used routes are ejected
outright where every client fits elsewhere (:mod:`~optimizer.routing.eject`; the same
validator and strict-improvement test). Sub-problems are small (about 10 to 40
clients), so a sub-search converges in about 0.1 s where a search on the whole problem
would still be far from its local optimum.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from optimizer.routing.chains import ChainSearch
from optimizer.routing.eject import eject_route, ejection_order
from optimizer.routing.ortools_adapter import BANDIT_CONFIG, solve_ortools
from optimizer.routing.problem import RoutingProblem
from optimizer.routing.schedule import assemble_plan

__all__ = [
    "REPACK_ROUNDS",
    "REPACK_SHARE",
    "SUB_TIME_S",
    "repack",
    "route_distances",
    "solve_repacked",
    "sub_problem",
]

REPACK_SHARE = 0.6
"""Share of a repacked run's time limit spent repacking, after the search (s / s)."""
REPACK_ROUNDS = 30
"""Groups tried by a repacked run under an iteration limit alone (deterministic runs)."""
SUB_TIME_S = 0.005
"""Time limit of one sub-problem search per client in it (seconds per client)."""
SUB_ITERATIONS = 100
"""Solution limit of one sub-problem search when repacking is bounded by rounds."""
SUB_CONFIG = "ils"
"""OR-Tools configuration of the sub-problem searches (``ortools_adapter.CONFIGS``)."""
MAX_NEIGHBOURS = 3
"""Most routes repacked with a randomly chosen seed route."""
FILL_NEIGHBOURS = 5
"""Most routes repacked with a light seed route (enough to take its load)."""

LARGER_GROUPS = 2
"""Routes more per group in the bandit worker's repacking (the two workers differ)."""
ESCALATE_AFTER = 10
"""Groups tried in vain before groups take one route more (POPMUSIC's growing parts)."""
MAX_EXTRA = 4
"""Most routes groups grow by."""

Sequences = list[tuple[int, list[int]]]


def sub_problem(
    problem: RoutingProblem, clients: Sequence[int], counts: dict[int, int]
) -> RoutingProblem:
    """The problem restricted to ``clients`` (indices into ``problem.clients``, in that
    order) and to the vehicle types named in ``counts`` (``counts[t]`` vans of type ``t``;
    sub-problem type ``i`` is the ``i``-th key), with their depots only: a depot without
    vans would be a node to visit."""
    types = [problem.vehicle_types[t] for t in counts]
    depots = sorted({d for v in types for d in (v.start_depot, v.end_depot)})
    renumber = {d: i for i, d in enumerate(depots)}
    keep = np.r_[depots, len(problem.depots) + np.asarray(clients, dtype=int)]
    vehicle_types = tuple(
        replace(v, count=n, start_depot=renumber[v.start_depot], end_depot=renumber[v.end_depot])
        for v, n in zip(types, counts.values(), strict=True)
    )
    return RoutingProblem(
        depots=tuple(problem.depots[d] for d in depots),
        clients=tuple(problem.clients[c] for c in clients),
        vehicle_types=vehicle_types,
        distance=problem.distance[:, keep][:, :, keep],
        duration=problem.duration[:, keep][:, :, keep],
        name=f"{problem.name}-sub",
    )


def route_distances(problem: RoutingProblem, routes: Sequences) -> np.ndarray:
    """Distance between every two routes (km, first profile): the mean over both routes'
    clients of the distance to the other route's closest client; infinite on the
    diagonal."""
    loc = [np.array([problem.location(c) for c in v]) for _, v in routes]
    dist = problem.distance[0]
    out = np.full((len(routes), len(routes)), np.inf)
    for a in range(len(routes)):
        for b in range(a + 1, len(routes)):
            block = dist[np.ix_(loc[a], loc[b])]
            out[a, b] = out[b, a] = 0.5 * (block.min(axis=1).mean() + block.min(axis=0).mean())
    return out


def _plan(problem: RoutingProblem, routes: Sequences):
    return assemble_plan(problem, routes, engine="", solve_time_s=0.0, stop_reason="", seed=0)


def _load(problem: RoutingProblem, visits: Sequence[int]) -> float:
    return sum(problem.clients[c].delivery for c in visits)


def _group(
    problem: RoutingProblem,
    routes: Sequences,
    near: np.ndarray,
    rng: np.random.Generator,
    extra: int = 0,
) -> list[int]:
    """A seed route and its nearest routes (indices into ``routes``).

    Every other group is seeded by one of the lightest third of the routes and takes
    its nearest routes until their spare capacity could hold the seed's load; the
    others are seeded at random and take 1 to :data:`MAX_NEIGHBOURS` nearest routes.
    Both take ``extra`` routes more (groups grow while repacking finds nothing).
    """
    if rng.random() >= 0.5:
        first = int(rng.integers(len(routes)))
        size = rng.integers(1 + extra, MAX_NEIGHBOURS + extra + 1)
        return [first, *np.argsort(near[first])[:size].tolist()]
    loads = [_load(problem, v) for _, v in routes]
    first = int(rng.choice(np.argsort(loads)[: max(1, len(routes) // 3)]))
    need, group = loads[first], [first]
    for g in np.argsort(near[first])[: min(FILL_NEIGHBOURS + extra, len(routes) - 1)].tolist():
        if need <= 0 and len(group) > 1 + extra:
            break
        group.append(g)
        need -= problem.vehicle_types[routes[g][0]].capacity - loads[g]
    return group


def _repack_group(
    problem: RoutingProblem, routes: Sequences, group: list[int], limit_s: float | None
) -> Sequences:
    """New routes for the clients of the routes in ``group`` (not yet checked)."""
    clients = [c for g in group for c in routes[g][1]]
    counts = Counter(routes[g][0] for g in group)
    types = list(counts)
    iterations = SUB_ITERATIONS if limit_s is None else None
    found, _, _ = solve_ortools(
        sub_problem(problem, clients, dict(counts)),
        time_limit_s=limit_s,
        max_iterations=iterations,
        config=SUB_CONFIG,
    )
    return [(types[t], [clients[i] for i in v]) for t, v in found if v]


def _eject_all(
    problem: RoutingProblem, routes: Sequences, best, near: np.ndarray, stop: float | None = None
):
    """Eject least-used routes while one goes (:func:`~optimizer.routing.eject.
    eject_route`) and time is left (``stop``: a ``time.perf_counter()`` deadline, or
    ``None``): ``(routes, plan, near, ejected)``, the plan validated and cheaper."""
    ejected, found, search = 0, True, ChainSearch.of(problem)
    while found and len(routes) > 1:
        found = False
        for r, depth in ejection_order(problem, routes):
            if stop is not None and time.perf_counter() > stop:
                return routes, best, near, ejected
            new = eject_route(problem, routes, r, near, depth, search)
            plan = None if new is None else _plan(problem, new)
            if plan is not None and plan.feasible and plan.objective < best.objective - 1e-6:
                routes, best, ejected, found = new, plan, ejected + 1, True
                near = route_distances(problem, routes)
                break
    return routes, best, near, ejected


def repack(
    problem: RoutingProblem,
    sequences: Sequence[tuple[int, Sequence[int]]],
    *,
    time_limit_s: float | None,
    rounds: int | None = None,
    seed: int = 0,
    sub_time_s: float | None = None,
    larger: int = 0,
) -> tuple[Sequences, int]:
    """Repack groups of neighbouring routes of a feasible plan while time remains.

    Parameters
    ----------
    problem
        The problem.
    sequences
        ``(vehicle type, clients in order)`` per route: the incumbent.
    time_limit_s
        Wall-clock budget (seconds), or ``None``: then ``rounds`` bounds the work and
        each sub-search stops after :data:`SUB_ITERATIONS` solutions (deterministic).
    rounds
        Most groups tried, or ``None`` (at least one of the two limits is needed).
    seed
        Seed of the group choice.
    sub_time_s
        Time limit of one sub-search per client in it (seconds per client; default
        :data:`SUB_TIME_S`).
    larger
        Routes every group takes beyond the usual (a style for a second worker).

    Returns
    -------
    tuple
        ``(sequences, improvements)``. The sequences are the incumbent's (empty routes
        left out) when it is infeasible or nothing better was found; otherwise a
        feasible plan of strictly lower cost.
    """
    if time_limit_s is None and rounds is None:
        raise ValueError("repack: give time_limit_s (seconds) or rounds (or both)")
    tic = time.perf_counter()
    routes: Sequences = [(t, list(v)) for t, v in sequences if len(v) > 0]
    best = _plan(problem, routes)
    if not best.feasible or len(routes) < 2:
        return routes, 0
    sub_time_s = SUB_TIME_S if sub_time_s is None else sub_time_s
    rng = np.random.default_rng(seed)
    near, tried, done, fails = route_distances(problem, routes), set(), 0, 0
    stop = None if time_limit_s is None else tic + time_limit_s
    routes, best, near, improvements = _eject_all(problem, routes, best, near, stop)
    while rounds is None or done < rounds:
        left = None if time_limit_s is None else time_limit_s - (time.perf_counter() - tic)
        if left is not None and left < 0.05:
            break
        done += 1
        grow = min(MAX_EXTRA, fails // ESCALATE_AFTER)
        group = _group(problem, routes, near, rng, larger + grow)
        key = frozenset(tuple(routes[g][1]) for g in group)
        if key in tried:
            continue
        tried.add(key)
        size = sum(len(routes[g][1]) for g in group)
        limit = None if left is None else min(sub_time_s * size, left)
        new = [r for i, r in enumerate(routes) if i not in group]
        new += _repack_group(problem, routes, group, limit)
        plan = _plan(problem, new)
        fails += 1
        if plan.feasible and plan.objective < best.objective - 1e-6:
            routes, best, improvements, fails = new, plan, improvements + 1, 0
            near = route_distances(problem, routes)
        elif fails % ESCALATE_AFTER == 0:  # stuck: try emptying a route outright
            routes, best, near, ejected = _eject_all(problem, routes, best, near, stop)
            improvements, fails = improvements + ejected, 0 if ejected else fails
    return routes, improvements


def solve_repacked(
    problem: RoutingProblem,
    *,
    time_limit_s: float | None,
    max_iterations: int | None,
    seed: int = 0,
    config: str = "ils",
) -> tuple[Sequences, str, float]:
    """An OR-Tools search, then repacking of its plan for :data:`REPACK_SHARE` of the time.

    Same arguments and result as the other engine runs (:class:`~optimizer.routing.solve.
    Engine`); ``config`` names the search in ``ortools_adapter.CONFIGS`` and ``seed``
    seeds the group choice. Under ``max_iterations`` alone the search stops after that
    many solutions and repacking after :data:`REPACK_ROUNDS` groups (deterministic).
    """
    tic = time.perf_counter()
    share = None if time_limit_s is None else (1 - REPACK_SHARE) * time_limit_s
    start, reason, _ = solve_ortools(
        problem, time_limit_s=share, max_iterations=max_iterations, config=config
    )
    left = None if time_limit_s is None else max(0.0, time_limit_s - (time.perf_counter() - tic))
    rounds = REPACK_ROUNDS if time_limit_s is None else None
    larger = LARGER_GROUPS if config == BANDIT_CONFIG else 0
    routes, improvements = repack(
        problem, start, time_limit_s=left, rounds=rounds, seed=seed, larger=larger
    )
    reason = f"{reason}, repacked {improvements} groups" if improvements else reason
    return routes, reason, time.perf_counter() - tic
