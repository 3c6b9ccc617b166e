"""Repacking neighbouring routes: never worse, every client served, every limit kept."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer.routing import RoutingProblem, find_violations, solve
from optimizer.routing import repack as repack_module
from optimizer.routing.generate import blood_instance
from optimizer.routing.ortools_adapter import BANDIT_CONFIG, WARM_CONFIG, solve_ortools
from optimizer.routing.repack import repack, solve_repacked, sub_problem
from optimizer.routing.solve import FLEET, REPACK, _runs
from tests.optimizer.conftest import plan_of, rough_plan

_plan, _rough = plan_of, rough_plan


def test_sub_problem_keeps_the_group_depots_and_costs(blood: RoutingProblem) -> None:
    routes = [r for r in _rough(blood) if r[0] == 1][:2]
    clients = [c for _, v in routes for c in v]
    sub = sub_problem(blood, clients, {1: 2})
    assert len(sub.depots) == 1 and sub.depots[0] == blood.depots[1]
    assert [v.count for v in sub.vehicle_types] == [2]
    assert sub.vehicle_types[0].start_depot == sub.vehicle_types[0].end_depot == 0
    local = [(0, [clients.index(c) for c in v]) for _, v in routes]
    full, part = _plan(blood, routes), _plan(sub, local)
    assert part.feasible
    assert part.objective == pytest.approx(full.objective)  # same fixed and km costs
    assert part.distance == pytest.approx(full.distance)


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(
    seed=st.integers(0, 10_000),
    hospitals=st.integers(8, 30),
    stations=st.integers(1, 3),
    ride=st.sampled_from([70.0, 110.0, 150.0]),
)
def test_repacking_is_never_worse_and_serves_everyone_within_every_limit(
    seed: int, hospitals: int, stations: int, ride: float
) -> None:
    problem = blood_instance(seed, hospitals=hospitals, stations=stations, ride_min=ride)
    start = _rough(problem)
    before = _plan(problem, start)
    routes, improvements = repack(problem, start, time_limit_s=None, rounds=4, seed=seed)
    after = _plan(problem, routes)
    if not before.feasible:
        assert routes == start and improvements == 0
        return
    assert after.feasible and not find_violations(problem, after)
    assert after.objective <= before.objective + 1e-9
    assert (improvements > 0) == (after.objective < before.objective - 1e-6)
    served = Counter(c for _, v in routes for c in v)
    assert served == Counter(range(len(problem.clients)))  # every client exactly once
    for r in after.routes:  # ride limits, re-checked here beyond the validator
        for c, start_min in zip(r.visits, r.starts, strict=True):
            assert start_min - r.departure <= problem.clients[c].max_ride_min + 1e-6


def test_repacking_improves_a_rough_plan(blood: RoutingProblem) -> None:
    start = _rough(blood)
    routes, improvements = repack(blood, start, time_limit_s=None, rounds=10)
    assert improvements > 0
    assert _plan(blood, routes).objective < _plan(blood, start).objective - 1e-6


@pytest.mark.parametrize("bad", ["one_van_per_client", "drops_a_client", "over_ride_limit"])
def test_repacking_keeps_its_incumbent_when_sub_searches_are_worse(
    blood: RoutingProblem, monkeypatch, bad: str
) -> None:
    def bad_search(problem, **kwargs):
        n = len(problem.clients)
        if bad == "one_van_per_client":
            return [(0, [c]) for c in range(n)], "limit", 0.0
        if bad == "drops_a_client":
            return [(0, list(range(1, n)))], "limit", 0.0
        return [(0, list(range(n))[::-1])], "limit", 0.0  # one long route, limits broken

    start = _rough(blood)
    monkeypatch.setattr(repack_module, "solve_ortools", bad_search)
    monkeypatch.setattr(repack_module, "eject_route", lambda *a: None)  # sub-searches alone
    routes, improvements = repack(blood, start, time_limit_s=None, rounds=10)
    assert improvements == 0 and routes == start


def test_repacking_leaves_an_infeasible_plan_alone(blood: RoutingProblem) -> None:
    start = _rough(blood)[1:]  # a route's clients unserved
    assert repack(blood, start, time_limit_s=None, rounds=5) == (start, 0)
    with pytest.raises(ValueError, match="time_limit_s"):
        repack(blood, start, time_limit_s=None)


def test_repacked_run_is_deterministic_and_never_worse_than_its_search(
    blood: RoutingProblem,
) -> None:
    search, _, _ = solve_ortools(blood, time_limit_s=None, max_iterations=30, config="ils")
    first = solve_repacked(blood, time_limit_s=None, max_iterations=30)
    second = solve_repacked(blood, time_limit_s=None, max_iterations=30)
    assert first[:2] == second[:2]
    assert _plan(blood, first[0]).objective <= _plan(blood, search).objective + 1e-9


def test_fixed_costs_repack_the_ils_searches_and_solomon_is_unchanged() -> None:
    limits = {"time_limit_s": 1.0, "max_iterations": None}
    fleet = _runs("ortools", 3, 7, False, True, **limits)
    assert [(r.engine, r.options.get("config")) for r in fleet] == [
        (REPACK, "ils"),
        (REPACK, BANDIT_CONFIG),
        (FLEET, None),
    ]
    assert [r.options["seed"] for r in fleet[:2]] == [7, 8]  # different group choices
    assert {r.engine for r in _runs("ortools", 3, 0, **limits)} == {"ortools"}
    unfiltered = _runs("ortools", 3, 0, True, True, **limits)  # mixed ride limits
    assert [(r.engine, r.options.get("config")) for r in unfiltered] == [
        (REPACK, "ils"),
        ("ortools", WARM_CONFIG),
        (FLEET, None),
    ]
    warm = _runs("ortools", 2, 0, False, True, initial=[(0, [0])], **limits)
    assert REPACK not in {r.engine for r in warm}


def test_ortools_engine_with_repacking_is_labelled_ortools(blood: RoutingProblem) -> None:
    plan = solve(blood, engine="ortools", max_iterations=30)
    assert plan.engine == "ortools" and plan.feasible


def test_larger_groups_take_two_routes_more(blood: RoutingProblem, monkeypatch) -> None:
    start, sizes = _rough(blood), {0: [], 2: []}
    for larger in sizes:

        def spy(problem, routes, group, limit_s, larger=larger):
            sizes[larger].append(len(group))
            return [routes[g] for g in group]  # unchanged: nothing improves

        monkeypatch.setattr(repack_module, "_repack_group", spy)
        repack(blood, start, time_limit_s=None, rounds=12, seed=1, larger=larger)
    assert min(sizes[2]) >= 3 and min(sizes[0]) == 2  # seed + at least one neighbour
    assert sum(sizes[2]) > sum(sizes[0])
