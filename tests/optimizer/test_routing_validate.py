"""The validator catches each kind of violation in hand-built plans."""

from __future__ import annotations

from dataclasses import replace

import pytest

from optimizer.errors import InfeasiblePlan
from optimizer.routing import Client, RoutePlan, RoutingProblem, VehicleType
from optimizer.routing.plan import DroppedClient
from optimizer.routing.schedule import assemble_plan, time_route
from optimizer.routing.validate import check_plan, find_violations


@pytest.fixture
def line(make_problem) -> RoutingProblem:
    """Three clients at 10, 20, 30 km east of the depot (1 km/min)."""
    clients = [
        Client(name="a", delivery=3, tw_early=0, tw_late=100, service_min=2),
        Client(name="b", delivery=3, pickup=5, tw_early=0, tw_late=100, service_min=2),
        Client(
            name="c",
            delivery=3,
            tw_early=0,
            tw_late=100,
            service_min=2,
            required=False,
            drop_penalty=50,
            max_ride_min=60,
        ),
    ]
    vt = VehicleType(count=1, capacity=10, max_duration_min=200, max_distance_km=100)
    return make_problem([(0, 0)], clients, [(10, 0), (20, 0), (30, 0)], [vt])


def _plan(problem: RoutingProblem, routes, dropped=()) -> RoutePlan:
    return RoutePlan(
        routes=tuple(routes),
        dropped=tuple(dropped),
        objective=0.0,
        engine="hand",
        feasible=True,
        solve_time_s=0.0,
        stop_reason="hand",
    )


def _kinds(problem: RoutingProblem, plan: RoutePlan) -> set[str]:
    return {v.split(":")[0] for v in find_violations(problem, plan)}


def _with_objective(problem: RoutingProblem, plan: RoutePlan) -> RoutePlan:
    good = assemble_plan(
        problem,
        [(r.vehicle_type, r.visits) for r in plan.routes],
        engine="hand",
        solve_time_s=0,
        stop_reason="",
        seed=0,
    )
    return replace(plan, objective=good.objective)


def test_valid_plan_has_no_violation(line: RoutingProblem) -> None:
    plan = assemble_plan(
        line, [(0, [0, 1, 2])], engine="hand", solve_time_s=0, stop_reason="", seed=0
    )
    assert find_violations(line, plan) == []
    assert plan.feasible and plan.objective == pytest.approx(60.0)
    check_plan(line, plan)


def test_dropping_optional_client_costs_its_penalty(line: RoutingProblem) -> None:
    plan = assemble_plan(line, [(0, [0, 1])], engine="hand", solve_time_s=0, stop_reason="", seed=0)
    assert plan.feasible
    assert plan.dropped == (DroppedClient(2, 50.0),)
    assert plan.objective == pytest.approx(40.0 + 50.0)


def test_coverage_and_required(line: RoutingProblem) -> None:
    twice = _plan(line, [time_route(line, 0, [0, 1, 2, 0])])
    assert "coverage" in _kinds(line, twice)
    missing = _plan(line, [time_route(line, 0, [0, 1])])
    assert "coverage" in _kinds(line, missing)
    required = _plan(line, [time_route(line, 0, [0, 2])], [DroppedClient(1, 0.0)])
    assert "required" in _kinds(line, required)


def test_capacity_with_pickups(line: RoutingProblem) -> None:
    small = replace(line.vehicle_types[0], capacity=8)
    problem = RoutingProblem(line.depots, line.clients, (small,), line.distance, line.duration)
    # leaves with 9 units of deliveries > 8
    assert "capacity" in _kinds(problem, _plan(problem, [time_route(problem, 0, [0, 1, 2])]))
    # b then a: 6 on board, after b: 6 - 3 + 5 = 8 ok; c alone fine
    ok = replace(small, count=2)
    problem2 = RoutingProblem(line.depots, line.clients, (ok,), line.distance, line.duration)
    plan = _with_objective(
        problem2, _plan(problem2, [time_route(problem2, 0, [1, 0]), time_route(problem2, 0, [2])])
    )
    assert find_violations(problem2, plan) == []


def test_time_window_travel_and_records(line: RoutingProblem) -> None:
    route = time_route(line, 0, [0, 1, 2])
    late = replace(route, starts=(10, 22, 150), arrivals=(10, 22, 150), return_time=180)
    assert "time_window" in _kinds(line, _plan(line, [late]))
    too_fast = replace(route, arrivals=(5, *route.arrivals[1:]), starts=(5, *route.starts[1:]))
    assert "travel" in _kinds(line, _plan(line, [too_fast]))
    short = replace(route, loads=route.loads[:-1])
    assert "record" in _kinds(line, _plan(line, [short]))
    wrong_km = replace(route, distance=1.0)
    assert "record" in _kinds(line, _plan(line, [wrong_km]))


def test_duration_distance_ride_and_depot(line: RoutingProblem) -> None:
    route = time_route(line, 0, [0, 1, 2])
    tight = replace(line.vehicle_types[0], max_duration_min=30, max_distance_km=50)
    problem = RoutingProblem(line.depots, line.clients, (tight,), line.distance, line.duration)
    kinds = _kinds(problem, _plan(problem, [route]))
    assert {"duration", "distance"} <= kinds
    slow = replace(route, departure=-5.0)
    assert "depot" in _kinds(line, _plan(line, [slow]))
    waited = replace(
        route,
        departure=0.0,
        arrivals=(10, 22, 34),
        starts=(10, 22, 70),
        return_time=102,
        duration=102,
    )
    assert "ride_time" in _kinds(line, _plan(line, [waited]))
    other_depot = replace(route, end_depot=1)
    assert "depot" in _kinds(line, _plan(line, [other_depot]))


def test_fleet_objective_and_check_plan_raises(line: RoutingProblem) -> None:
    two = _plan(line, [time_route(line, 0, [0, 1]), time_route(line, 0, [2])])
    assert "fleet" in _kinds(line, two)
    plan = assemble_plan(
        line, [(0, [0, 1, 2])], engine="hand", solve_time_s=0, stop_reason="", seed=0
    )
    wrong = replace(plan, objective=1.0)
    assert "objective" in _kinds(line, wrong)
    with pytest.raises(InfeasiblePlan, match="objective") as info:
        check_plan(line, wrong)
    assert info.value.violations
