"""Warm starts, kept incumbents and parallel portfolios."""

from __future__ import annotations

from dataclasses import replace

import pytest

from optimizer.routing import RoutingProblem, solve
from optimizer.routing.generate import blood_instance
from optimizer.routing.ortools_adapter import solve_ortools
from optimizer.routing.schedule import assemble_plan

pytest.importorskip("pyvrp")


@pytest.fixture(scope="module")
def blood() -> RoutingProblem:
    return blood_instance(3, hospitals=25, stations=2)


def test_ortools_starts_from_the_given_routes(blood: RoutingProblem) -> None:
    start = solve(blood, engine="pyvrp", max_iterations=300)
    seqs, _, _ = solve_ortools(
        blood,
        time_limit_s=None,
        max_iterations=1,
        initial=[(r.vehicle_type, r.visits) for r in start.routes],
    )
    plan = assemble_plan(blood, seqs, engine="ortools", solve_time_s=0, stop_reason="", seed=0)
    # one accepted solution from the start: the start itself or one improving step
    assert plan.feasible and plan.objective <= start.objective + 1e-6
    cold, _, _ = solve_ortools(blood, time_limit_s=None, max_iterations=1)
    cold_plan = assemble_plan(blood, cold, engine="ortools", solve_time_s=0, stop_reason="", seed=0)
    assert plan.objective < cold_plan.objective


def test_incumbent_is_never_lost(blood: RoutingProblem) -> None:
    good = solve(blood, engine="pyvrp", max_iterations=500)
    for engine in ("ortools", "pyvrp", "pyvrp+ortools"):
        plan = solve(blood, engine=engine, max_iterations=1, initial=good)
        assert plan.feasible and plan.objective <= good.objective + 1e-6


def test_initial_must_belong_to_the_problem(blood: RoutingProblem) -> None:
    plan = solve(blood, engine="pyvrp", max_iterations=50)
    alien = replace(plan.routes[0], visits=(len(blood.clients),))
    with pytest.raises(ValueError, match="initial: expected a plan of this problem"):
        solve(blood, max_iterations=5, initial=replace(plan, routes=(alien,)))


@pytest.mark.parametrize("workers", [0, 99])
def test_workers_are_bounded(blood: RoutingProblem, workers: int) -> None:
    with pytest.raises(ValueError, match="workers"):
        solve(blood, max_iterations=5, workers=workers)


def test_two_workers_are_deterministic_and_no_worse(blood: RoutingProblem) -> None:
    one = solve(blood, engine="ortools", max_iterations=30)
    two = [solve(blood, engine="ortools", max_iterations=30, workers=2) for _ in range(2)]
    assert two[0].routes == two[1].routes
    assert two[0].feasible and two[0].objective <= one.objective + 1e-6
