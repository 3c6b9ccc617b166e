"""Property: for random small problems, every engine plan passes the validator."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer.routing import Client, Depot, RoutingProblem, VehicleType, solve
from optimizer.routing.validate import find_violations


@st.composite
def problems(draw) -> RoutingProblem:
    n = draw(st.integers(1, 6))
    coords = st.tuples(st.integers(0, 20), st.integers(0, 20))
    xy = np.array(draw(st.lists(coords, min_size=n + 1, max_size=n + 1)), dtype=float)
    dist = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    clients = []
    for i in range(n):
        early = draw(st.integers(0, 50))
        clients.append(
            Client(
                name=str(i),
                delivery=draw(st.integers(0, 4)),
                pickup=draw(st.integers(0, 3)),
                tw_early=early,
                tw_late=early + draw(st.integers(30, 100)),
                service_min=draw(st.integers(0, 5)),
                required=False,
                drop_penalty=draw(st.sampled_from([5.0, 100.0, 1e4])),
                max_ride_min=draw(st.sampled_from([None, 80.0])),
            )
        )
    vt = VehicleType(
        count=draw(st.integers(1, 3)),
        capacity=draw(st.integers(4, 10)),
        max_duration_min=draw(st.sampled_from([None, 150.0])),
    )
    return RoutingProblem((Depot(tw_late=300),), tuple(clients), (vt,), dist[None], dist[None])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_plans_for_random_problems_are_valid(problem: RoutingProblem) -> None:
    plan = solve(problem, engine="ortools", max_iterations=30)
    assert plan.feasible and find_violations(problem, plan) == [], plan.violations
