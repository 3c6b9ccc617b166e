"""The canonical schedule: every ride time and the route duration as small as possible."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizer.routing import Client, Depot, RoutingProblem, VehicleType, solve
from optimizer.routing.schedule import time_route


def test_waiting_goes_after_a_short_limit_client_not_before_it(make_problem) -> None:
    # f must be served by 10; k (30 min limit) is free; j opens at 100 sharp.
    clients = [
        Client(name="f", tw_late=10),
        Client(name="k", max_ride_min=30),
        Client(name="j", tw_early=100, tw_late=100),
    ]
    problem = make_problem([(0, 0)], clients, [(5, 0), (10, 0), (15, 0)], [VehicleType(1, 5)])
    route = time_route(problem, 0, [0, 1, 2])
    assert route.departure == 5 and route.starts == (10, 15, 100)  # wait 80 min after k
    plan = solve(problem, engine="ortools", max_iterations=50)
    assert plan.feasible, plan.violations


@st.composite
def routes(draw) -> tuple[RoutingProblem, list[int]]:
    n = draw(st.integers(1, 5))
    minutes = np.array(
        draw(st.lists(st.integers(1, 30), min_size=(n + 1) ** 2, max_size=(n + 1) ** 2)),
        dtype=float,
    ).reshape(n + 1, n + 1)
    clients = []
    for i in range(n):
        early = draw(st.integers(0, 150))
        clients.append(
            Client(
                name=str(i),
                tw_early=early,
                tw_late=early + draw(st.sampled_from([0, 10, 60, 300])),
                service_min=draw(st.integers(0, 10)),
            )
        )
    close = draw(st.sampled_from([float("inf"), 300.0]))
    problem = RoutingProblem(
        (Depot(tw_early=draw(st.integers(0, 20)), tw_late=close),),
        tuple(clients),
        (VehicleType(1, 5),),
        minutes[None],
        minutes[None],
    )
    return problem, draw(st.permutations(list(range(n))))


def _earliest_from(problem: RoutingProblem, visits: list[int], departure: float):
    tt, here, clock, starts = problem.duration[0], 0, departure, []
    for c in visits:
        client = problem.clients[c]
        clock = max(clock + tt[here, c + 1], client.tw_early)
        starts.append(clock)
        clock += client.service_min
        here = c + 1
    return starts, clock + tt[here, 0]


@settings(max_examples=150, deadline=None)
@given(routes())
def test_no_feasible_departure_gives_a_shorter_ride_or_route(case) -> None:
    problem, visits = case
    route = time_route(problem, 0, visits)
    depot = problem.depots[0]
    for departure in np.arange(depot.tw_early, depot.tw_early + 300, 0.5):
        starts, back = _earliest_from(problem, visits, departure)
        late = [s > problem.clients[c].tw_late + 1e-9 for s, c in zip(starts, visits, strict=True)]
        if any(late) or back > depot.tw_late + 1e-9:
            continue  # not a feasible schedule: nothing to compare with
        assert route.return_time <= depot.tw_late + 1e-9
        assert all(
            not route.starts[k] > problem.clients[c].tw_late + 1e-9 for k, c in enumerate(visits)
        )
        for k, s in enumerate(starts):
            assert route.starts[k] - route.departure <= s - departure + 1e-9
        assert route.duration <= back - departure + 1e-9
