"""Engines behind ``solve``: optima on tiny instances, determinism, drops, infeasibility."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pytest

from optimizer.errors import InfeasiblePlan, UnsupportedProblem
from optimizer.routing import Client, Depot, RoutingProblem, VehicleType, check_plan, solve
from optimizer.routing.solve import resolve_engine

ENGINES = [
    "ortools",
    pytest.param(
        "pyvrp",
        marks=pytest.mark.skipif(
            not __import__("optimizer.routing.pyvrp_adapter", fromlist=["x"]).pyvrp_available(),
            reason="pyvrp not installed",
        ),
    ),
]
LIMIT = {"ortools": 300, "pyvrp": 1000}


def _route_cost(p: RoutingProblem, seq: Sequence[int]) -> float | None:
    """Distance of one route of vehicle type 0, or None if infeasible (plain forward pass)."""
    if sum(p.clients[c].delivery for c in seq) > p.vehicle_types[0].capacity:
        return None
    here, clock, dist = 0, 0.0, 0.0
    for c in seq:
        loc = c + 1
        clock = max(clock + p.duration[0, here, loc], p.clients[c].tw_early)
        if clock > p.clients[c].tw_late + 1e-9:
            return None
        clock += p.clients[c].service_min
        dist += p.distance[0, here, loc]
        here = loc
    return dist + p.distance[0, here, 0]


def brute_force(p: RoutingProblem) -> float:
    """Optimal total distance over all orders and splits into at most `count` routes."""
    n, k, best = len(p.clients), p.vehicle_types[0].count, float("inf")
    for perm in itertools.permutations(range(n)):
        for cuts in itertools.product([False, True], repeat=n - 1):
            routes, cur = [], [perm[0]]
            for c, cut in zip(perm[1:], cuts, strict=True):
                if cut:
                    routes.append(cur)
                    cur = []
                cur.append(c)
            routes.append(cur)
            costs = [_route_cost(p, r) for r in routes]
            if len(routes) <= k and None not in costs:
                best = min(best, sum(costs))
    return best


def random_vrptw(make_problem, seed: int, n: int = 5) -> RoutingProblem:
    rng = np.random.default_rng(seed)
    xy = rng.integers(0, 30, size=(n, 2)).tolist()
    early = rng.integers(0, 60, size=n)
    clients = [
        Client(
            name=str(i),
            delivery=int(rng.integers(1, 5)),
            tw_early=float(e),
            tw_late=float(e + rng.integers(20, 80)),
            service_min=2,
        )
        for i, e in enumerate(early)
    ]
    return make_problem([(15, 15)], clients, xy, [VehicleType(count=3, capacity=8)])


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_matches_brute_force_optimum(make_problem, engine: str, seed: int) -> None:
    problem = random_vrptw(make_problem, seed)
    plan = solve(problem, engine=engine, max_iterations=LIMIT[engine], seed=0)
    assert plan.feasible, plan.violations
    assert plan.objective == pytest.approx(brute_force(problem), rel=1e-6)


@pytest.mark.parametrize("engine", ENGINES)
def test_same_seed_same_plan(make_problem, engine: str) -> None:
    problem = random_vrptw(make_problem, 7, n=8)
    a, b = (solve(problem, engine=engine, max_iterations=200, seed=3) for _ in range(2))
    assert a.routes == b.routes and a.objective == b.objective
    assert a.stop_reason in ("iteration_limit", "optimal")


@pytest.mark.parametrize("engine", ENGINES)
def test_emergency_never_dropped_before_routine(make_problem, engine: str) -> None:
    # one van of 4 units, five requests of 2 units: only two can be served
    penalties = [10.0, 1e6, 10.0, 1e6, 10.0]  # routine, emergency, ...
    clients = [
        Client(name=f"h{i}", delivery=2, required=False, drop_penalty=pen)
        for i, pen in enumerate(penalties)
    ]
    xy = [(1, 0), (30, 0), (0, 1), (0, 30), (1, 1)]  # emergencies are far away
    problem = make_problem([(0, 0)], clients, xy, [VehicleType(count=1, capacity=4)])
    plan = solve(problem, engine=engine, max_iterations=LIMIT[engine])
    assert plan.feasible
    assert sorted(d.client for d in plan.dropped) == [0, 2, 4]


@pytest.mark.parametrize("engine", ENGINES)
def test_unreachable_required_client_gives_infeasible_plan(make_problem, engine: str) -> None:
    clients = [
        Client(name="ok", delivery=1, tw_late=100),
        Client(name="too far", delivery=1, tw_late=5),
    ]  # 50 min away, closes at 5
    problem = make_problem(
        [(0, 0)], clients, [(10, 0), (50, 0)], [VehicleType(count=2, capacity=5)]
    )
    plan = solve(problem, engine=engine, max_iterations=LIMIT[engine])
    assert not plan.feasible and plan.violations
    with pytest.raises(InfeasiblePlan):
        check_plan(problem, plan)


def test_ride_time_limit_is_respected_by_ortools_and_default(make_problem) -> None:
    # cold chain: b must be reached within 25 min of leaving; a then b takes 10 + 2 + 20
    clients = [
        Client(name="a", delivery=1, service_min=2),
        Client(name="b", delivery=1, service_min=2, max_ride_min=25),
    ]
    problem = make_problem(
        [(0, 0)], clients, [(10, 0), (-20, 0)], [VehicleType(count=2, capacity=5, fixed_cost=1000)]
    )
    for engine in ("ortools", "default"):
        plan = solve(problem, engine=engine, max_iterations=100)
        assert plan.feasible, plan.violations
        assert all(
            r.starts[list(r.visits).index(1)] - r.departure <= 25
            for r in plan.routes
            if 1 in r.visits
        )
    # a has no limit, b has one: not expressible as one route duration
    assert resolve_engine(problem, "default") == "pyvrp+ortools"
    with pytest.raises(UnsupportedProblem, match="ride-time"):
        solve(problem, engine="pyvrp", max_iterations=10)


@pytest.mark.parametrize("engine", ENGINES)
def test_pickups_multi_depot_profiles_and_limits(make_problem, engine: str) -> None:
    clients = [Client(name=f"c{i}", delivery=2, pickup=3, tw_late=500) for i in range(6)]
    xy = [(5, 0), (10, 0), (15, 0), (-5, 0), (-10, 0), (-15, 0)]
    fleet = [
        VehicleType(
            count=2, capacity=7, start_depot=0, end_depot=0, max_distance_km=45, name="van"
        ),
        VehicleType(
            count=2,
            capacity=7,
            start_depot=1,
            end_depot=1,
            profile=1,
            cost_per_km=0.5,
            fixed_cost=3,
            max_duration_min=60,
            name="drone",
        ),
    ]
    base = make_problem(
        [(0, 0), (-10, 1)],
        clients,
        xy,
        fleet[:1],
        depots=[Depot(name="station"), Depot(name="port", tw_late=600)],
    )
    problem = RoutingProblem(
        base.depots,
        base.clients,
        tuple(fleet),
        np.concatenate([base.distance, base.distance]),
        np.concatenate([base.duration, base.duration / 2]),
    )
    plan = solve(problem, engine=engine, max_iterations=LIMIT[engine])
    assert plan.feasible, plan.violations
    assert sorted(c for r in plan.routes for c in r.visits) == list(range(6))


def test_solve_requires_a_limit_and_known_engine(small: RoutingProblem) -> None:
    with pytest.raises(ValueError, match="time_limit_s"):
        solve(small)
    with pytest.raises(ValueError, match="engine"):
        solve(small, engine="magic", max_iterations=1)
