"""Timing and loads of a visit sequence, and plan assembly from engine output.

Engines only decide *which* vehicle visits *which* clients in *which* order; this
module turns such sequences into full :class:`Route` records with one canonical
schedule, so every engine's plan is timed the same way.

The schedule leaves as late as the sequence allows (every visit by its latest start,
back before the end depot closes) but no later than needed to avoid all waiting, then
serves every client as early as possible. For any departure ``d``, serving as early as
possible minimises each start, and ``start_k(d) - d`` does not grow as ``d`` grows, so
every ride time (departure → service start) and the route duration are as small as
the sequence allows, together: the schedule is feasible whenever some schedule is.
(Serving as early as possible from the earliest departure and then delaying earlier
visits, as before, could leave a van waiting *after* a short-limit client instead of
before it.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from optimizer.routing.plan import DroppedClient, Route, RoutePlan
from optimizer.routing.problem import RoutingProblem
from optimizer.routing.validate import find_violations

__all__ = [
    "SequencePlan",
    "assemble_plan",
    "best_plan",
    "better_sequences",
    "plan_objective",
    "time_route",
]

SequencePlan = Sequence[tuple[int, Sequence[int]]]
"""Engine output: ``(vehicle_type, client indices in order)`` per used vehicle."""


def _legs(problem: RoutingProblem, vt: int, visits: Sequence[int]) -> list[float]:
    """Travel time (minutes) of each leg: start depot -> visits -> end depot."""
    v = problem.vehicle_types[vt]
    path = [v.start_depot, *(problem.location(c) for c in visits), v.end_depot]
    tt = problem.duration[v.profile]
    return [float(tt[a, b]) for a, b in zip(path[:-1], path[1:], strict=True)]


def _departure(problem: RoutingProblem, vt: int, visits: Sequence[int], legs: list[float]):
    """Latest useful departure (minutes): no later than any visit's latest start (and the
    end depot's closing) allows, and no later than needed to avoid all waiting."""
    v = problem.vehicle_types[vt]
    clients = [problem.clients[c] for c in visits]
    latest = problem.depots[v.end_depot].tw_late - clients[-1].service_min - legs[-1]
    latest = min(clients[-1].tw_late, latest)
    for k in range(len(clients) - 2, -1, -1):
        latest = min(clients[k].tw_late, latest - clients[k].service_min - legs[k + 1])
    no_wait, elapsed = -float("inf"), 0.0
    for k, client in enumerate(clients):
        elapsed += legs[k]
        no_wait = max(no_wait, client.tw_early - elapsed)
        elapsed += client.service_min
    return max(problem.depots[v.start_depot].tw_early, min(latest - legs[0], no_wait))


def _schedule(problem: RoutingProblem, vt: int, visits: Sequence[int]):
    """Departure, arrivals, service starts and return (minutes): leave as late as is
    useful, then serve every client as early as possible."""
    legs = _legs(problem, vt, visits)
    departure = clock = _departure(problem, vt, visits, legs)
    arrivals, starts = [], []
    for k, c in enumerate(visits):
        client = problem.clients[c]
        arrivals.append(clock + legs[k])
        starts.append(max(arrivals[-1], client.tw_early))
        clock = starts[-1] + client.service_min
    return departure, arrivals, starts, clock + legs[-1]


def _loads(problem: RoutingProblem, visits: Sequence[int]) -> tuple[float, ...]:
    load = sum(problem.clients[c].delivery for c in visits)
    loads = [load]
    for c in visits:
        load += problem.clients[c].pickup - problem.clients[c].delivery
        loads.append(load)
    return tuple(loads)


def _distance(problem: RoutingProblem, vt: int, visits: Sequence[int]) -> float:
    v = problem.vehicle_types[vt]
    path = [v.start_depot, *(problem.location(c) for c in visits), v.end_depot]
    dist = problem.distance[v.profile]
    return float(sum(dist[a, b] for a, b in zip(path[:-1], path[1:], strict=True)))


