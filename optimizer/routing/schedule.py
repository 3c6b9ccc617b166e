"""Timing and loads of a visit sequence, and plan assembly from engine output.

Engines only decide *which* vehicle visits *which* clients in *which* order; this
module turns such sequences into full :class:`Route` records with one canonical
schedule, so every engine's plan is timed the same way.

The schedule serves every client as early as possible (forward pass), then delays
departure and earlier visits as far as that does not delay the last visit (backward
pass). This keeps the return time earliest while moving all avoidable waiting to
before departure, so route duration and every ride time (departure → service start)
are as small as the sequence allows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from optimizer.routing.plan import DroppedClient, Route, RoutePlan
from optimizer.routing.problem import RoutingProblem
from optimizer.routing.validate import find_violations

__all__ = ["SequencePlan", "assemble_plan", "best_plan", "plan_objective", "time_route"]

SequencePlan = Sequence[tuple[int, Sequence[int]]]
"""Engine output: ``(vehicle_type, client indices in order)`` per used vehicle."""


def _forward_starts(problem: RoutingProblem, vt: int, visits: Sequence[int]) -> list[float]:
    v = problem.vehicle_types[vt]
    tt = problem.duration[v.profile]
    here, clock = v.start_depot, problem.depots[v.start_depot].tw_early
    starts = []
    for c in visits:
        client, loc = problem.clients[c], problem.location(c)
        clock = max(clock + tt[here, loc], client.tw_early)
        starts.append(clock)
        clock += client.service_min
        here = loc
    return starts


def _push_late(problem: RoutingProblem, vt: int, visits: Sequence[int], starts: list[float]):
    tt = problem.duration[problem.vehicle_types[vt].profile]
    pushed = list(starts)
    for k in range(len(visits) - 2, -1, -1):
        c, nxt = problem.clients[visits[k]], problem.location(visits[k + 1])
        latest = pushed[k + 1] - c.service_min - tt[problem.location(visits[k]), nxt]
        pushed[k] = max(starts[k], min(c.tw_late, latest))
    return pushed


def _arrivals(problem: RoutingProblem, vt: int, visits: Sequence[int], starts: list[float]):
    v = problem.vehicle_types[vt]
    tt = problem.duration[v.profile]
    first = problem.location(visits[0])
    departure = max(problem.depots[v.start_depot].tw_early, starts[0] - tt[v.start_depot, first])
    arrivals = [departure + tt[v.start_depot, first]]
    for k in range(1, len(visits)):
        prev = problem.location(visits[k - 1])
        end_prev = starts[k - 1] + problem.clients[visits[k - 1]].service_min
        arrivals.append(end_prev + tt[prev, problem.location(visits[k])])
    last = problem.location(visits[-1])
    back = starts[-1] + problem.clients[visits[-1]].service_min + tt[last, v.end_depot]
    return departure, arrivals, back


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
    starts = _push_late(
        problem, vehicle_type, visits, _forward_starts(problem, vehicle_type, visits)
    )
    departure, arrivals, back = _arrivals(problem, vehicle_type, visits, starts)
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
