"""Route ejection: a route emptied into its neighbours only when every limit still holds."""

from __future__ import annotations

import time
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer.routing import Client, VehicleType, find_violations
from optimizer.routing import chains as chains_module
from optimizer.routing.eject import eject_route, utilisation
from optimizer.routing.generate import blood_instance
from optimizer.routing.repack import _eject_all, route_distances
from optimizer.routing.schedule import time_route
from tests.optimizer.conftest import euclid_problem, plan_of, rough_plan

_plan, _rough = plan_of, rough_plan


def _split(routes):
    """The plan with the last client of its longest route on a van of its own."""
    k = max(range(len(routes)), key=lambda i: len(routes[i][1]))
    t, v = routes[k]
    return [*routes[:k], (t, v[:-1]), *routes[k + 1 :], (t, v[-1:])]


def test_a_split_off_client_is_ejected_back_and_the_plan_is_cheaper(blood) -> None:
    routes = _split(_rough(blood))
    before = _plan(blood, routes)
    assert before.feasible
    new = eject_route(blood, routes, len(routes) - 1, route_distances(blood, routes))
    assert new is not None and len(new) == len(routes) - 1
    after = _plan(blood, new)
    assert after.feasible and not find_violations(blood, after)
    assert after.objective < before.objective
    plan, best, _, ejected = _eject_all(blood, routes, before, route_distances(blood, routes))
    assert ejected >= 1 and best.objective < before.objective and len(plan) < len(routes)


def test_ejection_stops_at_its_deadline(blood) -> None:
    """Past the deadline no route is emptied (the run's time limit holds)."""
    routes = _split(_rough(blood))
    before = _plan(blood, routes)
    near = route_distances(blood, routes)
    plan, best, _, ejected = _eject_all(blood, routes, before, near, time.perf_counter() - 1)
    assert ejected == 0 and plan == routes and best is before


def test_no_route_is_emptied_into_a_route_the_validator_rejects(blood, monkeypatch) -> None:
    routes = _split(_rough(blood))
    near = route_distances(blood, routes)
    assert eject_route(blood, routes, len(routes) - 1, near) is not None
    monkeypatch.setattr(chains_module, "route_violations", lambda *a: iter(["window: late"]))
    assert eject_route(blood, routes, len(routes) - 1, near) is None


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(
    seed=st.integers(0, 10_000),
    hospitals=st.integers(6, 30),
    ride=st.sampled_from([70.0, 110.0, 150.0]),
    which=st.integers(0, 100),
)
def test_ejection_serves_everyone_once_within_every_limit(seed, hospitals, ride, which) -> None:
    problem = blood_instance(seed, hospitals=hospitals, stations=2, ride_min=ride)
    routes = _split(_rough(problem))
    if not _plan(problem, routes).feasible or len(routes) < 2:
        return
    r = which % len(routes)
    new = eject_route(problem, routes, r, route_distances(problem, routes), depth=2)
    if new is None:
        return
    assert len(new) == len(routes) - 1
    assert Counter(c for _, v in new for c in v) == Counter(range(len(problem.clients)))
    plan = _plan(problem, new)
    assert plan.feasible and not find_violations(problem, plan)
    assert [t for t, _ in new] == [t for i, (t, _) in enumerate(routes) if i != r]


def test_utilisation_is_the_larger_of_load_and_duration_share(blood) -> None:
    for t, v in _rough(blood):
        vt = blood.vehicle_types[t]
        load = sum(blood.clients[c].delivery for c in v) / vt.capacity
        used = utilisation(blood, t, v)
        assert used >= load - 1e-12 and 0 < used <= 1 + 1e-9
        if vt.max_duration_min is not None:
            share = time_route(blood, t, v).duration / vt.max_duration_min
            assert used == pytest.approx(max(load, share))


def _swap_case():
    """Three one-client routes where client 2 fits only in client 1's place, and client 1
    only next to client 0: a depth-2 chain empties route 2, a plain insertion cannot."""
    clients = [Client(name=n, delivery=q, service_min=1) for n, q in (("a", 5), ("x", 5), ("c", 6))]
    van = VehicleType(count=3, capacity=10, fixed_cost=100)
    problem = euclid_problem([(0, 0)], clients, [(5, 0), (5, 1), (5, 2)], [van])
    return problem, [(0, [0]), (0, [1]), (0, [2])]


def test_a_depth_two_chain_empties_a_route_plain_ejection_cannot() -> None:
    problem, routes = _swap_case()
    near = route_distances(problem, routes)
    assert eject_route(problem, routes, 2, near, depth=1) is None
    new = eject_route(problem, routes, 2, near, depth=2)
    assert new is not None and sorted(sorted(v) for _, v in new) == [[0, 1], [2]]
    plan = _plan(problem, new)
    assert plan.feasible and plan.objective < _plan(problem, routes).objective


def test_ejection_is_deterministic(blood) -> None:
    routes = _split(_rough(blood))
    before = _plan(blood, routes)
    runs = [_eject_all(blood, routes, before, route_distances(blood, routes)) for _ in range(2)]
    assert runs[0][0] == runs[1][0] and runs[0][3] == runs[1][3]


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(
    seed=st.integers(0, 10_000),
    hospitals=st.integers(8, 40),
    ride=st.sampled_from([70.0, 110.0, 150.0]),
    mixed=st.booleans(),
)
def test_ejection_passes_are_never_worse_and_keep_every_limit(seed, hospitals, ride, mixed) -> None:
    problem = blood_instance(seed, hospitals=hospitals, stations=2, ride_min=ride, mixed_ride=mixed)
    routes = _split(_rough(problem))
    before = _plan(problem, routes)
    if not before.feasible:
        return
    new, best, _, ejected = _eject_all(problem, routes, before, route_distances(problem, routes))
    assert Counter(c for _, v in new for c in v) == Counter(range(len(problem.clients)))
    plan = _plan(problem, new)
    assert plan.feasible and not find_violations(problem, plan)
    assert plan.objective == pytest.approx(best.objective)
    assert plan.objective <= before.objective and len(new) == len(routes) - ejected
    for route in plan.routes:
        for c, start in zip(route.visits, route.starts, strict=True):
            limit = problem.clients[c].max_ride_min
            assert limit is None or start - route.departure <= limit + 1e-6


@settings(max_examples=25, deadline=None, derandomize=True)
@given(
    seed=st.integers(0, 10_000),
    ride=st.sampled_from([60.0, 110.0, 150.0]),
    route=st.integers(0, 100),
    client=st.integers(0, 100),
)
def test_the_slack_filter_never_rejects_a_feasible_insertion(seed, ride, route, client) -> None:
    """The O(1) filter is a necessary condition: every insertion the validator accepts
    passes it (else chains would miss feasible moves)."""
    problem = blood_instance(seed, hospitals=12, stations=2, ride_min=ride, mixed_ride=True)
    routes = _rough(problem)
    vt, visits = routes[route % len(routes)]
    c = client % len(problem.clients)
    visits = [v for v in visits if v != c]
    search = chains_module.ChainSearch(problem)
    passed = set(search.positions(vt, visits, c)[0].tolist())
    for p in range(len(visits) + 1):
        if chains_module.route_ok(problem, vt, [*visits[:p], c, *visits[p:]]):
            assert p in passed