def time_route(problem: RoutingProblem, vehicle_type: int, visits: Sequence[int]) -> Route:
    """Time a non-empty visit sequence with the canonical schedule.

    Parameters
    ----------
    problem
        The problem the sequence belongs to.
    vehicle_type
        Index of the vehicle type driving the route.
    visits
        Client indices in visiting order (non-empty).

    Returns
    -------
    Route
        Times in minutes, loads in units, distance in km. Constraint violations are
        not corrected here; the validator reports them.
    """
    departure, arrivals, starts, back = _schedule(problem, vehicle_type, visits)
    v = problem.vehicle_types[vehicle_type]
    return Route(
        vehicle_type=vehicle_type,
        start_depot=v.start_depot,
        end_depot=v.end_depot,
        visits=tuple(int(c) for c in visits),
        departure=float(departure),
        arrivals=tuple(float(a) for a in arrivals),
        starts=tuple(float(s) for s in starts),
        return_time=float(back),
        loads=_loads(problem, visits),
        distance=_distance(problem, vehicle_type, visits),
        duration=float(back - departure),
    )


def plan_objective(
    problem: RoutingProblem, routes: Sequence[Route], dropped: Sequence[DroppedClient]
) -> float:
    """Fixed + driving costs + penalties of dropped optional clients (yuan).

    Required clients that are dropped (penalty ``inf``) are not counted: they make
    the plan infeasible instead.
    """
    cost = 0.0
    for r in routes:
        v = problem.vehicle_types[r.vehicle_type]
        cost += v.fixed_cost + v.cost_per_km * r.distance
    return cost + sum(d.penalty for d in dropped if d.penalty != float("inf"))


def assemble_plan(
    problem: RoutingProblem,
    sequences: SequencePlan,
    *,
    engine: str,
    solve_time_s: float,
    stop_reason: str,
    seed: int,
) -> RoutePlan:
    """Turn engine sequences into a validated :class:`RoutePlan`.

    Clients that appear in no sequence are listed as dropped; ``feasible`` and
    ``violations`` come from :func:`optimizer.routing.validate.find_violations`.
    """
    routes = tuple(time_route(problem, vt, seq) for vt, seq in sequences if len(seq) > 0)
    served = {c for r in routes for c in r.visits}
    dropped = tuple(
        DroppedClient(c, float("inf") if cl.required else cl.drop_penalty)
        for c, cl in enumerate(problem.clients)
        if c not in served
    )
    plan = RoutePlan(
        routes=routes,
        dropped=dropped,
        objective=plan_objective(problem, routes, dropped),
        engine=engine,
        feasible=True,
        solve_time_s=solve_time_s,
        stop_reason=stop_reason,
        seed=seed,
    )
    violations = tuple(find_violations(problem, plan))
    if not violations:
        return plan
    return replace(plan, feasible=False, violations=violations)


def best_plan(plans: Sequence[RoutePlan]) -> RoutePlan:
    """The feasible plan of least objective (else the one with fewest violations)."""
    return min(plans, key=lambda p: (not p.feasible, len(p.violations), p.objective))


def better_sequences(
    problem: RoutingProblem, candidates: Sequence[tuple[SequencePlan, str]], seed: int
) -> tuple[list[tuple[int, list[int]]], str]:
    """The sequences and stop reason of the best of ``(sequences, stop reason)`` candidates,
    judged as :func:`best_plan` judges their validated plans (how multi-stage runs keep
    their incumbent: a later stage may end worse than the plan it started from)."""
    plans = [
        assemble_plan(problem, seqs, engine="", solve_time_s=0.0, stop_reason=why, seed=seed)
        for seqs, why in candidates
    ]
    best = best_plan(plans)
    return [(r.vehicle_type, list(r.visits)) for r in best.routes], best.stop_reason
