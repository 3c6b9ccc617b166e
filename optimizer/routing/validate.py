"""Independent plan checker: recomputes everything from the problem and the plan alone.

Nothing an engine reports is trusted. Each violation is a string starting with its
kind, one of :data:`KINDS`, followed by a colon and the details, e.g.
``"capacity: route 2 carries 210 units after client 7 > capacity 200"``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator

from optimizer.errors import InfeasiblePlan
from optimizer.routing.plan import Route, RoutePlan
from optimizer.routing.problem import RoutingProblem

__all__ = ["KINDS", "TOLERANCE", "check_plan", "find_violations", "route_violations"]

TOLERANCE = 1e-6
"""Slack allowed on time, distance and load comparisons (minutes, km, units)."""

KINDS = (
    "coverage",
    "required",
    "penalty",
    "fleet",
    "depot",
    "record",
    "capacity",
    "travel",
    "time_window",
    "duration",
    "distance",
    "ride_time",
    "objective",
)


def _gt(a: float, b: float) -> bool:
    return a > b + TOLERANCE * max(1.0, abs(b))


def _check_coverage(problem: RoutingProblem, plan: RoutePlan) -> Iterator[str]:
    seen = Counter(c for r in plan.routes for c in r.visits)
    seen.update(d.client for d in plan.dropped)
    for c, count in sorted(seen.items()):
        if not 0 <= c < len(problem.clients):
            yield f"coverage: unknown client index {c}"
        elif count > 1:
            yield f"coverage: client {c} appears {count} times (served or dropped)"
    for c in range(len(problem.clients)):
        if c not in seen:
            yield f"coverage: client {c} is neither served nor dropped"


def _check_dropped(problem: RoutingProblem, plan: RoutePlan) -> Iterator[str]:
    for d in plan.dropped:
        if not 0 <= d.client < len(problem.clients):
            continue
        client = problem.clients[d.client]
        if client.required:
            yield f"required: required client {d.client} ({client.name}) is dropped"
        elif not math.isclose(d.penalty, client.drop_penalty):
            yield (
                f"penalty: client {d.client} dropped at {d.penalty}, expected {client.drop_penalty}"
            )


def _check_fleet(problem: RoutingProblem, plan: RoutePlan) -> Iterator[str]:
    used = Counter(r.vehicle_type for r in plan.routes)
    for vt, count in sorted(used.items()):
        if not 0 <= vt < len(problem.vehicle_types):
            yield f"fleet: unknown vehicle type {vt}"
        elif count > problem.vehicle_types[vt].count:
            yield (
                f"fleet: {count} routes use vehicle type {vt}, only "
                f"{problem.vehicle_types[vt].count} available"
            )


def _check_record(k: int, r: Route) -> Iterator[str]:
    n = len(r.visits)
    if n == 0:
        yield f"record: route {k} is empty"
    if len(r.arrivals) != n or len(r.starts) != n or len(r.loads) != n + 1:
        yield (
            f"record: route {k} has {n} visits but {len(r.arrivals)} arrivals, "
            f"{len(r.starts)} starts, {len(r.loads)} loads (expected n, n, n + 1)"
        )


def _check_depots(problem: RoutingProblem, k: int, r: Route) -> Iterator[str]:
    v = problem.vehicle_types[r.vehicle_type]
    if (r.start_depot, r.end_depot) != (v.start_depot, v.end_depot):
        yield (
            f"depot: route {k} runs depot {r.start_depot}->{r.end_depot}, vehicle type "
            f"{r.vehicle_type} must run {v.start_depot}->{v.end_depot}"
        )
    if r.departure < problem.depots[v.start_depot].tw_early - TOLERANCE:
        yield f"depot: route {k} leaves at {r.departure:.3f} before depot opens"
    if _gt(r.return_time, problem.depots[v.end_depot].tw_late):
        yield (
            f"depot: route {k} returns at {r.return_time:.3f} after depot closes "
            f"({problem.depots[v.end_depot].tw_late})"
        )


def _check_loads(problem: RoutingProblem, k: int, r: Route) -> Iterator[str]:
    cap = problem.vehicle_types[r.vehicle_type].capacity
    load = sum(problem.clients[c].delivery for c in r.visits)
    expected = [load]
    for c in r.visits:
        load += problem.clients[c].pickup - problem.clients[c].delivery
        expected.append(load)
    for j, (want, got) in enumerate(zip(expected, r.loads, strict=False)):
        if not math.isclose(want, got, abs_tol=TOLERANCE):
            yield f"record: route {k} reports load {got} at step {j}, recomputed {want}"
    for j, want in enumerate(expected):
        if _gt(want, cap):
            where = "leaving the depot" if j == 0 else f"after client {r.visits[j - 1]}"
            yield f"capacity: route {k} carries {want:g} units {where} > capacity {cap:g}"


def _check_times(problem: RoutingProblem, k: int, r: Route) -> Iterator[str]:
    v = problem.vehicle_types[r.vehicle_type]
    tt = problem.duration[v.profile]
    here, ready = v.start_depot, r.departure
    for j, c in enumerate(r.visits):
        client, loc = problem.clients[c], problem.location(c)
        earliest = ready + tt[here, loc]
        if earliest > r.arrivals[j] + TOLERANCE or r.arrivals[j] > r.starts[j] + TOLERANCE:
            yield (
                f"travel: route {k} reaches client {c} at {r.arrivals[j]:.3f} / starts "
                f"{r.starts[j]:.3f}, but cannot arrive before {earliest:.3f}"
            )
        if r.starts[j] < client.tw_early - TOLERANCE or _gt(r.starts[j], client.tw_late):
            yield (
                f"time_window: route {k} starts client {c} at {r.starts[j]:.3f}, window "
                f"[{client.tw_early}, {client.tw_late}]"
            )
        if client.max_ride_min is not None and _gt(r.starts[j] - r.departure, client.max_ride_min):
            yield (
                f"ride_time: client {c} reached {r.starts[j] - r.departure:.3f} min after "
                f"departure > max {client.max_ride_min}"
            )
        here, ready = loc, r.starts[j] + client.service_min
    if ready + tt[here, v.end_depot] > r.return_time + TOLERANCE:
        yield f"travel: route {k} cannot be back before {ready + tt[here, v.end_depot]:.3f}"


def _check_limits(problem: RoutingProblem, k: int, r: Route) -> Iterator[str]:
    v = problem.vehicle_types[r.vehicle_type]
    path = [v.start_depot, *(problem.location(c) for c in r.visits), v.end_depot]
    dist = sum(problem.distance[v.profile][a, b] for a, b in zip(path, path[1:], strict=False))
    if not math.isclose(dist, r.distance, rel_tol=1e-9, abs_tol=TOLERANCE):
        yield f"record: route {k} reports {r.distance} km, recomputed {dist}"
    if v.max_distance_km is not None and _gt(dist, v.max_distance_km):
        yield f"distance: route {k} is {dist:.3f} km > max {v.max_distance_km}"
    duration = r.return_time - r.departure
    if v.max_duration_min is not None and _gt(duration, v.max_duration_min):
        yield f"duration: route {k} lasts {duration:.3f} min > max {v.max_duration_min}"


def _check_route(problem: RoutingProblem, k: int, r: Route) -> Iterator[str]:
    if not 0 <= r.vehicle_type < len(problem.vehicle_types):
        return
    if any(not 0 <= c < len(problem.clients) for c in r.visits):
        return
    records = list(_check_record(k, r))
    yield from records
    yield from _check_depots(problem, k, r)
    yield from _check_loads(problem, k, r)
    yield from _check_limits(problem, k, r)
    if not records:
        yield from _check_times(problem, k, r)


def route_violations(problem: RoutingProblem, k: int, route: Route) -> Iterator[str]:
    """The violations of one route alone (``k`` numbers it in the messages): depots,
    loads, duration and distance limits, windows and ride limits."""
    return _check_route(problem, k, route)


def _check_objective(problem: RoutingProblem, plan: RoutePlan) -> Iterator[str]:
    cost = 0.0
    for r in plan.routes:
        if 0 <= r.vehicle_type < len(problem.vehicle_types):
            v = problem.vehicle_types[r.vehicle_type]
            cost += v.fixed_cost + v.cost_per_km * r.distance
    cost += sum(
        problem.clients[d.client].drop_penalty
        for d in plan.dropped
        if 0 <= d.client < len(problem.clients) and not problem.clients[d.client].required
    )
    if not math.isclose(cost, plan.objective, rel_tol=1e-9, abs_tol=1e-6):
        yield f"objective: plan reports {plan.objective}, recomputed {cost}"


def find_violations(problem: RoutingProblem, plan: RoutePlan) -> list[str]:
    """List every hard constraint the plan breaks.

    Parameters
    ----------
    problem
        The problem the plan claims to solve.
    plan
        The plan to check (its ``feasible`` flag and ``violations`` are ignored).

    Returns
    -------
    list of str
        One message per violation, each starting with a kind from :data:`KINDS`;
        empty when the plan is valid.
    """
    found = [
        *_check_coverage(problem, plan),
        *_check_dropped(problem, plan),
        *_check_fleet(problem, plan),
    ]
    for k, route in enumerate(plan.routes):
        found.extend(_check_route(problem, k, route))
    found.extend(_check_objective(problem, plan))
    return found


def check_plan(problem: RoutingProblem, plan: RoutePlan) -> None:
    """Raise :class:`~optimizer.errors.InfeasiblePlan` if the plan breaks any constraint.

    Raises
    ------
    InfeasiblePlan
        With the list of violations in ``.violations``.
    """
    violations = find_violations(problem, plan)
    if violations:
        raise InfeasiblePlan(violations)
