"""Ride-time limits in PyVRP (end-depot encoding): exact where claimed, safe where not."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from optimizer.routing import Client, Depot, RoutingProblem, VehicleType, solve
from optimizer.routing.chain import solve_chain
from optimizer.routing.generate import blood_instance
from optimizer.routing.ortools_adapter import solve_ortools
from optimizer.routing.ortools_model import OrToolsModel
from optimizer.routing.ortools_ride import ride_checked_by_filters
from optimizer.routing.pyvrp_adapter import to_pyvrp, unsupported_reason
from optimizer.routing.repair import drop_ride_violations
from optimizer.routing.ride import ride_encoding
from optimizer.routing.scaling import scale_problem
from optimizer.routing.schedule import assemble_plan
from optimizer.routing.solve import resolve_engine

pyvrp = pytest.importorskip("pyvrp")


def _grid_problem(xy, clients, fleet, depots=None) -> RoutingProblem:
    """Whole-minute travel times (rounded Euclidean): integer and float models agree."""
    xy = np.asarray(xy, dtype=float)
    minutes = np.rint(np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1)))
    n_depots = len(xy) - len(clients)
    return RoutingProblem(
        depots=tuple(depots or [Depot(name=f"D{i}") for i in range(n_depots)]),
        clients=tuple(clients),
        vehicle_types=tuple(fleet),
        distance=minutes[None],
        duration=minutes[None],
    )


@st.composite
def ride_problems(draw, shared: bool) -> RoutingProblem:
    """Small problems with ride limits, duration limits and depot closing times."""
    n = draw(st.integers(1, 5))
    xy = draw(
        st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), min_size=n + 1, max_size=n + 1)
    )
    limit = draw(st.integers(15, 70))
    clients = []
    for i in range(n):
        early = draw(st.integers(0, 40))
        ride = limit if shared else draw(st.sampled_from([None, 20, 45, 90]))
        clients.append(
            Client(
                name=str(i),
                delivery=1,
                tw_early=early,
                tw_late=early + draw(st.integers(10, 120)),
                service_min=draw(st.integers(0, 6)),
                required=False,
                drop_penalty=1000.0,
                max_ride_min=ride,
            )
        )
    depot = Depot(tw_late=draw(st.sampled_from([float("inf"), 90.0, 140.0])))
    fleet = VehicleType(
        count=1, capacity=n, max_duration_min=draw(st.sampled_from([None, 40.0, 80.0]))
    )
    return _grid_problem(xy, clients, [fleet], depots=[depot])


def _verdicts(problem: RoutingProblem, visits: list[int]) -> tuple[bool, bool]:
    """(PyVRP says feasible, validator says feasible) for one route, others dropped."""
    data = to_pyvrp(problem, ride="restrict")
    route = pyvrp.Route(data, visits, 0)
    plan = assemble_plan(
        problem, [(0, visits)], engine="test", solve_time_s=0, stop_reason="", seed=0
    )
    return route.is_feasible(), plan.feasible


def _orders(n: int):
    return st.permutations(list(range(n))).flatmap(
        lambda p: st.integers(1, len(p)).map(lambda k: list(p[:k]))
    )


@pytest.mark.parametrize("shared", [True, False])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_pyvrp_accepts_a_route_exactly_when_valid(shared: bool, data) -> None:
    """Exact encodings agree with the validator; tightened ones never accept a bad route."""
    problem = data.draw(ride_problems(shared=shared))
    encoding = ride_encoding(problem, scale_problem(problem))
    event(f"exact={encoding is not None and encoding.exact}")
    visits = data.draw(_orders(len(problem.clients)))
    pyvrp_ok, valid = _verdicts(problem, visits)
    event(f"route feasible={valid}")
    assert valid or not pyvrp_ok
    if encoding is not None and encoding.exact:
        assert pyvrp_ok == valid


def _cold_chain(
    limit: float,
    late: float = float("inf"),
    duration: float | None = None,
    rides: list[float | None] | None = None,
) -> RoutingProblem:
    xy = [(0, 0), (10, 0), (20, 0), (0, 15), (0, 30), (12, 12)]
    rides = rides or [limit] * 5
    clients = [
        Client(name=f"h{i}", delivery=2, service_min=5, max_ride_min=r) for i, r in enumerate(rides)
    ]
    fleet = VehicleType(count=3, capacity=6, max_duration_min=duration, fixed_cost=5)
    return _grid_problem(xy, clients, [fleet], depots=[Depot(tw_late=late)])


def test_shared_limit_goes_to_pyvrp_and_binds() -> None:
    problem = _cold_chain(40)
    assert unsupported_reason(problem) is None
    assert resolve_engine(problem, "default") == "pyvrp"
    loose = solve(_cold_chain(1000), engine="pyvrp", max_iterations=300)
    tight = solve(problem, max_iterations=300)
    assert tight.engine == "pyvrp" and tight.feasible, tight.violations
    assert tight.objective > loose.objective  # the limit changes the routes
    for route in tight.routes:
        assert max(s - route.departure for s in route.starts) <= 40 + 1e-9


def test_duration_limit_and_closing_are_kept_with_ride_limits() -> None:
    problem = _cold_chain(60, late=75, duration=66)
    assert resolve_engine(problem, "default") == "pyvrp"
    plan = solve(problem, max_iterations=300)
    assert plan.feasible, plan.violations
    assert all(r.duration <= 66 and r.return_time <= 75 for r in plan.routes)


def _optimum(problem: RoutingProblem) -> float:
    """Least objective over every split of every client order into routes (validator)."""
    n, best = len(problem.clients), float("inf")
    for perm in itertools.permutations(range(n)):
        for cuts in itertools.product([False, True], repeat=n - 1):
            routes, cur = [], [perm[0]]
            for c, cut in zip(perm[1:], cuts, strict=True):
                if cut:
                    routes, cur = [*routes, cur], []
                cur.append(c)
            plan = assemble_plan(
                problem,
                [(0, r) for r in [*routes, cur]],
                engine="bf",
                solve_time_s=0,
                stop_reason="",
                seed=0,
            )
            if plan.feasible:
                best = min(best, plan.objective)
    return best


def test_shared_limit_reaches_the_brute_force_optimum() -> None:
    problem = _cold_chain(35, late=80)
    plan = solve(problem, max_iterations=500)
    assert plan.engine == "pyvrp"
    assert plan.objective == pytest.approx(_optimum(problem))


def test_mixed_limits_use_pyvrp_then_ortools() -> None:
    problem = _cold_chain(0, rides=[20, None, 60, 40, 90])
    encoding = ride_encoding(problem, scale_problem(problem))
    assert not encoding.exact and "imply" in encoding.reason
    assert resolve_engine(problem, "default") == "pyvrp+ortools"
    plan = solve(problem, max_iterations=200)
    assert plan.feasible, plan.violations
    assert plan.objective == pytest.approx(_optimum(problem))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_repair_leaves_valid_subsequences(data) -> None:
    problem = data.draw(ride_problems(shared=False))
    visits = data.draw(_orders(len(problem.clients)))
    repaired = drop_ride_violations(problem, [(0, visits)])
    kept = repaired[0][1] if repaired else []
    assert kept == [c for c in visits if c in kept]  # order kept, nothing added
    plan = assemble_plan(problem, repaired, engine="t", solve_time_s=0, stop_reason="", seed=0)
    assert plan.feasible, plan.violations
    if _verdicts(problem, visits)[1]:
        assert kept == visits  # a valid route is left alone


def test_relaxed_pyvrp_plan_is_repaired_and_polished() -> None:
    problem = _cold_chain(0, rides=[20, None, 60, 40, 90])
    seqs, reason, _ = solve_chain(problem, time_limit_s=None, max_iterations=100, ride="relax")
    plan = assemble_plan(problem, seqs, engine="t", solve_time_s=0, stop_reason="", seed=0)
    assert plan.feasible and plan.objective == pytest.approx(_optimum(problem))


def _ortools_accepts(problem: RoutingProblem, visits: list[int]) -> bool:
    """Whether the OR-Tools model (every client optional) accepts one route."""
    model = OrToolsModel(problem).build(soft_required=True)
    model.routing.CloseModel()
    return (
        model.routing.ReadAssignmentFromRoutes(model.index_routes([(0, visits)]), True) is not None
    )


@pytest.mark.parametrize("shared", [True, False])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_ortools_accepts_a_route_exactly_when_valid(shared: bool, data) -> None:
    """The ride dimensions are exact, with the span dimension alone where it suffices."""
    problem = data.draw(ride_problems(shared=shared))
    event(f"span dimension alone={ride_checked_by_filters(problem)}")
    visits = data.draw(_orders(len(problem.clients)))
    plan = assemble_plan(problem, [(0, visits)], engine="t", solve_time_s=0, stop_reason="", seed=0)
    event(f"route feasible={plan.feasible}")
    assert _ortools_accepts(problem, visits) == plan.feasible


def test_span_dimension_alone_models_shared_limits_only() -> None:
    assert ride_checked_by_filters(blood_instance(1, hospitals=40))
    assert not ride_checked_by_filters(blood_instance(1, hospitals=40, mixed_ride=True))
    assert ride_checked_by_filters(_cold_chain(1000, rides=[None] * 5))  # no limit at all
    assert not ride_checked_by_filters(_cold_chain(40, late=75))  # the station closes


@pytest.mark.parametrize("config", ["ils", "ils-split", "ils-bandit"])
def test_ils_keeps_a_ride_limit_it_once_broke(config: str) -> None:
    """Before the span dimension, both ILS searches returned this plan with a hospital
    reached 110.7 min after departure (limit 110): ruin-and-recreate steps are built and
    committed with local-search filters only, which did not see the tied dimension."""
    problem = blood_instance(32, hospitals=40, ride_min=110.0)
    seqs, _, _ = solve_ortools(problem, time_limit_s=None, max_iterations=400, config=config)
    plan = assemble_plan(problem, seqs, engine="t", solve_time_s=0, stop_reason="", seed=0)
    assert plan.feasible, plan.violations
