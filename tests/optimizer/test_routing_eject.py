"""Route ejection: a route emptied into its neighbours only when every limit still holds."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer.routing import eject as eject_module
from optimizer.routing import find_violations
from optimizer.routing.eject import eject_route, utilisation
from optimizer.routing.generate import blood_instance
from optimizer.routing.repack import _eject_all, route_distances
from optimizer.routing.schedule import time_route
from tests.optimizer.conftest import plan_of, rough_plan

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


def test_no_route_is_emptied_into_a_route_the_validator_rejects(blood, monkeypatch) -> None:
    routes = _split(_rough(blood))
    near = route_distances(blood, routes)
    assert eject_route(blood, routes, len(routes) - 1, near) is not None
    monkeypatch.setattr(eject_module, "route_violations", lambda *a: iter(["window: late"]))
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
    new = eject_route(problem, routes, r, route_distances(problem, routes))
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
